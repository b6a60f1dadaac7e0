import request from 'supertest';
import { MemoryBroker } from '@shop/broker';
import { ItemCommandCodec, ReplyCodec, Topics, type ItemCommand } from '@shop/protos';
import type { ReadReplies } from '@shop/service-kit';
import { testGateway } from './testing';

// READ_REPLIES chooses where replies to reads come from. The gateway states its choice on every entity
// command (fast_read_reply), the function decides what is a read, and the gateway consumes both reply
// topics, so whichever one a reply comes on, the request parked for it is answered.

describe('gateway > READ_REPLIES', () => {
  /** Serves one request, answering its command on `replyTopic` as a function would. */
  async function serve(
    readReplies: ReadReplies | undefined,
    [method, path]: ['get' | 'post', string],
    replyTopic: string,
  ) {
    const broker = new MemoryBroker();
    const gateway = testGateway({ broker, readReplies });
    const sent: ItemCommand[] = [];
    await broker.subscribe('functions', [Topics.stock], async (record) => {
      const command = ItemCommandCodec.decode(record.value);
      sent.push(command);
      const reply = { item_id: record.key, stock: 4, price: 3 };
      await broker.publish(
        replyTopic,
        command.correlation_id,
        ReplyCodec.encode({ correlation_id: command.correlation_id, result: { kind: 'item', value: reply } }),
      );
    });
    await gateway.start();
    try {
      const answer = await request(gateway.app)[method](path);
      const mode = (await request(gateway.app).get('/')).body as { read_replies: string };
      return { status: answer.status, body: answer.body as unknown, sent, mode: mode.read_replies };
    } finally {
      await gateway.stop();
      await broker.close();
    }
  }

  it('asks for fast read replies by default, and takes the reply from the read topic', async () => {
    const served = await serve(undefined, ['get', '/stock/find/7'], Topics.readReplies);
    expect(served.status).toBe(200);
    expect(served.body).toEqual({ item_id: '7', stock: 4, price: 3 });
    expect(served.sent.map((c) => c.fast_read_reply)).toEqual([true]);
    expect(served.mode).toBe('fast');
  });

  it('with committed, does not ask, and takes the reply from the exactly-once topic', async () => {
    const served = await serve('committed', ['get', '/stock/find/7'], Topics.egress);
    expect(served.status).toBe(200);
    expect(served.sent.map((c) => c.fast_read_reply)).toEqual([false]);
    expect(served.mode).toBe('committed');
  });

  it('flags writes too (the function decides), and answers them from the exactly-once topic', async () => {
    const served = await serve('fast', ['post', '/stock/add/7/1'], Topics.egress);
    expect(served.status).toBe(200);
    expect(served.sent.map((c) => [c.command.kind, c.fast_read_reply])).toEqual([['add_stock', true]]);
  });
});
