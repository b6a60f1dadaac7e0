import { BooleanWrapperCodec, LongWrapperCodec, StringWrapperCodec, type Codec } from '@shop/protos';

/** A message or state type: a typename and how its values become bytes. Same shape as a proto Codec. */
export type Type<T> = Codec<T>;

function wrapped<T>(codec: Codec<{ value: T }>): Type<T> {
  return {
    typename: codec.typename,
    encode: (value) => codec.encode({ value }),
    decode: (bytes) => codec.decode(bytes).value,
  };
}

const utf8 = new TextEncoder();
const fromUtf8 = new TextDecoder();

/** StateFun's built-in types, encoded as every official SDK encodes them, plus JSON for plain objects. */
export const Types = {
  string: wrapped(StringWrapperCodec),
  long: wrapped(LongWrapperCodec),
  bool: wrapped(BooleanWrapperCodec),
  /** Bytes passed through as they are, under any typename: for forwarding a message whose type is not yours to read. */
  raw(typename: string): Type<Uint8Array> {
    return { typename, encode: (value) => value, decode: (bytes) => bytes };
  },
  /** Plain JSON under a typename of your own (`shop.types/UserState`): for state only the function reads. */
  json<T>(typename: string): Type<T> {
    return {
      typename,
      encode: (value) => utf8.encode(JSON.stringify(value)),
      decode: (bytes) => JSON.parse(fromUtf8.decode(bytes)) as T,
    };
  },
} as const;
