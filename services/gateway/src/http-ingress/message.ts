import { HttpIngress, StringWrapperCodec, type TypedMessage } from '@shop/protos';
import { ShopError } from '@shop/service-kit';

const MEDIA_TYPE = /^[^\s/;,"]+\/[^\s/;,"]+(\/[^\s/;,"]+)*$/;
const UTF8_CHARSETS = ['utf-8', 'utf8', 'us-ascii'];
const utf8 = new TextDecoder('utf-8', { fatal: true });

/** `charset` of a Content-Type's parameters, lower-cased and unquoted; undefined when absent. */
function charsetOf(parameters: readonly string[]): string | undefined {
  for (const parameter of parameters) {
    const eq = parameter.indexOf('=');
    if (eq < 0 || parameter.slice(0, eq).trim().toLowerCase() !== 'charset') continue;
    return parameter
      .slice(eq + 1)
      .trim()
      .replace(/^"(.*)"$/, '$1')
      .toLowerCase();
  }
  return undefined;
}

/**
 * The message a POST to the HTTP ingress sends, from its Content-Type and body (FLINK-23301's mapping):
 * `text/plain` is StateFun's string type (the body as UTF-8 text); any other media type is the typename
 * itself, as written (`shop.types/UserCommand`), with the body as its bytes; no body and no Content-Type
 * is an empty message (`shop.types/Empty`).
 */
export function messageOf(contentType: string | undefined, body: Uint8Array): TypedMessage {
  if (contentType === undefined || contentType.trim() === '') {
    if (body.length === 0) return { typename: HttpIngress.emptyTypename, value: new Uint8Array(0) };
    throw new ShopError(
      'UNSUPPORTED_TYPE',
      'a body needs a Content-Type: text/plain, or the typename of the message (e.g. shop.types/UserCommand)',
    );
  }
  const [essence = '', ...parameters] = contentType.split(';');
  const typename = essence.trim();
  if (!MEDIA_TYPE.test(typename)) {
    throw new ShopError(
      'UNSUPPORTED_TYPE',
      `Content-Type must be text/plain or a typename "<namespace>/<name>", got "${contentType}"`,
    );
  }
  if (typename.toLowerCase() !== 'text/plain') return { typename, value: body };
  const charset = charsetOf(parameters);
  if (charset !== undefined && !UTF8_CHARSETS.includes(charset)) {
    throw new ShopError('UNSUPPORTED_TYPE', `text/plain must be UTF-8, got charset "${charset}"`);
  }
  let text: string;
  try {
    text = utf8.decode(body);
  } catch {
    throw new ShopError('BAD_REQUEST', 'the text/plain body is not valid UTF-8');
  }
  return { typename: HttpIngress.textTypename, value: StringWrapperCodec.encode({ value: text }) };
}
