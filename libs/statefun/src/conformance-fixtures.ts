// Fixtures for conformance.test.ts: one set of functions written twice — with the official
// `apache-flink-statefun` 3.3.0 JavaScript SDK (the oracle) and with this package — plus the means to
// drive the same ToFunction bytes through both and compare what they answer.
//
// The official SDK is loosely typed (`any` storage, untyped google-protobuf globals); every value that
// crosses from it is read as `unknown` and narrowed here.
import { Readable } from 'node:stream';
import {
  StateFun,
  kafkaEgressMessage,
  messageBuilder,
  type Context as OfficialContext,
  type Message as OfficialMessage,
  type Type as OfficialType,
} from 'apache-flink-statefun';
import {
  ExpireMode,
  KafkaProducerRecordCodec,
  MutationType,
  ToFunctionCodec,
  type Address,
  type FromFunction,
  type PersistedValue,
  type PersistedValueSpec,
  type ToFunctionInvocation,
  type TypedValue,
} from '@shop/protos';
import type { Context } from './context';
import { createRequestReplyHandler, type RequestReplyHandler } from './handler';
import type { Message } from './message';
import { statefulFunction } from './stateful-function';
import { Types, type Type } from './types';
import { valueSpec, type Expiration } from './value-spec';

// ---------------------------------------------------------------------------------------------------
// The scenario: names, typenames and constants both implementations share
// ---------------------------------------------------------------------------------------------------

export const COUNTER_FN = { namespace: 'shop.test', type: 'counter' } as const;
export const ECHO_FN = { namespace: 'shop.test', type: 'echo' } as const;
export const PEER_FN = { namespace: 'shop.test', type: 'peer' } as const;
export const REPLIES_EGRESS = { namespace: 'shop', type: 'replies' } as const;
export const REPLIES_TOPIC = 'shop-replies';

/** `seen_count`: a long counter that expires 90 s after the entity was last invoked. */
export const SEEN_EXPIRATION: Expiration = { mode: 'after-invoke', afterMillis: 90_000 };
/** `note`: a string kept as long as the entity, cleared by a `forget` message. */
export const ECHO_EXPIRATION: Expiration = { mode: 'after-write', afterMillis: 3_600_000 };
export const TICK_DELAY_MS = 1_500;

const utf8 = new TextEncoder();

function typename(address: { namespace: string; type: string }): string {
  return `${address.namespace}/${address.type}`;
}

// ---------------------------------------------------------------------------------------------------
// Implementation (b): this package
// ---------------------------------------------------------------------------------------------------

const seenCount = valueSpec('seen_count', Types.long, SEEN_EXPIRATION);
const note = valueSpec('note', Types.string);
const replies = valueSpec('replies', Types.long, ECHO_EXPIRATION);

function ourCounter(ctx: Context, message: Message): void {
  const text = message.as(Types.string);
  const count = (ctx.state.get(seenCount) ?? 0) + 1;
  ctx.state.set(seenCount, count);
  ctx.send({ ...PEER_FN, id: `peer-${count}` }, Types.string, `${text}#${count}`);
  ctx.kafkaEgress(REPLIES_EGRESS, {
    topic: REPLIES_TOPIC,
    key: ctx.self.id,
    value: utf8.encode(`${text}:${count}`),
  });
  ctx.sendAfter(TICK_DELAY_MS, ctx.self, Types.string, `tick-${count}`, `tick-${ctx.self.id}-${count}`);
  if (text === 'forget') {
    ctx.state.clear(note);
    ctx.cancelDelayed(`tick-${ctx.self.id}-1`);
  }
}

function ourEcho(ctx: Context, message: Message): void {
  const text = message.as(Types.string);
  const count = (ctx.state.get(replies) ?? 0) + 1;
  ctx.state.set(replies, count);
  if (ctx.caller) {
    ctx.send(ctx.caller, Types.string, `ack:${text}:${count}`);
  }
}

