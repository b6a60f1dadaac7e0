import { Kafka, Partitioners, logLevel, type Admin, type Consumer, type Producer } from 'kafkajs';
import type { Broker, RecordHandler, Subscription } from './broker';
import { PartitionLag } from './partition-lag';
import { PublishBatcher, type PendingRecord } from './publish-batcher';

export interface KafkaBrokerOptions {
  brokers: string[];
  clientId: string;
  /** Called for a record whose handler threw: the record is not retried (its reply will time out). */
  onHandlerError?: (error: unknown, topic: string) => void;
  /** How long `check()` waits for the cluster to answer (default 2000 ms). */
  checkTimeoutMs?: number;
}

/**
 * The Broker seam on Apache Kafka, through kafkajs. Consumers read only committed records, so a
 * reply from StateFun's exactly-once egress is seen once its checkpoint has completed.
 */
export class KafkaBroker implements Broker {
  private readonly kafka: Kafka;
  private readonly producer: Producer;
  private readonly consumers = new Set<Consumer>();
  private connected: Promise<void> | undefined;
  /** Why a consumer stopped for good: kafkajs gave up restarting it, so no more records arrive. */
  private consumerFailure: Error | undefined;
  private admin: Admin | undefined;
  private readonly batcher = new PublishBatcher((records) => this.sendBatch(records));

  constructor(private readonly options: KafkaBrokerOptions) {
    this.kafka = new Kafka({ clientId: options.clientId, brokers: options.brokers, logLevel: logLevel.WARN });
    // Idempotent: a retried send after a lost acknowledgement does not write the command twice.
    this.producer = this.kafka.producer({
      idempotent: true,
      maxInFlightRequests: 1,
      allowAutoTopicCreation: false,
      // Java's murmur2 partitioning: one key lands on one partition whichever client wrote it.
      createPartitioner: Partitioners.DefaultPartitioner,
    });
  }

  publish(topic: string, key: string, value: Uint8Array): Promise<void> {
    return this.batcher.publish({
      topic,
      key,
      value: Buffer.from(value.buffer, value.byteOffset, value.byteLength),
    });
  }

  /** One produce request for every record published while the last one was in flight. */
  private async sendBatch(records: readonly PendingRecord[]): Promise<void> {
    this.connected ??= this.producer.connect();
    await this.connected;
    const byTopic = new Map<string, { key: string; value: Buffer }[]>();
    for (const { topic, key, value } of records) {
      const messages = byTopic.get(topic) ?? [];
      if (messages.length === 0) byTopic.set(topic, messages);
      messages.push({ key, value });
    }
    await this.producer.sendBatch({
      topicMessages: [...byTopic].map(([topic, messages]) => ({ topic, messages })),
    });
  }

  async subscribe(groupId: string, topics: readonly string[], handler: RecordHandler): Promise<Subscription> {
    const consumer = this.kafka.consumer({
      groupId,
      readUncommitted: false,
      allowAutoTopicCreation: false,
      // A member that dies without leaving (kill -9) holds its partitions until its session times out;
      // 10 s rather than kafkajs's 30 s, so that the replies it was reading move to a live member sooner.
      sessionTimeout: 10_000,
      heartbeatInterval: 1_000,
    });
    this.consumers.add(consumer);
    consumer.on(consumer.events.CRASH, ({ payload }) => {
      if (!payload.restart) this.consumerFailure = payload.error;
    });
    const lag = new PartitionLag();
    // After each batch, its partition's high watermark says how many records are still behind it.
    consumer.on(consumer.events.END_BATCH_PROCESS, ({ payload }) =>
      lag.seen(payload.topic, payload.partition, Number(payload.offsetLag)),
    );
    // A rebalance moves partitions: what this member no longer holds is another member's lag.
    consumer.on(consumer.events.GROUP_JOIN, ({ payload }) => lag.assigned(payload.memberAssignment));
    await consumer.connect();
    // A partition the group has never committed an offset for is read from its start, not its end.
    // Reading from the end loses records: a partition that first gets a record while the group is
    // rebalancing (a member joining or leaving) is assigned after the record was written, and its new
    // owner would begin past it. Readers that only want recent records filter on the timestamp.
    await consumer.subscribe({ topics: [...topics], fromBeginning: true });
    await consumer.run({
      // Partitions are independent streams: handle them side by side, each in order.
      partitionsConsumedConcurrently: 4,
      // Offsets are committed once a second, not after every fetched batch (kafkajs's default, a request to
      // the group coordinator per batch under load): after a crash a member may see up to a second of
      // records again, which is at-least-once as before, one second wider.
      autoCommitInterval: 1_000,
      eachMessage: async ({ topic, message }) => {
        if (!message.key || !message.value) return;
        try {
          await handler({
            topic,
            key: message.key.toString('utf8'),
            value: message.value,
            timestamp: Number(message.timestamp),
          });
        } catch (error) {
          this.options.onHandlerError?.(error, topic);
        }
      },
    });
    return {
      unsubscribe: async () => {
        this.consumers.delete(consumer);
        await consumer.disconnect();
      },
      lag: () => lag.byTopic(),
    };
  }

  async check(): Promise<void> {
    if (this.consumerFailure) {
      throw new Error(`a consumer stopped for good: ${this.consumerFailure.message}`);
    }
    // A client of its own with no retries and no logging: a probe wants the broker's answer now, not
    // after kafkajs's retry schedule (which outlasts any probe timeout), and reports failures itself.
    this.admin ??= new Kafka({
      clientId: `${this.options.clientId}-check`,
      brokers: this.options.brokers,
      logLevel: logLevel.NOTHING,
      retry: { retries: 0 },
    }).admin();
    const admin = this.admin;
    const timeoutMs = this.options.checkTimeoutMs ?? 2_000;
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        admin.connect().then(() => admin.describeCluster()),
        new Promise<never>((_resolve, reject) => {
          timer = setTimeout(() => reject(new Error(`no answer from Kafka in ${timeoutMs} ms`)), timeoutMs);
        }),
      ]);
    } catch (error) {
      // A fresh client next time, rather than one whose connection state is unknown.
      this.admin = undefined;
      await admin.disconnect().catch(() => undefined);
      throw error;
    } finally {
      clearTimeout(timer);
    }
  }

  async close(): Promise<void> {
    await Promise.all([...this.consumers].map((consumer) => consumer.disconnect()));
    this.consumers.clear();
    await this.admin?.disconnect();
    if (this.connected) await this.producer.disconnect();
  }
}
