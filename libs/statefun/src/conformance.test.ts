// Protocol conformance against the official StateFun JavaScript SDK (`apache-flink-statefun` 3.3.0,
// a devDependency used only here, as an oracle).
//
// The same functions are written twice, once with the official SDK and once with this package. The
// same ToFunction bytes (built with our ToFunctionCodec) go through both request-reply handlers, and
// the two FromFunction answers must mean the same thing to the StateFun runtime.
//
// The answers are compared structurally, never byte for byte: protobufjs writes proto3 default values
// that google-protobuf leaves out (`mutation_type: DELETE`, `is_cancellation_request: false`, ...) and
// orders fields differently. Each answer is decoded twice and compared both times:
//   - by our FromFunctionCodec, then `normalise` (every default spelled out, order kept);
//   - by the official package's own google-protobuf `FromFunction.toObject()`, independently of us.
//
// The official SDK is loosely typed (`any` storage, untyped google-protobuf globals). Everything that
// comes out of it is read as `unknown` and narrowed.
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
  FromFunctionCodec,
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
// What both implementations share
// ---------------------------------------------------------------------------------------------------

const COUNTER_FN = { namespace: 'shop.test', type: 'counter' } as const;
const ECHO_FN = { namespace: 'shop.test', type: 'echo' } as const;
const PEER_FN = { namespace: 'shop.test', type: 'peer' } as const;
const REPLIES_EGRESS = { namespace: 'shop', type: 'replies' } as const;
const REPLIES_TOPIC = 'shop-replies';
const TICK_DELAY_MS = 1_500;
/** counter's `seen_count`: a long that expires 90 s after the entity was last invoked. */
const SEEN_EXPIRATION: Expiration = { mode: 'after-invoke', afterMillis: 90_000 };
/** echo's `replies`: a long that expires an hour after it was last written. */
const REPLIES_EXPIRATION: Expiration = { mode: 'after-write', afterMillis: 3_600_000 };

const utf8 = new TextEncoder();

function typenameOf(address: { namespace: string; type: string }): string {
  return `${address.namespace}/${address.type}`;
}

// ---------------------------------------------------------------------------------------------------
// (b) The functions, written with this package
// ---------------------------------------------------------------------------------------------------

const seenCount = valueSpec('seen_count', Types.long, SEEN_EXPIRATION);
const note = valueSpec('note', Types.string);
const replies = valueSpec('replies', Types.long, REPLIES_EXPIRATION);

/**
 * For each message: count it, greet a peer, write a Kafka record, schedule a delayed tick. A `forget`
 * message also clears `note` and cancels the first tick.
 */
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

/** Counts messages and replies to the caller when there is one. */
function ourEcho(ctx: Context, message: Message): void {
  const text = message.as(Types.string);
  const count = (ctx.state.get(replies) ?? 0) + 1;
  ctx.state.set(replies, count);
  if (ctx.caller) {
    ctx.send(ctx.caller, Types.string, `ack:${text}:${count}`);
  }
}

function ourHandler(): RequestReplyHandler {
  return createRequestReplyHandler([
    statefulFunction({ typename: typenameOf(COUNTER_FN), specs: [seenCount, note], handle: ourCounter }),
    statefulFunction({ typename: typenameOf(ECHO_FN), specs: [replies], handle: ourEcho }),
  ]);
}

// ---------------------------------------------------------------------------------------------------
// (a) The same functions, written with the official SDK
// ---------------------------------------------------------------------------------------------------

/** Walks the `proto.…` namespace the official package's generated google-protobuf code installs globally. */
function officialProto(path: string): unknown {
  let node: unknown = Reflect.get(globalThis, 'proto');
  for (const key of path.split('.')) {
    if ((typeof node !== 'object' && typeof node !== 'function') || node === null) return undefined;
    node = Reflect.get(node, key);
  }
  return node;
}

interface LongWrapperMessage {
  setValue(value: number): void;
  getValue(): number;
  serializeBinary(): Uint8Array;
}
interface LongWrapperClass {
  new (): LongWrapperMessage;
  deserializeBinary(bytes: Uint8Array): LongWrapperMessage;
}
interface GeneratedMessage {
  toObject(): unknown;
}
interface GeneratedMessageClass {
  deserializeBinary(bytes: Uint8Array): GeneratedMessage;
}

function hasDeserializeBinary(value: unknown): boolean {
  return typeof value === 'function' && typeof Reflect.get(value, 'deserializeBinary') === 'function';
}

