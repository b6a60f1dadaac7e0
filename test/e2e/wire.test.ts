import { randomUUID } from 'node:crypto';
import { Kafka, logLevel } from 'kafkajs';
import { ReplyCodec, Topics, UserCommandCodec, type Reply } from '../../protos/src';

// The wire between the parts, with nothing in the middle mocked: a command written to an ingress topic
// is read by StateFun's Kafka ingress, and the function's reply lands on the egress topic.

const brokers = (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(',');
const flinkRest = process.env.FLINK_REST_URL ?? 'http://127.0.0.1:8081';

describe('e2e > wire', () => {
  const kafka = new Kafka({ clientId: 'e2e-wire', brokers, logLevel: logLevel.NOTHING });

  it('runs the StateFun job on Flink', async () => {
    const overview = (await (await fetch(`${flinkRest}/jobs/overview`)).json()) as {
      jobs: { name: string; state: string }[];
    };
    expect(overview.jobs.filter((job) => job.state === 'RUNNING').map((job) => job.name)).toContain(
      'statefun-shop',
    );
  });

  it('turns a command on shop-users into a committed reply on shop-egress', async () => {
    const correlationId = randomUUID();
    const userId = randomUUID();
    const consumer = kafka.consumer({ groupId: `e2e-wire-${correlationId}`, readUncommitted: false });
    const producer = kafka.producer();
    const replies: Reply[] = [];
    try {
      await consumer.connect();
      // A fresh group from the beginning: no race between joining and the reply being written.
      await consumer.subscribe({ topic: Topics.egress, fromBeginning: true });
      const joined = new Promise<void>((resolve) => consumer.on(consumer.events.GROUP_JOIN, () => resolve()));
      await consumer.run({
        eachMessage: async ({ message }) => {
          if (message.key?.toString() === correlationId && message.value)
            replies.push(ReplyCodec.decode(message.value));
        },
      });
      await joined;
      await producer.connect();
      await producer.send({
        topic: Topics.users,
        messages: [
          {
            key: userId,
            value: Buffer.from(
              UserCommandCodec.encode({
                correlation_id: correlationId,
                command: { kind: 'create', value: { credit: 5, reset: false } },
              }),
            ),
          },
        ],
      });
      for (let i = 0; i < 300 && replies.length === 0; i++)
        await new Promise((resolve) => setTimeout(resolve, 100));
      expect(replies).toHaveLength(1);
      expect(replies[0]!.correlation_id).toBe(correlationId);
      expect(replies[0]!.result).toEqual({
        kind: 'user_created',
        value: expect.objectContaining({ user_id: userId }),
      });
    } finally {
      await consumer.disconnect();
      await producer.disconnect();
    }
  });
});