export function ourHandler(): RequestReplyHandler {
  return createRequestReplyHandler([
    statefulFunction({ typename: typename(COUNTER_FN), specs: [seenCount, note], handle: ourCounter }),
    statefulFunction({ typename: typename(ECHO_FN), specs: [replies], handle: ourEcho }),
  ]);
}

// ---------------------------------------------------------------------------------------------------
// Implementation (a): the official SDK
// ---------------------------------------------------------------------------------------------------

/** The google-protobuf class the official package generates for io.statefun.sdk.types.LongWrapper. */
interface LongWrapperMessage {
  setValue(value: number): void;
  getValue(): number;
  serializeBinary(): Uint8Array;
}
interface LongWrapperClass {
  new (): LongWrapperMessage;
  deserializeBinary(bytes: Uint8Array): LongWrapperMessage;
}

function isLongWrapperClass(value: unknown): value is LongWrapperClass {
  return typeof value === 'function' && typeof Reflect.get(value, 'deserializeBinary') === 'function';
}

function lookupPath(root: unknown, path: readonly string[]): unknown {
  let node = root;
  for (const key of path) {
    if ((typeof node !== 'object' && typeof node !== 'function') || node === null) return undefined;
    node = Reflect.get(node, key);
  }
  return node;
}

/**
 * io.statefun.types/long for the official SDK. The JavaScript SDK has no long builtin (only bool, int,
 * float, string: "not supported in JavaScript"), but it ships the generated `LongWrapper` every other
 * SDK encodes longs with; a customType over it is what a JavaScript user would write, and encodes with
 * google-protobuf, independently of our protobufjs codec.
 */
function officialLongType(): OfficialType<number> {
  // Loaded, as a global `proto` namespace, by the official package's own types module.
  const wrapper = lookupPath(globalThis, ['proto', 'io', 'statefun', 'sdk', 'types', 'LongWrapper']);
  if (!isLongWrapperClass(wrapper)) {
    throw new Error('apache-flink-statefun did not register proto.io.statefun.sdk.types.LongWrapper');
  }
  return StateFun.customType<number>(
    'io.statefun.types/long',
    (value) => {
      const message = new wrapper();
      message.setValue(value);
      return Buffer.from(message.serializeBinary());
    },
    (bytes) => wrapper.deserializeBinary(bytes).getValue(),
  );
}

/** Reads one state of the official SDK's `context.storage` (an object of accessors, typed `any`). */
function readStorage(context: OfficialContext, name: string): unknown {
  const storage: unknown = context.storage;
  if (typeof storage !== 'object' || storage === null) throw new Error('official storage is not an object');
  return Reflect.get(storage, name);
}

function writeStorage(context: OfficialContext, name: string, value: number | string | null): void {
  const storage: unknown = context.storage;
  if (typeof storage !== 'object' || storage === null) throw new Error('official storage is not an object');
  if (!Reflect.set(storage, name, value)) throw new Error(`official storage refused to set ${name}`);
}

function readCount(context: OfficialContext, name: string): number {
  const value = readStorage(context, name);
  if (value === null || value === undefined) return 0;
  if (typeof value !== 'number') throw new TypeError(`${name} is a ${typeof value}, not a number`);
  return value;
}

function readString(message: OfficialMessage): string {
  const text = message.asString();
  if (text === null) throw new Error('message without a string value');
  return text;
}

