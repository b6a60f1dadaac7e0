import { randomUUID } from 'node:crypto';
import { Kafka, logLevel } from 'kafkajs';
import request from 'supertest';
import {
  HttpIngressMessageCodec,
  ReplyCodec,
  StringWrapperCodec,
  Topics,
  type HttpIngressMessage,
  type Reply,
} from '../../protos/src';
import { sleep } from '../api/helpers';

// The HTTP ingress on the real stack: a POST to a gateway replica on :5555 goes to Kafka (shop-http-in,
// keyed by its correlation ID), StateFun's Kafka ingress hands it to the paired egress egress/httpout,
// which calls example/greeter as its caller; the greeting comes back on shop-egress and any replica
// answers the poll.

const CORRELATION = 'statefun-request-correlation-id';
const brokers = (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(',');

function ingressUrl(): string {
  const shop = process.env.SHOP_URL;
  if (!shop) throw new Error('the e2e tests need the real stack: run them with `npm run test:e2e`');
  const url = new URL(shop);
  url.port = '5555';
  return (process.env.HTTP_INGRESS_URL ?? url.origin).replace(/\/+$/, '');
}

/** Sends `name` to example/greeter/`id` and returns the correlation ID. */
async function greet(url: string, id: string, name: string): Promise<string> {
  const res = await request(url)
    .post(`/in/example/greeter/${id}`)
    .set('Content-Type', 'text/plain')
    .send(name);
  expect({ status: res.status, body: res.text }).toEqual({ status: 200, body: '' });
  return String(res.headers[CORRELATION]);
}

/** Polls on fresh connections (so either replica may take them) until the reply is there. */
async function poll(url: string, correlationId: string): Promise<{ text: string; after: number }> {
  const started = Date.now();
  while (Date.now() - started < 120_000) {
    const res = await request(url).get(`/in/replies/${correlationId}`).set('Connection', 'close');
    if (res.status === 200) {
      expect(res.headers['content-type']).toBe('text/plain; charset=utf-8');
      return { text: res.text, after: Date.now() - started };
    }
    expect(res.status).toBe(202);
    await sleep(100);
  }
  throw new Error(`no reply for ${correlationId} within 120 s`);
}

describe('e2e > http ingress', () => {
  const url = ingressUrl();

  it('greets through Kafka and StateFun: the envelope on shop-http-in, the reply on shop-egress, the count kept', async () => {
    const id = `Igal-${randomUUID()}`;
    const kafka = new Kafka({ clientId: 'e2e-http-ingress', brokers, logLevel: logLevel.NOTHING });
    const consumer = kafka.consumer({ groupId: `e2e-http-ingress-${randomUUID()}`, readUncommitted: false });
    const seen = new Map<string, { envelope?: HttpIngressMessage; reply?: Reply }>();
    try {
      await consumer.connect();
      await consumer.subscribe({ topics: [Topics.httpIn, Topics.egress], fromBeginning: true });
      const joined = new Promise<void>((resolve) => consumer.on(consumer.events.GROUP_JOIN, () => resolve()));
      await consumer.run({
        eachMessage: async ({ topic, message }) => {
          const key = message.key?.toString();
          if (!key || !message.value || !seen.has(key)) return;
          const entry = seen.get(key)!;
          if (topic === Topics.httpIn) entry.envelope = HttpIngressMessageCodec.decode(message.value);
          else entry.reply = ReplyCodec.decode(message.value);
        },
      });
      await joined;

      const first = await greet(url, id, 'Igal');
      seen.set(first, {});
      const answer = await poll(url, first);
      expect(answer.text).toBe(`Hello Igal, greeting #1 at example/greeter/${id}`);
      process.stdout.write(`http ingress: first greeting polled after ${answer.after} ms\n`);

      // The second greeting of the same id counts on, in the state StateFun keeps.
      const second = await greet(url, id, 'Elisa');
      expect((await poll(url, second)).text).toBe(`Hello Elisa, greeting #2 at example/greeter/${id}`);

      for (let i = 0; i < 300 && !seen.get(first)?.reply; i++) await sleep(100);
      const { envelope, reply } = seen.get(first)!;
      expect({ ...envelope!.target }).toEqual({ namespace: 'example', type: 'greeter', id });
      expect(envelope!.message.typename).toBe(StringWrapperCodec.typename);
      expect(StringWrapperCodec.decode(envelope!.message.value).value).toBe('Igal');
      expect(reply!.correlation_id).toBe(first);
      if (reply!.result.kind !== 'message') throw new Error(`a ${reply!.result.kind} reply`);
      expect(reply!.result.value.typename).toBe(StringWrapperCodec.typename);
    } finally {
      await consumer.disconnect();
    }
  });

  it('any replica answers the poll: the same reply on ten fresh connections', async () => {
    const id = `Elisa-${randomUUID()}`;
    const correlationId = await greet(url, id, 'Elisa');
    const expected = `Hello Elisa, greeting #1 at example/greeter/${id}`;
    expect((await poll(url, correlationId)).text).toBe(expected);
    // The replicas accept from one shared socket: whichever takes a connection answers from Redis.
    // (services/gateway/src/http-ingress/replicas.test.ts sends through one replica and polls both.)
    for (let i = 0; i < 10; i++) {
      const res = await request(url).get(`/in/replies/${correlationId}`).set('Connection', 'close');
      expect({ status: res.status, text: res.text }).toEqual({ status: 200, text: expected });
    }
  });
});
