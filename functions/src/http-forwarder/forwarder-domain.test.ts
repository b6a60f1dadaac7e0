import type { TypedMessage } from '@shop/protos';
import { decideForward, type ForwardState } from './forwarder-domain';

const text = (s: string): TypedMessage => ({ typename: 'io.statefun.types/string', value: Buffer.from(s) });
const target = { namespace: 'example', type: 'greeter', id: 'Igal' };

describe('functions > egress/* (the HTTP ingress forwarder)', () => {
  it('sends the request to its target once, then writes the first answer once', () => {
    const sent = decideForward(undefined, { kind: 'request', request: { target, message: text('Igal') } });
    expect(sent).toEqual({
      state: { target, answered: false },
      send: { target, message: text('Igal') },
    });

    const answered = decideForward(sent.state, { kind: 'answer', message: text('Hello Igal') });
    expect(answered).toEqual({ state: { target, answered: true }, reply: text('Hello Igal') });

    const again = decideForward(answered.state, { kind: 'answer', message: text('Hello again') });
    expect(again).toEqual({ state: answered.state });
  });

  it('sends nothing for a request repeated under the same correlation ID', () => {
    const state: ForwardState = { target, answered: false };
    const other = { namespace: 'shop', type: 'user', id: 'u1' };
    expect(decideForward(state, { kind: 'request', request: { target: other, message: text('x') } })).toEqual(
      { state },
    );
  });

  it('writes nothing for a message before any request', () => {
    expect(decideForward(undefined, { kind: 'answer', message: text('stray') })).toEqual({
      state: undefined,
    });
  });
});
