import type { Broker, BrokerRecord, RecordHandler, Subscription } from './broker';

interface Group {
  topics: ReadonlySet<string>;
  handler: RecordHandler;
  queue: BrokerRecord[];
  draining: boolean;
  /** By topic, the records queued or being handled: the group's lag. */
  pending: Map<string, number>;
}

/**
 * The embedded mode's broker: records are delivered in publish order, one at a time per consumer group,
 * on a later tick (never inside `publish`, as with a real broker). Nothing is persisted.
 */
export class MemoryBroker implements Broker {
  private readonly groups = new Map<string, Group>();

  constructor(
    private readonly onHandlerError: (error: unknown, record: BrokerRecord) => void = () => undefined,
  ) {}

  publish(topic: string, key: string, value: Uint8Array): Promise<void> {
    const record = { topic, key, value, timestamp: Date.now() };
    for (const group of this.groups.values()) {
      if (!group.topics.has(topic)) continue;
      group.queue.push(record);
      group.pending.set(topic, (group.pending.get(topic) ?? 0) + 1);
      if (!group.draining) {
        group.draining = true;
        setImmediate(() => void this.drain(group));
      }
    }
    return Promise.resolve();
  }

  subscribe(groupId: string, topics: readonly string[], handler: RecordHandler): Promise<Subscription> {
    if (this.groups.has(groupId)) {
      throw new Error(`consumer group ${groupId} already has a member in this process`);
    }
    const group: Group = { topics: new Set(topics), handler, queue: [], draining: false, pending: new Map() };
    this.groups.set(groupId, group);
    return Promise.resolve({
      unsubscribe: () => {
        this.groups.delete(groupId);
        return Promise.resolve();
      },
      lag: () => group.pending,
    });
  }

  check(): Promise<void> {
    return Promise.resolve();
  }

  close(): Promise<void> {
    this.groups.clear();
    return Promise.resolve();
  }

  private async drain(group: Group): Promise<void> {
    // Takes the whole queue per pass so that a burst of records costs one tick, not one each.
    while (group.queue.length > 0) {
      const batch = group.queue.splice(0);
      for (const record of batch) {
        try {
          await group.handler(record);
        } catch (error) {
          this.onHandlerError(error, record);
        }
        group.pending.set(record.topic, (group.pending.get(record.topic) ?? 1) - 1);
      }
    }
    group.draining = false;
  }
}
