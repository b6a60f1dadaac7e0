#!/usr/bin/env node
/* global process, console, Buffer, setTimeout, clearTimeout */
// End-to-end smoke test of the real stack (Kafka + StateFun + the shop functions):
// produces a shop.types/UserCommand {correlation_id, create: {credit}} to topic shop-users with the user
// id as the record key, and waits for the Reply with that correlation id on shop-egress, read with
// isolation level read_committed (so only after StateFun's exactly-once egress committed it, i.e. after a
// checkpoint). Prints one line per reply and a summary line; exit 0 only if every reply arrived.
//
//   node stack/smoke/smoke.mjs [--user u1] [--correlation c1] [--credit 5] [--count 1] [--timeout-ms 60000]
//
// With --count N > 1 it sends N creates one after another (user <user>-<i>, correlation <correlation>-<i>)
// and reports min / median / max latency. Needs `npm ci` and `npm run build` in the repo (kafkajs and the
// project's codecs in protos/dist).
import { createRequire } from 'node:module';
import { parseArgs } from 'node:util';

const require = createRequire(import.meta.url);
const { Kafka, logLevel } = require('kafkajs');
const { UserCommandCodec, ReplyCodec, Topics } = require('../../protos/dist/index.js');

const { values: opt } = parseArgs({
  options: {
    user: { type: 'string', default: 'u1' },
    correlation: { type: 'string', default: 'c1' },
    credit: { type: 'string', default: '5' },
    count: { type: 'string', default: '1' },
    'timeout-ms': { type: 'string', default: '60000' },
    bootstrap: { type: 'string', default: process.env.KAFKA_BOOTSTRAP || '127.0.0.1:9092' },
  },
});
const count = Number(opt.count);
const timeoutMs = Number(opt['timeout-ms']);

const kafka = new Kafka({ clientId: 'stack-smoke', brokers: [opt.bootstrap], logLevel: logLevel.ERROR });
const admin = kafka.admin();
const producer = kafka.producer({ allowAutoTopicCreation: false });
const consumer = kafka.consumer({
  groupId: `stack-smoke-${process.pid}-${Date.now()}`,
  readUncommitted: false, // isolation.level = read_committed
  allowAutoTopicCreation: false,
});

const bigintReplacer = (_k, v) => (typeof v === 'bigint' ? v.toString() : v);
const show = (v) =>
  JSON.stringify(v, (k, x) =>
    x && typeof x === 'object' && typeof x.toNumber === 'function' ? x.toString() : bigintReplacer(k, x),
  );

async function main() {
  await admin.connect();
  // Only replies written after this point count: remember where each partition ends now.
  const start = new Map(
    (await admin.fetchTopicOffsets(Topics.egress)).map((p) => [p.partition, BigInt(p.high)]),
  );
  await admin.disconnect();

  const waiting = new Map(); // correlation id -> { resolve, sentAt }
  await consumer.connect();
  await consumer.subscribe({ topic: Topics.egress, fromBeginning: true });
  const joined = new Promise((resolve) => consumer.on(consumer.events.GROUP_JOIN, resolve));
  await consumer.run({
    eachMessage: async ({ partition, message }) => {
      if (BigInt(message.offset) < (start.get(partition) ?? 0n)) return;
      const reply = ReplyCodec.decode(message.value);
      const w = waiting.get(reply.correlation_id);
      if (!w) return;
      waiting.delete(reply.correlation_id);
      w.resolve({ reply, key: message.key?.toString(), partition, latencyMs: Date.now() - w.sentAt });
    },
  });
  await joined;

  await producer.connect();
  const latencies = [];
  let failed = 0;
  for (let i = 0; i < count; i++) {
    const user = count === 1 ? opt.user : `${opt.user}-${i}`;
    const correlationId = count === 1 ? opt.correlation : `${opt.correlation}-${i}`;
    const value = Buffer.from(
      UserCommandCodec.encode({
        correlation_id: correlationId,
        command: { kind: 'create', value: { credit: Number(opt.credit) } },
      }),
    );
    const got = new Promise((resolve) => waiting.set(correlationId, { resolve, sentAt: Date.now() }));
    await producer.send({ topic: Topics.users, acks: -1, messages: [{ key: user, value }] });
    let timer;
    const result = await Promise.race([
      got,
      new Promise((resolve) => (timer = setTimeout(() => resolve(null), timeoutMs))),
    ]);
    clearTimeout(timer);
    if (!result) {
      failed++;
      console.log(`smoke: NO reply for ${correlationId} (user ${user}) within ${timeoutMs} ms`);
      continue;
    }
    latencies.push(result.latencyMs);
    console.log(
      `smoke: reply ${show(result.reply)} key=${result.key} partition=${result.partition} after ${result.latencyMs} ms`,
    );
  }
  await producer.disconnect();
  await consumer.disconnect();

  latencies.sort((a, b) => a - b);
  const med = latencies.length ? latencies[Math.floor(latencies.length / 2)] : NaN;
  console.log(
    `smoke: ${latencies.length} passed, ${failed} failed` +
      (latencies.length
        ? ` (read_committed reply latency ms: min ${latencies[0]}, median ${med}, max ${latencies.at(-1)})`
        : ''),
  );
  process.exit(failed ? 1 : 0);
}

main().catch(async (error) => {
  console.error(`smoke: error: ${error?.stack || error}`);
  process.exit(2);
});
