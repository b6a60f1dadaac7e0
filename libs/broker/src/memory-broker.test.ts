import { MemoryBroker } from './memory-broker';

describe('broker > memory > lag', () => {
  it('counts, by topic, the records a group has not finished handling', async () => {
    const broker = new MemoryBroker();
    let release: () => void = () => undefined;
    const held = new Promise<void>((resolve) => (release = resolve));
    const handled: string[] = [];
    const subscription = await broker.subscribe('g', ['a', 'b'], async (record) => {
      await held;
      handled.push(record.key);
    });
    await broker.publish('a', 'k1', new Uint8Array());
    await broker.publish('a', 'k2', new Uint8Array());
    await broker.publish('b', 'k3', new Uint8Array());
    await broker.publish('c', 'k4', new Uint8Array());
    expect(subscription.lag?.()).toEqual(
      new Map([
        ['a', 2],
        ['b', 1],
      ]),
    );
    release();
    while (handled.length < 3) await new Promise((resolve) => setImmediate(resolve));
    expect(subscription.lag?.()).toEqual(
      new Map([
        ['a', 0],
        ['b', 0],
      ]),
    );
  });
});
