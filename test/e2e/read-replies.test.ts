import { randomUUID } from 'node:crypto';
import { Kafka, logLevel, type Consumer } from 'kafkajs';
import { ReplyTopics, Topics } from '../../protos/src';
import { ShopClient, raw, sleep, toAnswer } from '../api/helpers';

// READ_REPLIES on the real engines. The stack's gateway runs in one mode (`GET /` says which); this file
// checks that mode's promise: which egress carries a read's reply, and, in `fast` mode, that a read can
// show a write whose own reply still waits for its checkpoint.

const brokers = (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(',');

function shopUrl(): string {
  const url = process.env.SHOP_URL;
  if (!url) throw new Error('these tests need the real stack: run them with `npm run test:e2e`');
  return url;
}

describe('e2e > read replies', () => {
  const url = shopUrl();
  const api = new ShopClient(url);
  const kafka = new Kafka({ clientId: 'e2e-read-replies', brokers, logLevel: logLevel.NOTHING });
  let mode = '';
  beforeAll(async () => {
    mode = String((await api.ok('get', '/')).read_replies);
  });
  afterAll(() => api.close());

  /** Every reply topic a record keyed `id` landed on, read as the gateway reads them (read_committed). */
  async function topicsOfReplies(ids: readonly string[]): Promise<Map<string, string[]>> {
    const found = new Map<string, string[]>(ids.map((id) => [id, []]));
    const consumer: Consumer = kafka.consumer({ groupId: `e2e-read-replies-${randomUUID()}` });
    try {
      await consumer.connect();
      await consumer.subscribe({ topics: [...ReplyTopics], fromBeginning: true });
      await consumer.run({
        eachMessage: async ({ topic, message }) => {
          const key = message.key?.toString() ?? '';
          found.get(key)?.push(topic);
        },
      });
      // The replies were answered before this runs, so they are committed; wait until every one is read.
      for (let i = 0; i < 600 && [...found.values()].some((t) => t.length === 0); i++) await sleep(100);
    } finally {
      await consumer.disconnect();
    }
    return found;
  }

  it(`answers reads on the egress READ_REPLIES names, and writes on the exactly-once one`, async () => {
    const userId = await api.createUser(5);
    const itemId = await api.createItem(3, 2);
    const send = async (method: 'get' | 'post', path: string): Promise<string> => {
      const id = randomUUID();
      const answer = toAnswer(await raw(url, method, path, undefined, { 'X-Correlation-ID': id }));
      expect([200, 202]).toContain(answer.status);
      return id;
    };
    const reads = [
      await send('get', `/users/find/${userId}`),
      await send('get', `/payment/status/${userId}/${randomUUID()}`),
      await send('get', `/stock/availability/${itemId}`),
    ];
    const writes = [
      await send('post', `/users/credit/add/${userId}/1`),
      await send('post', `/stock/add/${itemId}/1`),
    ];
    const topics = await topicsOfReplies([...reads, ...writes]);
    const readTopic = mode === 'fast' ? Topics.readReplies : Topics.egress;
    for (const id of reads) expect({ id, topics: topics.get(id) }).toEqual({ id, topics: [readTopic] });
    for (const id of writes) expect({ id, topics: topics.get(id) }).toEqual({ id, topics: [Topics.egress] });
  });

  /**
   * Sends a credit update without waiting, and reads the credit until it shows: whether that read came
   * before the update's own answer. A fast read sees the function's state at once; the update's answer
   * waits for the checkpoint that commits it.
   */
  async function readBeforeAnswer(userId: string, before: number): Promise<boolean> {
    let answered = false;
    const update = api.ok('post', `/users/credit/add/${userId}/1`).then(() => {
      answered = true;
    });
    let seenFirst = false;
    for (;;) {
      const credit = Number((await api.ok('get', `/users/credit/${userId}`)).credit);
      if (credit === before + 1) {
        seenFirst = !answered;
        break;
      }
      if (answered) break;
    }
    await update;
    return seenFirst;
  }

  it('in fast mode, shows a write before its checkpoint completes (before its own answer)', async () => {
    if (mode !== 'fast') return;
    const userId = await api.createUser(1);
    const outcomes: boolean[] = [];
    for (let trial = 0; trial < 10; trial++) outcomes.push(await readBeforeAnswer(userId, 1 + trial));
    // Every trial's write is applied exactly once whatever the reads saw.
    expect(Number((await api.ok('get', `/users/credit/${userId}`)).credit)).toBe(11);
    expect(outcomes).toContain(true);
  });
});
