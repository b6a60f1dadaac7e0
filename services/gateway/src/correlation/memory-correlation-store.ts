import type { CorrelationStore, Parked, PollResult } from './correlation-store';
import { Waiters } from './waiters';

interface Entry {
  reply: Uint8Array | undefined;
  expiresAt: number;
}

/** The embedded mode's correlation map: one process, so every waiter is local. Entries expire after `ttlMs`. */
export class MemoryCorrelationStore implements CorrelationStore {
  private readonly waiters = new Waiters();
  private readonly entries = new Map<string, Entry>();
  private readonly sweeper: NodeJS.Timeout;

  constructor(
    private readonly ttlMs: number,
    private readonly now: () => number = Date.now,
  ) {
    this.sweeper = setInterval(() => this.sweep(), Math.min(ttlMs, 60_000));
    this.sweeper.unref();
  }

  park(id: string, timeoutMs: number): Promise<Parked | undefined> {
    const entry = this.entries.get(id);
    if (this.waiters.has(id) || (entry && entry.expiresAt > this.now())) return Promise.resolve(undefined);
    // An entry is made by the reply, or at the timeout for polling; until then the waiter stands for it.
    const reply = this.waiters.add(id, timeoutMs, () => {
      if (!this.entries.has(id))
        this.entries.set(id, { reply: undefined, expiresAt: this.now() + this.ttlMs });
      return Promise.resolve(this.entries.get(id)?.reply);
    });
    // One process: if it stops, its waiters and its map stop with it, so there is nothing to record.
    return Promise.resolve({ reply, sent: () => Promise.resolve() });
  }

  deliver(id: string, reply: Uint8Array): Promise<void> {
    // Kept even when answered directly, as the Redis store does: an ID names one request for its TTL.
    this.entries.set(id, { reply, expiresAt: this.now() + this.ttlMs });
    this.waiters.resolve(id, reply);
    return Promise.resolve();
  }

  poll(id: string): Promise<PollResult> {
    const entry = this.entries.get(id);
    if (entry && entry.expiresAt > this.now()) {
      return Promise.resolve(entry.reply ? { status: 'done', reply: entry.reply } : { status: 'pending' });
    }
    return Promise.resolve(this.waiters.has(id) ? { status: 'pending' } : undefined);
  }

  check(): Promise<void> {
    return Promise.resolve();
  }

  close(): Promise<void> {
    clearInterval(this.sweeper);
    this.waiters.releaseAll();
    return Promise.resolve();
  }

  private sweep(): void {
    const now = this.now();
    for (const [id, entry] of this.entries) {
      if (entry.expiresAt <= now) this.entries.delete(id);
    }
  }
}
