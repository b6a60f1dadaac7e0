import { HttpIngressMessageCodec, ReplyCodec, StringWrapperCodec } from './index';

describe('protos > http ingress', () => {
  const bytes = (value: Uint8Array): number[] => [...value];

  it('round-trips the envelope the gateway publishes on shop-http-in', () => {
    const value = StringWrapperCodec.encode({ value: 'Igal' });
    const decoded = HttpIngressMessageCodec.decode(
      HttpIngressMessageCodec.encode({
        target: { namespace: 'example', type: 'greeter', id: 'Igal' },
        message: { typename: 'io.statefun.types/string', value },
      }),
    );
    expect({ ...decoded.target }).toEqual({ namespace: 'example', type: 'greeter', id: 'Igal' });
    expect(decoded.message.typename).toBe('io.statefun.types/string');
    expect(bytes(decoded.message.value)).toEqual(bytes(value));
  });

  it('round-trips a Reply carrying a message of any type, empty ones included', () => {
    for (const value of [Uint8Array.from([1, 2, 255]), new Uint8Array(0)]) {
      const reply = ReplyCodec.decode(
        ReplyCodec.encode({
          correlation_id: 'c-1',
          result: { kind: 'message', value: { typename: 'example.types/Anything', value } },
        }),
      );
      expect(reply.correlation_id).toBe('c-1');
      if (reply.result.kind !== 'message') throw new Error(`got a ${reply.result.kind} reply`);
      expect(reply.result.value.typename).toBe('example.types/Anything');
      expect(bytes(reply.result.value.value)).toEqual(bytes(value));
    }
  });
});