export function officialStateFun(): StateFun {
  const long = officialLongType();
  const string = StateFun.stringType();
  const statefun = new StateFun();

  statefun.bind({
    typename: typename(COUNTER_FN),
    specs: [
      { name: 'seen_count', type: long, expireAfterCall: SEEN_EXPIRATION.afterMillis },
      { name: 'note', type: string },
    ],
    fn(context: OfficialContext, message: OfficialMessage): void {
      const text = readString(message);
      const self = context.self;
      const count = readCount(context, 'seen_count') + 1;
      writeStorage(context, 'seen_count', count);
      context.send(
        messageBuilder({ typename: typename(PEER_FN), id: `peer-${count}`, value: `${text}#${count}`, valueType: string }),
      );
      context.send(
        kafkaEgressMessage({
          typename: typename(REPLIES_EGRESS),
          topic: REPLIES_TOPIC,
          key: self.id,
          value: Buffer.from(`${text}:${count}`),
        }),
      );
      context.sendAfter(
        TICK_DELAY_MS,
        messageBuilder({ typename: self.typename, id: self.id, value: `tick-${count}`, valueType: string }),
        `tick-${self.id}-${count}`,
      );
      if (text === 'forget') {
        writeStorage(context, 'note', null);
        context.cancelDelayedMessage(`tick-${self.id}-1`);
      }
    },
  });

  statefun.bind({
    typename: typename(ECHO_FN),
    specs: [{ name: 'replies', type: long, expireAfterWrite: ECHO_EXPIRATION.afterMillis }],
    fn(context: OfficialContext, message: OfficialMessage): void {
      const text = readString(message);
      const count = readCount(context, 'replies') + 1;
      writeStorage(context, 'replies', count);
      const caller = context.caller;
      if (caller !== null) {
        context.send(
          messageBuilder({ typename: caller.typename, id: caller.id, value: `ack:${text}:${count}`, valueType: string }),
        );
      }
    },
  });

  return statefun;
}

/** What `statefun.handler()` writes its answer to: the two calls it makes on a Node ServerResponse. */
interface CapturedResponse {
  writeHead(status: number, headers: Record<string, string | number>): CapturedResponse;
  end(body?: Uint8Array): void;
}

/**
 * Sends ToFunction bytes through the official request-reply handler — `statefun.handler()`, the very
 * function its users pass to `http.createServer` — in-process: the request is a readable of the bytes,
 * the response records the status and body.
 */
export async function callOfficial(statefun: StateFun, toFunction: Uint8Array): Promise<Uint8Array> {
  let status = 0;
  let body: Uint8Array | undefined;
  const res: CapturedResponse = {
    writeHead(code) {
      status = code;
      return res;
    },
    end(chunk) {
      body = chunk;
    },
  };
  await statefun.handler()(Readable.from([Buffer.from(toFunction)]), res);
  if (status !== 200 || body === undefined) {
    throw new Error(`the official handler answered ${status} (it swallows the cause: see its fn)`);
  }
  return new Uint8Array(body);
}

// ---------------------------------------------------------------------------------------------------
// Requests
// ---------------------------------------------------------------------------------------------------

export function stringArgument(text: string): TypedValue {
  return { typename: Types.string.typename, has_value: true, value: Types.string.encode(text) };
}

export function storedState<T>(name: string, type: Type<T>, value: T): PersistedValue {
  return { state_name: name, state_value: { typename: type.typename, has_value: true, value: type.encode(value) } };
}

/** A declared state the runtime knows about but holds no value for: the name alone, as the runtime sends it. */
export function emptyState(name: string): PersistedValue {
  return { state_name: name };
}

export function toFunctionBytes(
  target: Address,
  state: PersistedValue[],
  invocations: ToFunctionInvocation[],
): Uint8Array {
  return ToFunctionCodec.encode({ invocation: { target, state, invocations } });
}

// ---------------------------------------------------------------------------------------------------
// Normalised FromFunction: plain data, every proto3 default spelled out
// ---------------------------------------------------------------------------------------------------

export interface NormalAddress {
  namespace: string;
  type: string;
  id: string;
}
export interface NormalKafkaRecord {
  topic: string;
  key: string;
  value: string;
}
export interface NormalTypedValue {
  typename: string;
  has_value: boolean;
  /** The raw value bytes, hex. */
  hex: string;
  /** The value read by its typename, for the builtins and the Kafka record; `null` for any other type. */
  decoded: string | number | boolean | NormalKafkaRecord | null;
}
export interface NormalSpec {
  state_name: string;
  type_typename: string;
  expiration: { mode: keyof typeof ExpireMode; expire_after_millis: number };
}
export interface NormalResult {
  state_mutations: { mutation_type: keyof typeof MutationType; state_name: string; state_value: NormalTypedValue | null }[];
  outgoing_messages: { target: NormalAddress | null; argument: NormalTypedValue | null }[];
  delayed_invocations: {
    is_cancellation_request: boolean;
    cancellation_token: string;
    delay_in_ms: number;
    target: NormalAddress | null;
    argument: NormalTypedValue | null;
  }[];
  outgoing_egresses: { egress_namespace: string; egress_type: string; argument: NormalTypedValue | null }[];
}
export type NormalFromFunction =
  | { kind: 'invocation_result'; result: NormalResult }
  | { kind: 'incomplete_invocation_context'; missing_values: NormalSpec[] }
  | { kind: 'none' };

