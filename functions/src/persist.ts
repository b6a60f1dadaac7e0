import type { Context, ValueSpec } from '@shop/statefun';

/** Writes a decision's state back, only if the decision changed it (a refusal returns the same object). */
export function persist<T>(
  ctx: Context,
  spec: ValueSpec<T>,
  before: T | undefined,
  after: T | undefined,
): void {
  if (after === before) return;
  if (after === undefined) ctx.state.clear(spec);
  else ctx.state.set(spec, after);
}
