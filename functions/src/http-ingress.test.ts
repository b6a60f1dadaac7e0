import {
  EmptyCodec,
  FromFunctionCodec,
  HttpIngress,
  HttpIngressMessageCodec,
  HttpIngressTargets,
  KafkaProducerRecordCodec,
  ReplyCodec,
  ToFunctionCodec,
  Topics,
  UserCommandCodec,
  addressOf,
  type Address,
  type InvocationResponse,
  type PersistedValue,
  type TypedValue,
} from '@shop/protos';
import { Types } from '@shop/statefun';
import { createShopHandler } from './index';

const handler = createShopHandler();

/** One invocation as the runtime makes it, the state handshake included (every state starts empty). */
async function invoke(target: Address, argument: TypedValue, caller?: Address): Promise<InvocationResponse> {
  let state: PersistedValue[] = [];
  for (;;) {
    const request = ToFunctionCodec.encode({
      invocation: { target, state, invocations: [caller ? { caller, argument } : { argument }] },
    });
    const response = FromFunctionCodec.decode(await handler(request));
    if (response.invocation_result) return response.invocation_result;
    const missing = response.incomplete_invocation_context?.missing_values ?? [];
    state = [
      ...state,
      ...missing.map((spec) => ({
        state_name: spec.state_name,
        state_value: { typename: spec.type_typename, has_value: false, value: new Uint8Array(0) },
      })),
    ];
  }
}

const typed = (typename: string, value: Uint8Array): TypedValue => ({ typename, has_value: true, value });

/** A message of each type the ingress may send, as the gateway builds it. */
const samples: Record<string, Uint8Array> = {
  [HttpIngress.textTypename]: Types.string.encode('Igal'),
  [HttpIngress.emptyTypename]: EmptyCodec.encode({}),
  [UserCommandCodec.typename]: UserCommandCodec.encode({
    correlation_id: 'c-1',
    command: { kind: 'find', value: {} },
  }),
};

describe('functions > HTTP ingress targets', () => {
  const paired: Address = { namespace: HttpIngress.egressNamespace, type: 'httpout', id: 'corr-1' };

  it.each(
    [...HttpIngressTargets].flatMap(([fn, types]) => types.map((codec) => [fn, codec.typename] as const)),
  )('%s takes %s from the ingress and answers its caller', async (fn, type) => {
    const sample = samples[type];
    if (!sample) throw new Error(`no sample message of type ${type}`);
    const result = await invoke(addressOf(fn, 'x1'), typed(type, sample), paired);
    expect(result.outgoing_messages.map((m) => m.target)).toEqual([paired]);
  });

  it('the paired egress sends the request to its target as caller, and writes the answer as a Reply', async () => {
    const target = addressOf('example/greeter', 'Igal');
    const request = HttpIngressMessageCodec.encode({
      target,
      message: { typename: HttpIngress.textTypename, value: Types.string.encode('Igal') },
    });
    // From the shop-http-in topic: no caller.
    const forwarded = await invoke(paired, typed(HttpIngressMessageCodec.typename, request));
    expect(forwarded.outgoing_egresses).toEqual([]);
    expect(forwarded.outgoing_messages).toHaveLength(1);
    const [out] = forwarded.outgoing_messages;
    expect(out!.target).toEqual(target);
    expect(out!.argument.typename).toBe(HttpIngress.textTypename);

    const greeted = await invoke(target, out!.argument, paired);
    const [answer] = greeted.outgoing_messages;
    expect(Types.string.decode(answer!.argument.value)).toBe(
      'Hello Igal, greeting #1 at example/greeter/Igal',
    );

    // The answer, back at the forwarder (its state as the first call left it).
    const state: PersistedValue[] = forwarded.state_mutations.map((m) => ({
      state_name: m.state_name,
      state_value: m.state_value ?? null,
    }));
    const response = FromFunctionCodec.decode(
      await handler(
        ToFunctionCodec.encode({
          invocation: {
            target: paired,
            state,
            invocations: [{ caller: target, argument: answer!.argument }],
          },
        }),
      ),
    ).invocation_result!;
    expect(response.outgoing_messages).toEqual([]);
    const record = KafkaProducerRecordCodec.decode(response.outgoing_egresses[0]!.argument.value);
    expect(record.topic).toBe(Topics.egress);
    expect(record.key).toBe('corr-1');
    const reply = ReplyCodec.decode(record.value_bytes);
    expect(reply.correlation_id).toBe('corr-1');
    if (reply.result.kind !== 'message')
      throw new Error(`expected a message reply, got ${reply.result.kind}`);
    expect(reply.result.value.typename).toBe(HttpIngress.textTypename);
    expect(Types.string.decode(reply.result.value.value)).toBe(
      'Hello Igal, greeting #1 at example/greeter/Igal',
    );
  });
});