function hex(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('hex');
}

function decodeKnown(typename: string, bytes: Uint8Array): NormalTypedValue['decoded'] {
  switch (typename) {
    case Types.string.typename:
      return Types.string.decode(bytes);
    case Types.long.typename:
      return Types.long.decode(bytes);
    case Types.bool.typename:
      return Types.bool.decode(bytes);
    case KafkaProducerRecordCodec.typename: {
      const record = KafkaProducerRecordCodec.decode(bytes);
      return { topic: record.topic, key: record.key, value: Buffer.from(record.value_bytes).toString('utf8') };
    }
    default:
      return null;
  }
}

function normalTypedValue(value: TypedValue | null | undefined): NormalTypedValue | null {
  if (!value) return null;
  return {
    typename: value.typename,
    has_value: value.has_value,
    hex: hex(value.value),
    decoded: value.has_value ? decodeKnown(value.typename, value.value) : null,
  };
}

function normalAddress(address: Address | null | undefined): NormalAddress | null {
  return address ? { namespace: address.namespace, type: address.type, id: address.id } : null;
}

/** protobufjs decodes int64 as a number here (protos/src/root.ts), but a Long-like could still appear. */
function int64(value: number | { toString(): string }): number {
  return typeof value === 'number' ? value : Number(value.toString());
}

/**
 * Spells out a decoded FromFunction: proto3 defaults that one encoder writes and the other omits
 * (`''`, `0`, `false`, empty bytes) read the same, as they do in the runtime. Message-typed fields stay
 * `null` when absent, with one exception, `expirationOf`, which the runtime reads through the proto3
 * default instance. Order is kept everywhere: it is part of the protocol.
 */
export function normalise(from: FromFunction): NormalFromFunction {
  if (from.invocation_result) {
    const result = from.invocation_result;
    return {
      kind: 'invocation_result',
      result: {
        state_mutations: result.state_mutations.map((m) => ({
          mutation_type: MutationType[m.mutation_type] as keyof typeof MutationType,
          state_name: m.state_name,
          state_value: normalTypedValue(m.state_value),
        })),
        outgoing_messages: result.outgoing_messages.map((m) => ({
          target: normalAddress(m.target),
          argument: normalTypedValue(m.argument),
        })),
        delayed_invocations: result.delayed_invocations.map((d) => ({
          is_cancellation_request: d.is_cancellation_request,
          cancellation_token: d.cancellation_token,
          delay_in_ms: int64(d.delay_in_ms),
          target: normalAddress(d.target),
          argument: normalTypedValue(d.argument),
        })),
        outgoing_egresses: result.outgoing_egresses.map((e) => ({
          egress_namespace: e.egress_namespace,
          egress_type: e.egress_type,
          argument: normalTypedValue(e.argument),
        })),
      },
    };
  }
  if (from.incomplete_invocation_context) {
    return {
      kind: 'incomplete_invocation_context',
      missing_values: from.incomplete_invocation_context.missing_values.map((spec: PersistedValueSpec) => ({
        state_name: spec.state_name,
        type_typename: spec.type_typename,
        expiration: {
          mode: ExpireMode[spec.expiration_spec?.mode ?? ExpireMode.NONE] as keyof typeof ExpireMode,
          expire_after_millis: int64(spec.expiration_spec?.expire_after_millis ?? 0),
        },
      })),
    };
  }
  return { kind: 'none' };
}