function isLongWrapperClass(value: unknown): value is LongWrapperClass {
  return hasDeserializeBinary(value);
}

function isGeneratedMessageClass(value: unknown): value is GeneratedMessageClass {
  return hasDeserializeBinary(value);
}

function officialClass<T>(path: string, guard: (value: unknown) => value is T): T {
  const found = officialProto(path);
  if (!guard(found)) throw new Error(`apache-flink-statefun did not register proto.${path}`);
  return found;
}

/**
 * io.statefun.types/long for the official SDK. Its JavaScript builtins are bool, int (sfixed32), float
 * and string only ("long ... simply not supported in JavaScript"), so this wraps the `LongWrapper`
 * (sfixed64) class the package generates. That is what a JavaScript user would write, and it encodes
 * with google-protobuf, independently of our protobufjs codec.
 */
function officialLongType(): OfficialType<number> {
  const LongWrapper = officialClass('io.statefun.sdk.types.LongWrapper', isLongWrapperClass);
  return StateFun.customType<number>(
    'io.statefun.types/long',
    (value) => {
      const wrapper = new LongWrapper();
      wrapper.setValue(value);
      return Buffer.from(wrapper.serializeBinary());
    },
    (bytes) => LongWrapper.deserializeBinary(bytes).getValue(),
  );
}

/** The official `context.storage` is an object of accessors typed `any`: read and write it as `unknown`. */
function storageOf(context: OfficialContext): object {
  const storage: unknown = context.storage;
  if (typeof storage !== 'object' || storage === null) throw new Error('official storage is not an object');
  return storage;
}

function readCount(context: OfficialContext, name: string): number {
  const value: unknown = Reflect.get(storageOf(context), name);
  if (value === null) return 0;
  if (typeof value !== 'number') throw new TypeError(`${name} is a ${typeof value}, not a number`);
  return value;
}

function writeState(context: OfficialContext, name: string, value: number | null): void {
  if (!Reflect.set(storageOf(context), name, value)) throw new Error(`official storage refused ${name}`);
}

function readText(message: OfficialMessage): string {
  const text = message.asString();
  if (text === null) throw new Error('message without a string value');
  return text;
}

