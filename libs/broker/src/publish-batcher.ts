/** One record waiting to be produced, with the promise of its caller. */
export interface PendingRecord {
  topic: string;
  key: string;
  value: Buffer;
}

/**
 * Group commit for a producer: the first record is sent at once; records published while a send is in
 * flight wait, and go together in the next send. Under load a request costs a fraction of a round trip
 * instead of a whole one; alone, a record waits for nobody (no linger).
 *
 * An idempotent Kafka producer allows one request in flight per broker anyway, so this changes no
 * ordering: records go out in the order they were published, and each caller learns its own batch's fate.
 */
export class PublishBatcher {
  private waiting: { record: PendingRecord; resolve: () => void; reject: (error: unknown) => void }[] = [];
  private sending = false;

  /**
   * `send` produces one batch and settles when the broker acknowledged all of it (or failed).
   * `maxBatch` bounds a batch, so that one send never carries an unbounded backlog.
   */
  constructor(
    private readonly send: (records: readonly PendingRecord[]) => Promise<void>,
    private readonly maxBatch = 500,
  ) {}

  publish(record: PendingRecord): Promise<void> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ record, resolve, reject });
      if (!this.sending) void this.drain();
    });
  }

  private async drain(): Promise<void> {
    this.sending = true;
    while (this.waiting.length > 0) {
      const batch = this.waiting.splice(0, this.maxBatch);
      try {
        await this.send(batch.map((entry) => entry.record));
        for (const entry of batch) entry.resolve();
      } catch (error) {
        for (const entry of batch) entry.reject(error);
      }
    }
    this.sending = false;
  }
}
