import type { TSchema } from '@sinclair/typebox';
import type { Codec, Envelope, ErrorKind, IngressTopic, Variant } from '@shop/protos';
import type { Ingress } from '../ingress';
import { operation, type Operation, type OperationSpec, type ResponseSpec } from './operation';
import type { ParamDefs, ParsedParams } from './params';
import { Accepted } from './bodies';
import {
  CORRELATION_HEADER,
  REPLAYED_HEADER,
  correlationHeader,
  correlationIdParam,
  idempotencyKeyParam,
  locationHeader,
  replayedHeader,
} from './headers';

/** Where a domain's commands go: its ingress topic and the envelope its function reads. */
export interface CommandTarget<M> {
  topic: IngressTopic;
  codec: Codec<Envelope<'command', M>>;
}

export interface CommandRouteSpec<P extends ParamDefs, M> extends Omit<
  OperationSpec<P>,
  'responses' | 'mutating' | 'tag'
> {
  /** What a successful reply looks like (the function's refusals are in `errors`). */
  success: { status: 200 | 201; body: TSchema };
  /** The command, and the entity it goes to: the key of its ingress message. */
  command(params: ParsedParams<P>): { key: string; command: Variant<M> };
}

/** Refusals any command route may answer with, before or after its command is sent. */
const COMMON_ERRORS: readonly ErrorKind[] = ['BAD_REQUEST', 'CORRELATION_ID_IN_USE', 'UNAVAILABLE'];
const MUTATING_ERRORS: readonly ErrorKind[] = ['IDEMPOTENCY_KEY_REUSED', 'IDEMPOTENT_REQUEST_IN_PROGRESS'];

const accepted: ResponseSpec = {
  description: 'The reply is late: it stays pollable at the Location for REPLY_TTL_SECONDS',
  body: Accepted,
  headers: { Location: locationHeader, [CORRELATION_HEADER]: correlationHeader },
};

/**
 * The domains' routes: each turns a call into one command for one entity and answers with its reply,
 * or with 202 and where to poll when the reply is late. `route(target, spec)` builds one.
 */
export function commandRoutes(ingress: Ingress, tag: string) {
  return <P extends ParamDefs, M>(target: CommandTarget<M>, spec: CommandRouteSpec<P, M>): Operation => {
    const { command, success, ...rest } = spec;
    const mutating = spec.method !== 'get';
    const answer: ResponseSpec = {
      description: String(success.body.description ?? 'Done'),
      body: success.body,
      headers: {
        [CORRELATION_HEADER]: correlationHeader,
        ...(mutating ? { [REPLAYED_HEADER]: replayedHeader } : {}),
      },
    };
    return operation(
      {
        ...rest,
        tag,
        mutating,
        headers: mutating ? [correlationIdParam, idempotencyKeyParam] : [correlationIdParam],
        responses: { [success.status]: answer, 202: accepted },
        errors: [...spec.errors, ...COMMON_ERRORS, ...(mutating ? MUTATING_ERRORS : [])],
      },
      (params, _req, res) => {
        const { key, command: message } = command(params);
        return ingress.dispatch(res, {
          topic: target.topic,
          key,
          codec: target.codec,
          // Entity commands carry the flag; the batch envelope has no such field, and encoding drops it.
          build: (correlation_id, fast_read_reply) =>
            ({ correlation_id, fast_read_reply, command: message }) as Envelope<'command', M>,
        });
      },
    );
  };
}