function officialStateFun(): StateFun {
  const long = officialLongType();
  const string = StateFun.stringType();
  const statefun = new StateFun();

  statefun.bind({
    typename: typenameOf(COUNTER_FN),
    specs: [
      { name: 'seen_count', type: long, expireAfterCall: SEEN_EXPIRATION.afterMillis },
      { name: 'note', type: string },
    ],
    fn(context: OfficialContext, message: OfficialMessage): void {
      const text = readText(message);
      const self = context.self;
      const count = readCount(context, 'seen_count') + 1;
      writeState(context, 'seen_count', count);
      context.send(
        messageBuilder({
          typename: typenameOf(PEER_FN),
          id: `peer-${count}`,
          value: `${text}#${count}`,
          valueType: string,
        }),
      );
      context.send(
        kafkaEgressMessage({
          typename: typenameOf(REPLIES_EGRESS),
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
        writeState(context, 'note', null);
        context.cancelDelayedMessage(`tick-${self.id}-1`);
      }
    },
  });

  statefun.bind({
    typename: typenameOf(ECHO_FN),
    specs: [{ name: 'replies', type: long, expireAfterWrite: REPLIES_EXPIRATION.afterMillis }],
    fn(context: OfficialContext, message: OfficialMessage): void {
      const text = readText(message);
      const count = readCount(context, 'replies') + 1;
      writeState(context, 'replies', count);
      const caller = context.caller;
      if (caller !== null) {
        context.send(
          messageBuilder({
            typename: caller.typename,
            id: caller.id,
            value: `ack:${text}:${count}`,
            valueType: string,
          }),
        );
      }
    },
  });

  return statefun;
}

/** The two calls `statefun.handler()` makes on a Node ServerResponse. */
interface CapturedResponse {
  writeHead(status: number, headers: Record<string, string | number>): CapturedResponse;
  end(body?: Uint8Array): void;
}

/**
 * Runs ToFunction bytes through `statefun.handler()`, the function official-SDK users pass to
 * `http.createServer`. It runs in-process: the request is a readable of the bytes, and the response
 * records the status and body.
 */
async function callOfficial(statefun: StateFun, toFunction: Uint8Array): Promise<Uint8Array> {
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
    throw new Error(`the official handler answered ${status} (it hides the cause: a function threw)`);
  }
  return new Uint8Array(body);
}

/** A FromFunction as the official package itself reads it: its google-protobuf class's `toObject()`. */
function officialView(fromFunction: Uint8Array): unknown {
  return officialClass('io.statefun.sdk.reqreply.FromFunction', isGeneratedMessageClass)
    .deserializeBinary(fromFunction)
    .toObject();
}

// ---------------------------------------------------------------------------------------------------
// Requests, shaped as the runtime sends them
// ---------------------------------------------------------------------------------------------------

function stringArgument(text: string): TypedValue {
  return { typename: Types.string.typename, has_value: true, value: Types.string.encode(text) };
}

function storedState<T>(name: string, type: Type<T>, value: T): PersistedValue {
  return {
    state_name: name,
    state_value: { typename: type.typename, has_value: true, value: type.encode(value) },
  };
}

/** A registered state with no value: the runtime sends the name alone, without a state_value. */
function emptyState(name: string): PersistedValue {
  return { state_name: name };
}

function toFunction(
  target: Address,
  state: PersistedValue[],
  invocations: ToFunctionInvocation[],
): Uint8Array {
  return ToFunctionCodec.encode({ invocation: { target, state, invocations } });
}

// ---------------------------------------------------------------------------------------------------
// A FromFunction as plain data
// ---------------------------------------------------------------------------------------------------

interface NormalAddress {
  namespace: string;
  type: string;
  id: string;
}
interface NormalTypedValue {
  typename: string;
  has_value: boolean;
  /** The raw value bytes, hex. They are what the runtime stores or forwards, untouched. */
  hex: string;
  /** The value read by its typename (builtins, Kafka record); `null` for any other type. */
  decoded: string | number | boolean | { topic: string; key: string; value: string } | null;
}
type ModeName = keyof typeof ExpireMode;
interface NormalSpec {
  state_name: string;
  type_typename: string;
  mode: ModeName;
  expire_after_millis: number;
}
interface NormalResult {
  state_mutations: {
    mutation_type: keyof typeof MutationType;
    state_name: string;
    state_value: NormalTypedValue | null;
  }[];
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
type NormalFromFunction =
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
      return {
        topic: record.topic,
        key: record.key,
        value: Buffer.from(record.value_bytes).toString('utf8'),
      };
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

/**
 * Reads an ExpirationSpec as the runtime does (PersistedRemoteFunctionValues.sdkTtlExpiration reads
 * `getExpirationSpec()`, which is the proto3 default instance, mode NONE, when the field is absent).
 * The SDKs disagree on the wire here: the official JavaScript SDK leaves the field out for a state
 * without expiration, while this package (like the official Python SDK) sends `{ mode: NONE }`. The
 * handshake tests assert each side's raw form before they compare this reading.
 */
function expirationAsRuntimeReadsIt(spec: PersistedValueSpec): {
  mode: ModeName;
  expire_after_millis: number;
} {
  const expiration = spec.expiration_spec;
  const mode = ExpireMode[expiration?.mode ?? ExpireMode.NONE] as ModeName;
  return { mode, expire_after_millis: mode === 'NONE' ? 0 : Number(expiration?.expire_after_millis ?? 0) };
}

/** A decoded FromFunction with every proto3 default spelled out. Order is kept everywhere: it is part of the protocol. */
function normalise(from: FromFunction): NormalFromFunction {
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
          delay_in_ms: Number(d.delay_in_ms),
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
      missing_values: from.incomplete_invocation_context.missing_values.map((spec) => ({
        state_name: spec.state_name,
        type_typename: spec.type_typename,
        ...expirationAsRuntimeReadsIt(spec),
      })),
    };
  }
  return { kind: 'none' };
}

function resultOf(from: NormalFromFunction): NormalResult {
  if (from.kind !== 'invocation_result') throw new Error(`expected an invocation_result, got ${from.kind}`);
  return from.result;
}

// ---------------------------------------------------------------------------------------------------
// The tests
// ---------------------------------------------------------------------------------------------------

interface Answers {
  officialBytes: Uint8Array;
  ourBytes: Uint8Array;
  official: FromFunction;
  ours: FromFunction;
}

