/** A record on a topic: the key decides its partition, so one key's records stay in order. */
export interface BrokerRecord {
  topic: string;
  key: string;
  value: Uint8Array;
  /** When it was written, in ms since the epoch (Kafka's record timestamp). */
  timestamp: number;
}

export type RecordHandler = (record: BrokerRecord) => Promise<void> | void;

export interface Subscription {
  unsubscribe(): Promise<void>;
  /**
   * By topic, the records published that this subscriber has not handled yet (on Kafka: for the
   * partitions this member holds, as of its last fetch). For metrics; absent where nobody can tell.
   */
  lag?(): ReadonlyMap<string, number>;
}

/**
 * Topics of keyed records: Kafka in the real stack, an in-process stand-in in embedded mode. Records of a
 * subscription reach its handler one at a time per key, in the order they were published.
 */
export interface Broker {
  publish(topic: string, key: string, value: Uint8Array): Promise<void>;
  /**
   * Joins consumer group `groupId`: each record goes to one member of the group. A group reads from
   * where it left off; where it has never read, from the start of what the topic retains.
   */
  subscribe(groupId: string, topics: readonly string[], handler: RecordHandler): Promise<Subscription>;
  /**
   * Resolves when the broker answers and every subscription is still consuming; rejects with what is
   * wrong otherwise. Readiness probes call it, so it must be cheap and must not wait for long.
   */
  check(): Promise<void>;
  close(): Promise<void>;
}
