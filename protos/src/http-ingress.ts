import { messageCodec, type Codec } from './codec';
import { UserCommandCodec, type Empty, type TypedMessage } from './shop';
import { StringWrapperCodec, type Address } from './statefun';
import { FunctionTypes } from './topology';

// The HTTP ingress's contracts (FLINK-23301's design): what the gateway publishes, who forwards it, and
// which function types it may reach with which message types. Gateway and functions import them here.

/** What the gateway publishes on `shop-http-in`, keyed by correlation ID. */
export interface HttpIngressMessage {
  target: Address;
  message: TypedMessage;
}

export const HttpIngressMessageCodec = messageCodec<HttpIngressMessage>(
  'shop.types.HttpIngressMessage',
  'shop.types/HttpIngressMessage',
);

/** A message with no content: what a POST without a body and without a Content-Type sends. */
export const EmptyCodec = messageCodec<Empty>('shop.types.Empty', 'shop.types/Empty');

/** Functions that only the HTTP ingress reaches: examples of a function written for it. */
export const ExampleFunctionTypes = {
  greeter: 'example/greeter',
} as const;

export const HttpIngress = {
  /**
   * A paired egress is a function type in this namespace: a message from the ingress has the caller
   * `egress/<paired egress>/<correlation id>`, and the forwarder serving `egress/*` writes what comes
   * back to it to the egress topic. Which name the ingress pairs with is the target of the
   * `shop-http-in` route in statefun/module.yaml.
   */
  egressNamespace: 'egress',
  /** The paired egress statefun/module.yaml names. */
  defaultPairedEgress: 'httpout',
  /** `Content-Type: text/plain` (UTF-8) becomes a message of StateFun's string type. */
  textTypename: StringWrapperCodec.typename,
  /** A request without a body and without a Content-Type is an empty message of this type. */
  emptyTypename: EmptyCodec.typename,
} as const;

/**
 * The function types the HTTP ingress may send to, and the message types each takes from it, by codec:
 * the gateway refuses any other type, and a body its codec cannot read, before anything is sent (a
 * message its function cannot decode would make the function throw, and StateFun retry it forever).
 *
 * `shop/user` is here because every UserCommand is one the REST API sends as well, and the function
 * checks every value itself. The other shop functions are not: they take commands only the checkout
 * saga may send (reserve/release, seed, payment_cancelled) or replies, or rely on the REST layer's
 * bounds (batch sizes).
 */
export const HttpIngressTargets: ReadonlyMap<string, readonly Codec<unknown>[]> = new Map<
  string,
  readonly Codec<unknown>[]
>([
  [ExampleFunctionTypes.greeter, [StringWrapperCodec, EmptyCodec]],
  [FunctionTypes.user, [UserCommandCodec]],
]);
