import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import type { CorrelationStore, Parked } from './correlation-store';
import { startRedisServer, type RedisServer } from '../../../../test/support/redis-server';
import {
  RedisCorrelationStore,
  redisClientOptions,
  type RedisCorrelationStoreOptions,
} from './redis-correlation-store';

const bytes = (...values: number[]) => Uint8Array.from(values);
/** Parks `id`, failing the test if the store calls it already in use. */
async function parkOn(store: CorrelationStore, id: string, timeoutMs: number): Promise<Parked> {
  const parked = await store.park(id, timeoutMs);
  if (!parked) throw new Error(`${id} was refused as already in use`);
  return parked;
}
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Fails unless `promise` settles well before the park timeouts used here, which would also end the wait. */
function within<T>(promise: Promise<T>, ms = 1_000): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`not settled within ${ms} ms`)), ms);
  });
  return Promise.race([promise, late]).finally(() => clearTimeout(timer));
}

describe('gateway > correlation > redis', () => {
  let server: RedisServer | undefined;
  // Two stores on one Redis stand for two gateway replicas.
  let a: RedisCorrelationStore;
  let b: RedisCorrelationStore;

  // Every store a test opens, closed after it even when the test fails.
  const opened: RedisCorrelationStore[] = [];
  const open = async (
    replicaId: string,
    ttlMs = 10_000,
    redis: RedisCorrelationStoreOptions['redis'] = server!.url,
  ) => {
    const store = await RedisCorrelationStore.connect({ redis, replicaId, ttlMs });
    opened.push(store);
    return store;
  };

  beforeAll(async () => {
    server = await startRedisServer();
  });
  afterAll(() => server?.stop());

  beforeEach(async () => {
    a = await open('replica-a');
    // B gets its connections from a factory, the other way to hand the store its clients.
    b = await open(
      'replica-b',
      10_000,
      () => new Redis(server!.url, { ...redisClientOptions, lazyConnect: true }),
    );
  });
  afterEach(() => Promise.all(opened.splice(0).map((store) => store.close())));

  it('hands a reply delivered on the parking replica to its waiter', async () => {
    const id = randomUUID();
    const parked = await parkOn(a, id, 10_000);
    await a.deliver(randomUUID(), bytes(9));
    await a.deliver(id, bytes(1, 2, 3));
    await expect(within(parked.reply)).resolves.toEqual(bytes(1, 2, 3));
  });

  it('routes a reply consumed on another replica to the one holding the request', async () => {
    const id = randomUUID();
    const parked = await parkOn(a, id, 10_000);
    await b.deliver(id, bytes(4, 5, 6));
    await expect(within(parked.reply)).resolves.toEqual(bytes(4, 5, 6));
  });

  it('keeps a reply that comes after the timeout pollable from every replica', async () => {
    const [first, second] = [randomUUID(), randomUUID()];
    const parked = await Promise.all([parkOn(a, first, 50), parkOn(a, second, 50)]);
    await expect(parked[0].reply).resolves.toBeUndefined();
    await expect(parked[1].reply).resolves.toBeUndefined();
    await expect(b.poll(first)).resolves.toEqual({ status: 'pending' });

    await a.deliver(first, bytes(7));
    await b.deliver(second, bytes(8));
    for (const store of [a, b]) {
      await expect(store.poll(first)).resolves.toEqual({ status: 'done', reply: bytes(7) });
      await expect(store.poll(second)).resolves.toEqual({ status: 'done', reply: bytes(8) });
    }
  });

  it('takes a last look at the timeout for a reply stored too late to be routed', async () => {
    const id = randomUUID();
    const parked = await parkOn(a, id, 200);
    // Stored without a publish, as when the owner's wait ended between the store and the publish.
    const raw = new Redis(server!.url);
    try {
      await raw.set(`shop:reply:${id}`, Buffer.from([2, 4]));
    } finally {
      await raw.quit();
    }
    await expect(parked.reply).resolves.toEqual(bytes(2, 4));
  });

  it('answers pending while awaited, and forgets ids that are unknown or past their time to live', async () => {
    const short = await open('replica-c', 300);
    const [waiting, answered] = [randomUUID(), randomUUID()];
    const parked = await parkOn(short, waiting, 50);
    await short.deliver(answered, bytes(1));
    for (const store of [short, b]) {
      await expect(store.poll(waiting)).resolves.toEqual({ status: 'pending' });
      await expect(store.poll(answered)).resolves.toEqual({ status: 'done', reply: bytes(1) });
      await expect(store.poll(randomUUID())).resolves.toBeUndefined();
    }
    await expect(parked.reply).resolves.toBeUndefined();

    await sleep(400);
    await expect(b.poll(waiting)).resolves.toBeUndefined();
    await expect(b.poll(answered)).resolves.toBeUndefined();
  });

  it('keeps the reply for polling when the replica holding the request is gone', async () => {
    const id = randomUUID();
    const parked = await parkOn(a, id, 10_000);
    await parked.sent();
    await a.close();
    await expect(within(parked.reply)).resolves.toBeUndefined();
    await expect(b.poll(id)).resolves.toEqual({ status: 'pending' });

    await b.deliver(id, bytes(3, 1, 4));
    await expect(b.poll(id)).resolves.toEqual({ status: 'done', reply: bytes(3, 1, 4) });
  });

  it('calls a request lost when its replica stopped before sending it, and lets the ID be sent again', async () => {
    const [unsent, sent] = [randomUUID(), randomUUID()];
    await parkOn(a, unsent, 10_000);
    await (await parkOn(a, sent, 10_000)).sent();
    // While its replica is alive, an unsent request may still go out.
    await expect(b.poll(unsent)).resolves.toEqual({ status: 'pending' });

    // As after kill -9: the heartbeat lapses, nothing else is cleaned up.
    const raw = new Redis(server!.url);
    try {
      await raw.del('shop:replica:replica-a');
    } finally {
      await raw.quit();
    }
    await expect(b.poll(unsent)).resolves.toEqual({ status: 'lost' });
    await expect(b.poll(unsent)).resolves.toEqual({ status: 'lost' });
    // A sent request is never lost: its reply is on its way whoever consumes it.
    await expect(b.poll(sent)).resolves.toEqual({ status: 'pending' });
    await expect(b.park(sent, 10_000)).resolves.toBeUndefined();

    const again = await parkOn(b, unsent, 10_000);
    await expect(b.poll(unsent)).resolves.toEqual({ status: 'pending' });
    await b.deliver(unsent, bytes(5));
    await expect(within(again.reply)).resolves.toEqual(bytes(5));
  });

  it('carries binary replies unchanged, through routing and through polling', async () => {
    const binary = bytes(
      0x00,
      0xff,
      0x0a,
      0x0d,
      0x00,
      0x80,
      0x0a,
      0xff,
      ...Array.from({ length: 256 }, (_, i) => i),
    );
    // A view into a larger buffer, as decoders hand out: only the viewed bytes may travel.
    const view = Uint8Array.from([0xee, ...binary, 0xee]).subarray(1, 1 + binary.length);
    const [routed, local, late] = [randomUUID(), randomUUID(), randomUUID()];

    const parkedRouted = await parkOn(a, routed, 10_000);
    await b.deliver(routed, view);
    await expect(within(parkedRouted.reply)).resolves.toEqual(binary);

    const parkedLocal = await parkOn(a, local, 10_000);
    await a.deliver(local, view);
    await expect(within(parkedLocal.reply)).resolves.toEqual(binary);

    await b.deliver(late, view);
    await expect(a.poll(late)).resolves.toEqual({ status: 'done', reply: binary });
  });

  it('refuses an ID in use on any replica, parked or answered, until its time to live passes', async () => {
    const short = await open('replica-c', 300);
    const [waiting, answered] = [randomUUID(), randomUUID()];
    await parkOn(a, waiting, 10_000);
    await expect(b.park(waiting, 10_000)).resolves.toBeUndefined();
    await expect(a.park(waiting, 10_000)).resolves.toBeUndefined();

    const parked = await parkOn(short, answered, 10_000);
    await short.deliver(answered, bytes(2));
    await expect(within(parked.reply)).resolves.toEqual(bytes(2));
    // Answered directly and still kept: a client whose connection dropped finds it by polling.
    await expect(a.poll(answered)).resolves.toEqual({ status: 'done', reply: bytes(2) });
    await expect(a.park(answered, 10_000)).resolves.toBeUndefined();
    await sleep(400);
    await expect(a.poll(answered)).resolves.toBeUndefined();
    await expect(a.park(answered, 10_000)).resolves.toBeDefined();
  });

  it('lets exactly one of many replicas claim an ID offered to all at once', async () => {
    const id = randomUUID();
    const others = await Promise.all(['replica-x', 'replica-y', 'replica-z'].map((r) => open(r)));
    const claims = await Promise.all([a, b, ...others].map((store) => store.park(id, 10_000)));
    expect(claims.filter((claim) => claim !== undefined)).toHaveLength(1);
  });

  it('fails fast, rather than hanging, when Redis is unreachable', async () => {
    const doomed = await startRedisServer();
    const store = await RedisCorrelationStore.connect({
      redis: doomed.url,
      replicaId: 'replica-d',
      ttlMs: 10_000,
      onError: () => undefined,
    });
    try {
      await parkOn(store, randomUUID(), 10_000);
      await doomed.stop();

      const started = Date.now();
      await expect(store.park(randomUUID(), 10_000)).rejects.toThrow();
      await expect(store.deliver(randomUUID(), bytes(1))).rejects.toThrow();
      await expect(store.poll(randomUUID())).rejects.toThrow();
      await expect(
        RedisCorrelationStore.connect({ redis: doomed.url, replicaId: 'replica-e', ttlMs: 10_000 }),
      ).rejects.toThrow();
      expect(Date.now() - started).toBeLessThan(3_000);
    } finally {
      await store.close();
      await doomed.stop();
    }
  });
});
