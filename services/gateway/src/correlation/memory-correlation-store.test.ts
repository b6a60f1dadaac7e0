import type { Parked } from './correlation-store';
import { MemoryCorrelationStore } from './memory-correlation-store';

async function parkOn(store: MemoryCorrelationStore, id: string, timeoutMs: number): Promise<Parked> {
  const parked = await store.park(id, timeoutMs);
  if (!parked) throw new Error(`${id} was refused as already in use`);
  return parked;
}

const bytes = (...values: number[]) => Uint8Array.from(values);

describe('gateway > correlation > memory', () => {
  let now = 0;
  let store: MemoryCorrelationStore;
  beforeEach(() => {
    now = 0;
    store = new MemoryCorrelationStore(1000, () => now);
  });
  afterEach(() => store.close());

  it('hands a reply to the request parked under its correlation ID', async () => {
    const parked = await parkOn(store, 'a', 5000);
    await store.deliver('b', bytes(9));
    await store.deliver('a', bytes(1, 2));
    await expect(parked.reply).resolves.toEqual(bytes(1, 2));
    // Answered directly, and still pollable: the client may have lost its connection meanwhile.
    await expect(store.poll('a')).resolves.toEqual({ status: 'done', reply: bytes(1, 2) });
    now += 1001;
    await expect(store.poll('a')).resolves.toBeUndefined();
  });

  it('keeps a late reply for polling until its time to live passes', async () => {
    const parked = await parkOn(store, 'late', 1);
    await expect(parked.reply).resolves.toBeUndefined();
    await expect(store.poll('late')).resolves.toEqual({ status: 'pending' });
    await store.deliver('late', bytes(7));
    await expect(store.poll('late')).resolves.toEqual({ status: 'done', reply: bytes(7) });
    now += 1001;
    await expect(store.poll('late')).resolves.toBeUndefined();
  });

  it('refuses an ID that is parked or whose reply is kept, and frees it once expired', async () => {
    await parkOn(store, 'waiting', 5000);
    await expect(store.park('waiting', 5000)).resolves.toBeUndefined();
    await store.deliver('waiting', bytes(2));
    await expect(store.park('waiting', 5000)).resolves.toBeUndefined();
    now += 1001;
    await expect(store.park('waiting', 5000)).resolves.toBeDefined();
  });

  it('knows nothing of ids it never parked', async () => {
    await expect(store.poll('never')).resolves.toBeUndefined();
  });
});
