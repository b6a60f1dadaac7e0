/**
 * A consumer's lag per partition it holds, as kafkajs's batch events report it: what each partition's
 * high watermark was past the last record of the last batch handled.
 */
export class PartitionLag {
  private readonly byPartition = new Map<string, Map<number, number>>();

  seen(topic: string, partition: number, records: number): void {
    let partitions = this.byPartition.get(topic);
    if (!partitions) this.byPartition.set(topic, (partitions = new Map()));
    partitions.set(partition, Math.max(0, records));
  }

  assigned(assignment: Record<string, number[]>): void {
    for (const [topic, partitions] of this.byPartition) {
      const held = new Set(assignment[topic] ?? []);
      for (const partition of partitions.keys()) if (!held.has(partition)) partitions.delete(partition);
    }
  }

  byTopic(): ReadonlyMap<string, number> {
    const sums = new Map<string, number>();
    for (const [topic, partitions] of this.byPartition) {
      let sum = 0;
      for (const records of partitions.values()) sum += records;
      sums.set(topic, sum);
    }
    return sums;
  }
}
