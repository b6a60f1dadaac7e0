import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { MemoryBroker } from '@shop/broker';
import { ReplyCodec, Topics } from '@shop/protos';
import { MemoryCorrelationStore } from './correlation/memory-correlation-store';
import { testGateway } from './testing';

// A new consumer group reads the egress topic from its start, so a gateway must not store the replies of
// requests whose time to live is long over: it would fill the correlation map with what nobody can poll.

describe('gateway > replies older than their time to live', () => {
  async function pollAfterReply(clockAheadMs: number): Promise<number> {
    const broker = new MemoryBroker();
    const store = new MemoryCorrelationStore(60_000);
    const gateway = testGateway({
      broker,
      store,
      replyMaxAgeMs: 60_000,
      now: () => Date.now() + clockAheadMs,
    });
    await gateway.start();
    try {
      const id = randomUUID();
      await broker.publish(
        Topics.egress,
        id,
        ReplyCodec.encode({ correlation_id: id, result: { kind: 'success', value: { count: 0 } } }),
      );
      await new Promise((resolve) => setImmediate(resolve));
      return (await request(gateway.app).get(`/replies/${id}`)).status;
    } finally {
      await gateway.stop();
      await broker.close();
    }
  }

  it('stores a fresh reply for polling', async () => {
    expect(await pollAfterReply(0)).toBe(200);
  });

  it('skips a reply written longer ago than replyMaxAgeMs', async () => {
    expect(await pollAfterReply(61_000)).toBe(404);
  });
});