describe('statefun > protocol conformance', () => {
  const official = officialStateFun();
  const ours = ourHandler();

  const counter: Address = { ...COUNTER_FN, id: 'cart-7' };
  const echo: Address = { ...ECHO_FN, id: 'echo-1' };
  const peer: Address = { ...PEER_FN, id: 'p-9' };

  async function answer(request: Uint8Array): Promise<Answers> {
    const officialBytes = await callOfficial(official, request);
    const ourBytes = await ours(request);
    return {
      officialBytes,
      ourBytes,
      official: FromFunctionCodec.decode(officialBytes),
      ours: FromFunctionCodec.decode(ourBytes),
    };
  }

  /** Both readings must agree: ours (normalised) and the official package's own decoder. */
  function expectSameInvocationResult(answers: Answers): NormalResult {
    expect(answers.ours.invocation_result).toBeTruthy();
    expect(answers.official.invocation_result).toBeTruthy();
    expect(normalise(answers.ours)).toEqual(normalise(answers.official));
    expect(officialView(answers.ourBytes)).toEqual(officialView(answers.officialBytes));
    return resultOf(normalise(answers.ours));
  }

  it('state handshake: a batch without state gets the same incomplete_invocation_context, expirations included', async () => {
    const request = toFunction(counter, [], [{ argument: stringArgument('hello') }]);
    const answers = await answer(request);

    expect(answers.official.invocation_result).toBeFalsy();
    expect(answers.ours.invocation_result).toBeFalsy();
    const expected: NormalFromFunction = {
      kind: 'incomplete_invocation_context',
      missing_values: [
        {
          state_name: 'seen_count',
          type_typename: 'io.statefun.types/long',
          mode: 'AFTER_INVOKE',
          expire_after_millis: 90_000,
        },
        {
          state_name: 'note',
          type_typename: 'io.statefun.types/string',
          mode: 'NONE',
          expire_after_millis: 0,
        },
      ],
    };
    expect(normalise(answers.official)).toEqual(expected);
    expect(normalise(answers.ours)).toEqual(expected);

    // The one wire difference, stated explicitly: a spec without expiration. The official JavaScript SDK
    // leaves expiration_spec out, and we send { mode: NONE } as the Python SDK does. The runtime reads both as
    // Expiration.none(). A spec with an expiration is identical on both sides.
    const officialSpecs = answers.official.incomplete_invocation_context?.missing_values ?? [];
    const ourSpecs = answers.ours.incomplete_invocation_context?.missing_values ?? [];
    expect(officialSpecs[1]?.expiration_spec ?? null).toBeNull();
    expect(ourSpecs[1]?.expiration_spec).toEqual({ mode: ExpireMode.NONE, expire_after_millis: 0 });
    expect(ourSpecs[0]?.expiration_spec).toEqual(officialSpecs[0]?.expiration_spec);
  });

  it('state handshake: a batch with part of the state names only what is missing (after-write expiry too)', async () => {
    const partial = await answer(
      toFunction(counter, [emptyState('note')], [{ argument: stringArgument('hi') }]),
    );
    expect(normalise(partial.ours)).toEqual(normalise(partial.official));
    expect(normalise(partial.ours)).toEqual({
      kind: 'incomplete_invocation_context',
      missing_values: [
        {
          state_name: 'seen_count',
          type_typename: 'io.statefun.types/long',
          mode: 'AFTER_INVOKE',
          expire_after_millis: 90_000,
        },
      ],
    });
    // No spec here is without an expiration, so even the raw decodings agree.
    expect(officialView(partial.ourBytes)).toEqual(officialView(partial.officialBytes));

    const afterWrite = await answer(toFunction(echo, [], [{ argument: stringArgument('hi') }]));
    expect(normalise(afterWrite.ours)).toEqual(normalise(afterWrite.official));
    expect(normalise(afterWrite.ours)).toEqual({
      kind: 'incomplete_invocation_context',
      missing_values: [
        {
          state_name: 'replies',
          type_typename: 'io.statefun.types/long',
          mode: 'AFTER_WRITE',
          expire_after_millis: 3_600_000,
        },
      ],
    });
    expect(officialView(afterWrite.ourBytes)).toEqual(officialView(afterWrite.officialBytes));
  });

  it('a batch with state: same state mutations, messages, delayed invocations and Kafka egress records', async () => {
    const request = toFunction(
      counter,
      [storedState('seen_count', Types.long, 41), storedState('note', Types.string, 'remember me')],
      [
        { argument: stringArgument('first') },
        { caller: peer, argument: stringArgument('second') },
        { caller: { ...PEER_FN, id: 'p-2' }, argument: stringArgument('forget') },
        { argument: stringArgument('last') },
      ],
    );
    const result = expectSameInvocationResult(await answer(request));

    // Equal is not enough if both were empty: check what was agreed on.
    expect(
      result.state_mutations.map((m) => [m.mutation_type, m.state_name, m.state_value?.decoded ?? null]),
    ).toEqual([
      ['MODIFY', 'seen_count', 45],
      ['DELETE', 'note', null],
    ]);
    expect(result.state_mutations[0]?.state_value?.typename).toBe('io.statefun.types/long');
    expect(
      result.outgoing_messages.map((m) => [m.target?.id, m.argument?.typename, m.argument?.decoded]),
    ).toEqual([
      ['peer-42', 'io.statefun.types/string', 'first#42'],
      ['peer-43', 'io.statefun.types/string', 'second#43'],
      ['peer-44', 'io.statefun.types/string', 'forget#44'],
      ['peer-45', 'io.statefun.types/string', 'last#45'],
    ]);
    expect(
      result.delayed_invocations.map((d) => [
        d.is_cancellation_request,
        d.cancellation_token,
        d.delay_in_ms,
        d.target?.id ?? null,
        d.argument?.decoded ?? null,
      ]),
    ).toEqual([
      [false, 'tick-cart-7-42', TICK_DELAY_MS, 'cart-7', 'tick-42'],
      [false, 'tick-cart-7-43', TICK_DELAY_MS, 'cart-7', 'tick-43'],
      [false, 'tick-cart-7-44', TICK_DELAY_MS, 'cart-7', 'tick-44'],
      [true, 'tick-cart-7-1', 0, null, null],
      [false, 'tick-cart-7-45', TICK_DELAY_MS, 'cart-7', 'tick-45'],
    ]);
    expect(
      result.outgoing_egresses.map((e) => [e.egress_namespace, e.egress_type, e.argument?.typename]),
    ).toEqual(
      Array.from({ length: 4 }, () => [
        'shop',
        'replies',
        'type.googleapis.com/io.statefun.sdk.egress.KafkaProducerRecord',
      ]),
    );
    expect(result.outgoing_egresses.map((e) => e.argument?.decoded)).toEqual([
      { topic: REPLIES_TOPIC, key: 'cart-7', value: 'first:42' },
      { topic: REPLIES_TOPIC, key: 'cart-7', value: 'second:43' },
      { topic: REPLIES_TOPIC, key: 'cart-7', value: 'forget:44' },
      { topic: REPLIES_TOPIC, key: 'cart-7', value: 'last:45' },
    ]);
  });

  it('caller reply: replies go back to ctx.caller when there is one, and nowhere otherwise', async () => {
    const request = toFunction(
      echo,
      [emptyState('replies')],
      [
        { caller: peer, argument: stringArgument('ping') },
        { argument: stringArgument('from an ingress') },
        { caller: counter, argument: stringArgument('pong') },
      ],
    );
    const result = expectSameInvocationResult(await answer(request));

    expect(
      result.state_mutations.map((m) => [m.mutation_type, m.state_name, m.state_value?.decoded]),
    ).toEqual([['MODIFY', 'replies', 3]]);
    expect(result.outgoing_messages.map((m) => [m.target, m.argument?.decoded])).toEqual([
      [peer, 'ack:ping:1'],
      [counter, 'ack:pong:3'],
    ]);
    expect(result.delayed_invocations).toEqual([]);
    expect(result.outgoing_egresses).toEqual([]);
  });

  it('builtin payloads: long and string values cross between google-protobuf and protobufjs both ways', () => {
    const officialLong = officialLongType();
    const officialString = StateFun.stringType();
    const longs = [
      0,
      1,
      -1,
      2 ** 31,
      -(2 ** 31) - 1,
      2 ** 40 + 7,
      Number.MAX_SAFE_INTEGER,
      -Number.MAX_SAFE_INTEGER,
    ];
    for (const value of longs) {
      const theirBytes = officialLong.serialize(value);
      expect(Types.long.decode(theirBytes)).toBe(value);
      expect(officialLong.deserialize(Buffer.from(Types.long.encode(value)))).toBe(value);
      // Proto3 default values (0, '') are the only ones encoded differently. google-protobuf leaves the field
      // out, and protobufjs writes it explicitly. Either form decodes to the same value everywhere.
      if (value !== 0) expect(hex(Types.long.encode(value))).toBe(hex(theirBytes));
    }
    for (const value of ['', 'héllo ✓ 🎉', '\u0000']) {
      const theirBytes = officialString.serialize(value);
      expect(Types.string.decode(theirBytes)).toBe(value);
      expect(officialString.deserialize(Buffer.from(Types.string.encode(value)))).toBe(value);
      if (value !== '') expect(hex(Types.string.encode(value))).toBe(hex(theirBytes));
    }
  });
});
