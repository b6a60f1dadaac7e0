import {
  HttpIngress,
  HttpIngressMessageCodec,
  ReplyCodec,
  ReplyEgress,
  Topics,
  type HttpIngressMessage,
  type TypedMessage,
} from '@shop/protos';
import { Types, statefulFunction, valueSpec, type Context, type Message } from '@shop/statefun';
import { persist } from '../persist';
import { decideForward, type ForwardState, type ForwarderInput } from './forwarder-domain';

/**
 * How long a forwarder remembers its request: longer than the gateway keeps it pollable
 * (REPLY_TTL_SECONDS, default 600 s). An answer later than this is dropped, and so is its record.
 */
export const FORWARD_TTL_MS = 3_600_000;

export const ForwardStateSpec = valueSpec('forward', Types.json<ForwardState>('shop.types/ForwardState'), {
  mode: 'after-write',
  afterMillis: FORWARD_TTL_MS,
});

/** Decoded bytes may be a view into the request or, when absent, a plain empty array: always a copy. */
function bytesOf(value: Uint8Array | null | undefined): Uint8Array {
  return value ? Uint8Array.from(value) : new Uint8Array(0);
}

function inputOf(ctx: Context, message: Message): ForwarderInput | undefined {
  if (ctx.caller) {
    return { kind: 'answer', message: { typename: message.typename, value: bytesOf(message.bytes) } };
  }
  // From the ingress topic (no caller): the request. Anything else cannot be answered: dropped.
  if (!message.is(HttpIngressMessageCodec)) return undefined;
  const request: Partial<HttpIngressMessage> = message.as(HttpIngressMessageCodec);
  const { target, message: body } = request;
  if (!target || !body || !target.namespace || !target.type) return undefined;
  const typed: TypedMessage = { typename: body.typename, value: bytesOf(body.value) };
  return { kind: 'request', request: { target, message: typed } };
}

/**
 * `egress/*`: the paired egress of the HTTP ingress, one instance per correlation ID
 * (`egress/httpout/<correlation id>`). StateFun's Kafka ingress sets no caller, so this function stands
 * in for the sender FLINK-23301 describes: it sends the request's message to its target as the caller,
 * and writes whatever the target answers to `ctx.caller` to the egress topic, keyed by the correlation
 * ID, where the gateway stores it for polling.
 */
export const httpForwarderFunction = statefulFunction({
  typename: `${HttpIngress.egressNamespace}/*`,
  specs: [ForwardStateSpec],
  handle(ctx, message) {
    const input = inputOf(ctx, message);
    if (!input) return;
    const before = ctx.state.get(ForwardStateSpec);
    const decision = decideForward(before, input);
    persist(ctx, ForwardStateSpec, before, decision.state);
    if (decision.send) {
      const { target, message: body } = decision.send;
      ctx.send(target, Types.raw(body.typename), body.value);
    }
    if (decision.reply) {
      const correlationId = ctx.self.id;
      ctx.kafkaEgress(ReplyEgress, {
        topic: Topics.egress,
        key: correlationId,
        value: ReplyCodec.encode({
          correlation_id: correlationId,
          result: { kind: 'message', value: decision.reply },
        }),
      });
    }
  },
});
