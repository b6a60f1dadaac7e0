import type { BatchCommands } from './shop';
import type { Address } from './statefun';

// Names shared by the gateway, the functions, the embedded runtime and statefun/module.yaml
// (a test checks that module.yaml says the same).

/** Ingress topics: one per REST domain, keyed by entity id; plus the batch fan-out topic. */
export const Topics = {
  users: 'shop-users',
  payments: 'shop-payments',
  stock: 'shop-stock',
  orders: 'shop-orders',
  batch: 'shop-batch',
  /** The HTTP ingress's messages (HttpIngressMessage), keyed by correlation ID, for the paired egress. */
  httpIn: 'shop-http-in',
  /** Where every reply lands, keyed by correlation ID: exactly-once, committed with each checkpoint. */
  egress: 'shop-egress',
  /**
   * Where replies to reads land when the gateway asks for them there (`fast_read_reply`), keyed by
   * correlation ID: at-least-once, visible as soon as written, not waiting for the checkpoint.
   */
  readReplies: 'shop-egress-reads',
} as const;
/** The topics the gateway consumes replies from. */
export const ReplyTopics = [Topics.egress, Topics.readReplies] as const;
export type IngressTopic = Exclude<(typeof Topics)[keyof typeof Topics], (typeof ReplyTopics)[number]>;

/** Function types, `shop/<entity>`; one virtual instance per entity id. */
export const FunctionTypes = {
  user: 'shop/user',
  item: 'shop/item',
  order: 'shop/order',
  batch: 'shop/batch',
} as const;
export type FunctionTypeName = (typeof FunctionTypes)[keyof typeof FunctionTypes];

/**
 * The key a batch_init command is published under, hence the id of the shop/batch instance that runs it:
 * its kind (`users`, `items`, `orders`). One instance per kind is how StateFun runs one batch of a kind at
 * a time; shop/batch refuses a command that reaches it under another id.
 */
export function batchKey(kind: keyof BatchCommands): string {
  return kind;
}

/** The Kafka egress the functions write replies to (`io.statefun.kafka.v1/egress` id): exactly-once. */
export const ReplyEgress = { namespace: 'shop', type: 'replies' } as const;
/** The Kafka egress of replies to reads that may skip the checkpoint: at-least-once, `Topics.readReplies`. */
export const ReadReplyEgress = { namespace: 'shop', type: 'read-replies' } as const;

/** The address of instance `id` of a function type named `namespace/type` (module.yaml routes name any). */
export function addressOf(functionType: string, id: string): Address {
  const slash = functionType.indexOf('/');
  return { namespace: functionType.slice(0, slash), type: functionType.slice(slash + 1), id };
}
