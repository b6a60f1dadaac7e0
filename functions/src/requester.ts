import {
  ReplyCodec,
  ReplyEgress,
  Topics,
  type Address,
  type ErrorBody,
  type ErrorKind,
  ErrorCodes,
  type ReplyResult,
} from '@shop/protos';
import type { Context } from '@shop/statefun';

/** Who is owed the reply to a command: the gateway (through the egress) or another function. */
export interface Requester {
  correlation_id: string;
  caller?: Address;
}

/** A reply a domain decision produced, for a requester. */
export interface Outbound {
  to: Requester;
  result: ReplyResult;
}

export function requesterOf(ctx: Context, correlationId: string): Requester {
  const caller = ctx.caller;
  // Copied field by field: a requester may be kept in state, and state is plain JSON.
  return caller
    ? {
        correlation_id: correlationId,
        caller: { namespace: caller.namespace, type: caller.type, id: caller.id },
      }
    : { correlation_id: correlationId };
}

export function refusal(kind: ErrorKind, message: string): ReplyResult {
  const error: ErrorBody = { code: ErrorCodes[kind].code, message };
  return { kind: 'error', value: error };
}

/**
 * Sends a reply where it is owed: to the calling function as a message, or to the egress topic keyed by
 * correlation ID for the gateway. A command with an empty correlation ID is a notification: no reply.
 */
export function respond(ctx: Context, reply: Outbound): void {
  const { to, result } = reply;
  if (to.correlation_id === '') return;
  const message = { correlation_id: to.correlation_id, result };
  if (to.caller) {
    ctx.send(to.caller, ReplyCodec, message);
  } else {
    ctx.kafkaEgress(ReplyEgress, {
      topic: Topics.egress,
      key: to.correlation_id,
      value: ReplyCodec.encode(message),
    });
  }
}
