import {
  ReadReplyEgress,
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
import { functionEvents } from './telemetry';

/** Who is owed the reply to a command: the gateway (through the egress) or another function. */
export interface Requester {
  correlation_id: string;
  caller?: Address;
  /** The gateway takes this reply from the read egress, not committed with the checkpoint. */
  fast_read?: true;
}

/** A reply a domain decision produced, for a requester. */
export interface Outbound {
  to: Requester;
  result: ReplyResult;
}

/**
 * Who sent the message being handled. `fastRead`: the command is a read whose sender, the gateway, asked
 * for its reply on the read egress (`fast_read_reply`); only the function knows what is a read.
 */
export function requesterOf(ctx: Context, correlationId: string, fastRead = false): Requester {
  const caller = ctx.caller;
  // Copied field by field: a requester may be kept in state, and state is plain JSON.
  if (caller) {
    return {
      correlation_id: correlationId,
      caller: { namespace: caller.namespace, type: caller.type, id: caller.id },
    };
  }
  return fastRead ? { correlation_id: correlationId, fast_read: true } : { correlation_id: correlationId };
}

export function refusal(kind: ErrorKind, message: string): ReplyResult {
  const error: ErrorBody = { code: ErrorCodes[kind].code, message };
  return { kind: 'error', value: error };
}

/**
 * Sends a reply where it is owed: to the calling function as a message, or to an egress topic keyed by
 * correlation ID for the gateway: the read egress for a fast read, the exactly-once one otherwise. A
 * command with an empty correlation ID is a notification: no reply.
 */
export function respond(ctx: Context, reply: Outbound): void {
  const { to, result } = reply;
  if (to.correlation_id === '') return;
  const message = { correlation_id: to.correlation_id, result };
  if (to.caller) {
    ctx.send(to.caller, ReplyCodec, message);
  } else {
    if (result.kind === 'error') {
      const self = ctx.self;
      functionEvents().refused(
        `${self.namespace}/${self.type}`,
        self.id,
        to.correlation_id,
        result.value.code,
        result.value.message,
      );
    }
    const fast = to.fast_read === true;
    ctx.kafkaEgress(fast ? ReadReplyEgress : ReplyEgress, {
      topic: fast ? Topics.readReplies : Topics.egress,
      key: to.correlation_id,
      value: ReplyCodec.encode(message),
    });
  }
}
