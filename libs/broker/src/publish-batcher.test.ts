import { PublishBatcher, type PendingRecord } from './publish-batcher';

const record = (key: string): PendingRecord => ({ topic: 't', key, value: Buffer.from(key) });

/** A send whose acknowledgements the test gives by hand, recording each batch's keys. */
function manualSend() {
  const batches: string[][] = [];
  const acks: { resolve: () => void; reject: (error: Error) => void }[] = [];
  const send = (records: readonly PendingRecord[]) =>
    new Promise<void>((resolve, reject) => {
      batches.push(records.map((r) => r.key));
      acks.push({ resolve, reject });
    });
  return { batches, acks, send };
}

const settled = () => new Promise((resolve) => setImmediate(resolve));

describe('broker > publish batcher', () => {
  it('sends a lone record at once, and the records published meanwhile together, in order', async () => {
    const { batches, acks, send } = manualSend();
    const batcher = new PublishBatcher(send);
    const done: string[] = [];
    const publish = (key: string) => batcher.publish(record(key)).then(() => done.push(key));
    const first = publish('a');
    const rest = ['b', 'c', 'd'].map(publish);
    expect(batches).toEqual([['a']]);
    acks[0]!.resolve();
    await first;
    await settled();
    expect(batches).toEqual([['a'], ['b', 'c', 'd']]);
    expect(done).toEqual(['a']);
    acks[1]!.resolve();
    await Promise.all(rest);
    expect(done).toEqual(['a', 'b', 'c', 'd']);
  });

  it('fails exactly the callers of a failed batch, and goes on with the next', async () => {
    const { batches, acks, send } = manualSend();
    const batcher = new PublishBatcher(send);
    const a = batcher.publish(record('a'));
    const b = batcher.publish(record('b'));
    const c = batcher.publish(record('c'));
    acks[0]!.reject(new Error('broker down'));
    await expect(a).rejects.toThrow('broker down');
    await settled();
    expect(batches).toEqual([['a'], ['b', 'c']]);
    acks[1]!.resolve();
    await expect(Promise.all([b, c])).resolves.toEqual([undefined, undefined]);
  });

  it('bounds a batch by maxBatch', async () => {
    const { batches, acks, send } = manualSend();
    const batcher = new PublishBatcher(send, 2);
    const all = ['a', 'b', 'c', 'd', 'e', 'f'].map((key) => batcher.publish(record(key)));
    for (let i = 0; i < 4; i++) {
      acks[i]!.resolve();
      await settled();
    }
    await Promise.all(all);
    expect(batches).toEqual([['a'], ['b', 'c'], ['d', 'e'], ['f']]);
  });
});
