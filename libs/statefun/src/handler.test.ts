import { FromFunctionCodec, ToFunctionCodec, type Address } from '@shop/protos';
import { UnknownFunctionError, createRequestReplyHandler } from './handler';
import { statefulFunction } from './stateful-function';
import { Types } from './types';

/** One invocation of `target` with a string, as the runtime sends it (no state declared, none needed). */
function call(target: Address, text: string, caller?: Address): Uint8Array {
  const argument = { typename: Types.string.typename, has_value: true, value: Types.string.encode(text) };
  return ToFunctionCodec.encode({
    invocation: { target, state: [], invocations: [caller ? { caller, argument } : { argument }] },
  });
}

describe('statefun > handler > function types', () => {
  // Both answer their caller with who they are, so the test sees which one ran.
  const exact = statefulFunction({
    typename: 'egress/special',
    specs: [],
    handle(ctx, message) {
      if (ctx.caller) ctx.send(ctx.caller, Types.string, `exact:${message.as(Types.string)}`);
    },
  });
  const wildcard = statefulFunction({
    typename: 'egress/*',
    specs: [],
    handle(ctx, message) {
      // Forwards the bytes untouched under their own typename.
      if (ctx.caller) ctx.send(ctx.caller, Types.raw(message.typename), message.bytes);
      ctx.send(ctx.self, Types.string, `I am ${ctx.self.type}`);
    },
  });
  const handler = createRequestReplyHandler([exact, wildcard]);
  const caller: Address = { namespace: 'shop', type: 'user', id: 'u1' };

  it('serves a type by its own function before the namespace-wide one', async () => {
    const result = FromFunctionCodec.decode(
      await handler(call({ namespace: 'egress', type: 'special', id: '1' }, 'hi', caller)),
    ).invocation_result!;
    expect(result.outgoing_messages).toHaveLength(1);
    expect(Types.string.decode(result.outgoing_messages[0]!.argument.value)).toBe('exact:hi');
  });

  it('serves every other type of the namespace by the `namespace/*` function, which sees its own type', async () => {
    const self = { namespace: 'egress', type: 'httpout', id: 'c-1' };
    const result = FromFunctionCodec.decode(await handler(call(self, 'hello', caller))).invocation_result!;
    const [forwarded, own] = result.outgoing_messages;
    expect(forwarded!.target).toEqual(caller);
    // Types.raw keeps the typename and the bytes exactly as they came.
    expect(forwarded!.argument.typename).toBe(Types.string.typename);
    expect(Types.string.decode(forwarded!.argument.value)).toBe('hello');
    expect(own!.target).toEqual(self);
    expect(Types.string.decode(own!.argument.value)).toBe('I am httpout');
  });

  it('still refuses a namespace it has no function for', async () => {
    await expect(handler(call({ namespace: 'other', type: 'x', id: '1' }, 'hi'))).rejects.toBeInstanceOf(
      UnknownFunctionError,
    );
  });
});
