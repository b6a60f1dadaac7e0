import { ShopError } from '@shop/service-kit';
import { HttpIngress, StringWrapperCodec } from '@shop/protos';
import { messageOf } from './message';

const utf8 = (text: string): Uint8Array => new TextEncoder().encode(text);

function refusal(contentType: string | undefined, body: Uint8Array): { code: string; status: number } {
  try {
    messageOf(contentType, body);
  } catch (error) {
    if (error instanceof ShopError) return { code: error.code, status: error.status };
    throw error;
  }
  throw new Error('accepted');
}

describe('gateway > http ingress > message', () => {
  it('text/plain (any case, UTF-8 or no charset) is StateFun string type, the body as its text', () => {
    for (const contentType of ['text/plain', 'Text/Plain; charset=UTF-8', 'text/plain;charset="utf-8"']) {
      const message = messageOf(contentType, utf8('Zoë'));
      expect(message.typename).toBe(HttpIngress.textTypename);
      expect(StringWrapperCodec.decode(message.value).value).toBe('Zoë');
    }
  });

  it('any other media type is the typename as written, the body its bytes, parameters dropped', () => {
    const body = Uint8Array.from([8, 1]);
    expect(messageOf('shop.types/AddCredit', body)).toEqual({
      typename: 'shop.types/AddCredit',
      value: body,
    });
    expect(messageOf(' type.googleapis.com/pkg.Greeting ; x=1', body)).toEqual({
      typename: 'type.googleapis.com/pkg.Greeting',
      value: body,
    });
  });

  it('no body and no Content-Type is the empty message; a typed empty body keeps its type', () => {
    expect(messageOf(undefined, new Uint8Array(0))).toEqual({
      typename: HttpIngress.emptyTypename,
      value: new Uint8Array(0),
    });
    expect(messageOf('shop.types/Empty', new Uint8Array(0)).typename).toBe('shop.types/Empty');
    expect(StringWrapperCodec.decode(messageOf('text/plain', new Uint8Array(0)).value).value).toBe('');
  });

  it('refuses, with 415, a body without a type, a type that is no typename, text that is not UTF-8', () => {
    const unsupported = { code: 'SHOP_ERR_UNSUPPORTED_TYPE', status: 415 };
    expect(refusal(undefined, utf8('Igal'))).toEqual(unsupported);
    expect(refusal('', utf8('Igal'))).toEqual(unsupported);
    expect(refusal('greeting', utf8('Igal'))).toEqual(unsupported);
    expect(refusal('a b/c', utf8('Igal'))).toEqual(unsupported);
    expect(refusal('text/plain; charset=latin1', utf8('Igal'))).toEqual(unsupported);
  });

  it('refuses, with 400, text/plain that does not decode as UTF-8', () => {
    expect(refusal('text/plain', Uint8Array.from([0xc3, 0x28]))).toEqual({
      code: 'SHOP_ERR_BAD_REQUEST',
      status: 400,
    });
  });
});
