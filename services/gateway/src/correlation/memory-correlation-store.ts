import type { CorrelationStore, Parked, PollResult } from './correlation-store';
import { Waiters } from './waiters';

interface Entry {
  reply: Uint8Array | undefined;
  expiresAt: number;
  request?: string;
}

/** The embedded mode's correlation map: one process, so every waiter is local. Entries expire after `ttlMs`. */
export class MemoryCorrelationStore implements CorrelationStore {
  private readonly waiters = new Waiters();
  private readonly entries = new Map<string, Entry>();
  /** The request each waiting ID was parked with; moved into its entry once there is one. */
  private readonly requests = new Map<string, string>();
  private readonly sweeper: NodeJS.Timeout;

  constructor(
    private readonly ttlMs: number,
    private readonly now: () => number = Date.now,
  ) {
    this.sweeper = setInterval(() => this.sweep(), Math.min(ttlMs, 60_000));
    this.sweeper.unref();
  }

  park(id: string, timeoutMs: number, request?: string): Promise<Parked | undefined> {
    const entry = this.entries.get(id);
    if (this.waiters.has(id) || (entry && entry.expiresAt > this.now())) return Promise.resolve(undefined);
    this.entries.delete(id);
    if (request !== undefined) this.requests.set(id, request);
    else this.requests.delete(id);
    // An entry is made by the reply, or at the timeout for polling; until then the waiter stands for it.
    const reply = this.waiters.add(id, timeoutMs, () => {
      if (!this.entries.has(id)) this.entries.set(id, this.entry(id, undefined));
      return Promise.resolve(this.entries.get(id)?.reply);
    });
    // One process: if it stops, its waiters and its map stop with it, so there is nothing to record.
    return Promise.resolve({ reply, sent: () => Promise.resolve() });
  }

  deliver(id: string, reply: Uint8Array): Promise<void> {
    // Kept even when answered directly, as the Redis store does: an ID names one request for its TTL.
    this.entries.set(id, this.entry(id, reply));
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

  requestOf(id: string): Promise<string | undefined> {
    const entry = this.entries.get(id);
    if (entry && entry.expiresAt > this.now()) return Promise.resolve(entry.request);
    return Promise.resolve(this.waiters.has(id) ? this.requests.get(id) : undefined);
  }

  check(): Promise<void> {
    return Promise.resolve();
  }

  close(): Promise<void> {
    clearInterval(this.sweeper);
    this.waiters.releaseAll();
    return Promise.resolve();
  }

  /** A new entry for `id`, carrying the request it was parked with. */
  private entry(id: string, reply: Uint8Array | undefined): Entry {
    const request = this.requests.get(id) ?? this.entries.get(id)?.request;
    this.requests.delete(id);
    return { reply, expiresAt: this.now() + this.ttlMs, ...(request !== undefined ? { request } : {}) };
  }

  private sweep(): void {
    const now = this.now();
    for (const [id, entry] of this.entries) {
      if (entry.expiresAt <= now) this.entries.delete(id);
    }
  }
}
