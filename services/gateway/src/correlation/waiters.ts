/**
 * The requests parked on this replica: each resolves once, with a reply or with undefined at its
 * timeout. Both store implementations keep their local waiters here.
 */
export class Waiters {
  private readonly pending = new Map<
    string,
    { resolve: (reply: Uint8Array | undefined) => void; timer: NodeJS.Timeout }
  >();

  /** Waits for `id`; on timeout calls `onTimeout` for a last look and resolves with what it finds. */
  add(
    id: string,
    timeoutMs: number,
    onTimeout: () => Promise<Uint8Array | undefined> = () => Promise.resolve(undefined),
  ): Promise<Uint8Array | undefined> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        onTimeout().then(resolve, () => resolve(undefined));
      }, timeoutMs);
      this.pending.set(id, { resolve, timer });
    });
  }

  /** Resolves the waiter for `id` if this replica holds it; false when it does not. */
  resolve(id: string, reply: Uint8Array): boolean {
    const waiter = this.pending.get(id);
    if (!waiter) return false;
    this.pending.delete(id);
    clearTimeout(waiter.timer);
    waiter.resolve(reply);
    return true;
  }

  has(id: string): boolean {
    return this.pending.has(id);
  }

  /** Ends every wait now (shutdown): the callers answer 202 and the replies stay pollable. */
  releaseAll(): void {
    for (const [id, waiter] of this.pending) {
      clearTimeout(waiter.timer);
      waiter.resolve(undefined);
      this.pending.delete(id);
    }
  }
}
