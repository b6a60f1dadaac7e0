import type protobuf from 'protobufjs';
import { root } from './root';

/** Turns values of one type to bytes and back, and names that type on the wire. */
export interface Codec<T> {
  readonly typename: string;
  encode(value: T): Uint8Array;
  decode(bytes: Uint8Array): T;
}

/** One member of a protobuf `oneof`, as a tagged value: `{ kind: 'add_credit', value: { amount: 5 } }`. */
export type Variant<M> = { [K in keyof M]: { kind: K; value: M[K] } }[keyof M];

/** Messages shaped `{ correlation_id, <oneofName>: one of M }` — every command and the reply. */
export type Envelope<K extends string, M> = { correlation_id: string } & { [P in K]: Variant<M> };

/**
 * A command to one entity (user, item, order). `fast_read_reply`: the gateway takes the reply to a read
 * from the read egress, which is not committed with the checkpoint (see protos/shop.proto).
 */
export type EntityCommand<M> = Envelope<'command', M> & EntityCommandFields;
export interface EntityCommandFields {
  fast_read_reply?: boolean;
}

function lookup(fullName: string): protobuf.Type {
  return root.lookupType(fullName);
}

/** A codec for a plain message whose TypeScript shape mirrors the .proto (snake_case fields). */
export function messageCodec<T extends object>(fullName: string, typename: string): Codec<T> {
  const type = lookup(fullName);
  return {
    typename,
    encode: (value) => type.encode(value).finish(),
    // Decoded messages carry proto3 defaults on their prototype, so absent scalars read as 0 / '' / false.
    decode: (bytes) => type.decode(bytes) as unknown as T,
  };
}

/**
 * A codec for an envelope whose payload is a `oneof`. The TypeScript side sees a tagged union so that
 * a `switch (cmd.command.kind)` is checked for exhaustiveness; the wire keeps plain protobuf oneofs.
 */
export function envelopeCodec<K extends string, M, Fields extends object = object>(
  fullName: string,
  typename: string,
  oneofName: K,
): Codec<Envelope<K, M> & Fields> {
  const type = lookup(fullName);
  const plainFields = type.fieldsArray.filter((field) => !field.partOf).map((field) => field.name);
  return {
    typename,
    encode(value) {
      const { [oneofName]: variant, ...plain } = value as Record<string, unknown>;
      const { kind, value: payload } = variant as { kind: string; value: unknown };
      return type.encode({ ...plain, [kind]: payload }).finish();
    },
    decode(bytes) {
      const message = type.decode(bytes) as unknown as Record<string, unknown>;
      const kind = message[oneofName];
      if (typeof kind !== 'string') {
        throw new Error(`${typename} without a ${oneofName}`);
      }
      // Every field outside the oneof, defaults included (they live on the decoded message's prototype).
      const envelope: Record<string, unknown> = { [oneofName]: { kind, value: message[kind] } };
      for (const name of plainFields) envelope[name] = message[name];
      return envelope as Envelope<K, M> & Fields;
    },
  };
}
