import { Types, valueSpec, type Context } from '@shop/statefun';

/**
 * How many of the gateway's correlation IDs an entity remembers. A client resends a request (under the
 * same ID) within seconds of losing its gateway replica; an entity would need more than this many other
 * requests in between to forget the first one.
 */
export const RECENT_REQUESTS = 32;

/**
 * The correlation IDs of the latest requests an entity took from the gateway, oldest first. They make a
 * resent request harmless: the entity drops it, and the reply to the first one (kept by the gateway
 * under that same ID) answers both.
 */
export const RecentRequestsSpec = valueSpec('recent', Types.json<string[]>('shop.types/RecentRequests'), {
  mode: 'after-write',
  afterMillis: 60 * 60 * 1000,
});

/**
 * Whether a request is new: not a notification (empty ID), not from another function, and not seen.
 * Returns the remembered IDs with this one added when it is new, or undefined when it is a duplicate.
 */
export function admitRequest(
  recent: readonly string[] | undefined,
  correlationId: string,
): readonly string[] | undefined {
  const seen = recent ?? [];
  if (seen.includes(correlationId)) return undefined;
  const kept = seen.length >= RECENT_REQUESTS ? seen.slice(seen.length - RECENT_REQUESTS + 1) : seen;
  return [...kept, correlationId];
}

/**
 * Admits a command as it reaches a function: true to handle it, false when it is a request the entity
 * already took (a resend after a lost connection). Only the gateway's writes are tracked: messages
 * between functions are delivered exactly once by StateFun already, and a read repeated changes nothing
 * (so a read writes no state at all).
 */
export function isNewRequest(ctx: Context, correlationId: string): boolean {
  if (correlationId === '' || ctx.caller) return true;
  const admitted = admitRequest(ctx.state.get(RecentRequestsSpec), correlationId);
  if (!admitted) return false;
  ctx.state.set(RecentRequestsSpec, [...admitted]);
  return true;
}
