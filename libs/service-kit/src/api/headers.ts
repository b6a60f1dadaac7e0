import { Type } from '@sinclair/typebox';
import type { HeaderParam, ResponseHeader } from './operation';
import { UUID_PATTERN } from './params';

/**
 * Names a request's correlation ID. A client may choose it (a UUID): then, should the gateway replica
 * holding its request die, the client still knows what to poll. Every answer to a command carries it.
 */
export const CORRELATION_HEADER = 'X-Correlation-ID';
/** A client's retry key for a mutating request (the IETF httpapi idempotency-key draft). */
export const IDEMPOTENCY_HEADER = 'Idempotency-Key';
/** Set on an answer that replays the first answer given under the same Idempotency-Key. */
export const REPLAYED_HEADER = 'Idempotent-Replayed';

export const correlationHeader: ResponseHeader = {
  description: "the request's correlation ID: the client's own, or the gateway's choice",
  schema: Type.String({ format: 'uuid' }),
};
export const locationHeader: ResponseHeader = {
  description: 'where the reply is polled: /replies/{correlation_id}',
  schema: Type.String(),
};
export const replayedHeader: ResponseHeader = {
  description: '`true` when this answer replays the first one given under the same Idempotency-Key',
  schema: Type.Literal('true'),
};

/** The longest Idempotency-Key taken; longer ones are refused with 400. */
export const MAX_IDEMPOTENCY_KEY_LENGTH = 255;
/** Visible ASCII only: a key is an opaque token, and it becomes part of a store key. */
export const IDEMPOTENCY_KEY_PATTERN = `^[\\x21-\\x7e]{1,${MAX_IDEMPOTENCY_KEY_LENGTH}}$`;

export const correlationIdParam: HeaderParam = {
  name: CORRELATION_HEADER,
  description:
    'the correlation ID to use, a UUID not used in the last REPLY_TTL_SECONDS: poll /replies/{id} with it ' +
    'if the answer never comes. Not with Idempotency-Key',
  schema: Type.String({ format: 'uuid', pattern: UUID_PATTERN }),
};

export const idempotencyKeyParam: HeaderParam = {
  name: IDEMPOTENCY_HEADER,
  description:
    'a key the client chooses per request: resending the same request with it replays the first answer ' +
    'for REPLY_TTL_SECONDS, from any gateway replica; the same key with another request is refused with 422; ' +
    'while the first is still running, 409',
  schema: Type.String({ pattern: IDEMPOTENCY_KEY_PATTERN }),
};
