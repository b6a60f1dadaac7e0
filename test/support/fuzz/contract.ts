// The REST API's contract as the README states it, written out independently of the server's code: the
// fuzz tests use it as their oracle, to be sure that every request they call malformed really is one
// (a generated "bad" amount of "%31" is the valid amount 1, and "/payment/pay/U/5" plus a segment "7"
// is a valid payment for order "7"). If this and the server disagree, the fuzz test says so.

/** What a path parameter takes. */
export type ParamRule = 'id' | 'positive' | 'nonNegative' | 'batchSize';

export interface RouteRule {
  method: 'GET' | 'POST' | 'DELETE';
  /** The path's segments: a literal, or `{name:rule}`. */
  segments: readonly (string | { name: string; rule: ParamRule })[];
}

/** Largest amount, price or quantity: 2^53 - 1. */
const MAX_AMOUNT = 2n ** 53n - 1n;
/** Largest n of one batch_init. */
const MAX_BATCH = 1_000_000n;
/** Longest request target (path and query) the gateway serves; longer ones are 414. */
export const MAX_URL_BYTES = 4096;

const UUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;
/** The decimal ids batch_init creates: no sign, no leading zero, at most 16 digits. */
const DECIMAL_ID = /^(0|[1-9][0-9]{0,15})$/;
const POSITIVE = /^[1-9][0-9]*$/;
const NON_NEGATIVE = /^(0|[1-9][0-9]*)$/;
/** An Idempotency-Key: 1 to 255 visible ASCII characters. */
const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,255}$/;

/** Whether a decoded path parameter is one `rule` takes. */
export function valueAllowed(rule: ParamRule, value: string): boolean {
  switch (rule) {
    case 'id':
      return UUID.test(value) || DECIMAL_ID.test(value);
    case 'positive':
      return POSITIVE.test(value) && BigInt(value) <= MAX_AMOUNT;
    case 'nonNegative':
      return NON_NEGATIVE.test(value) && BigInt(value) <= MAX_AMOUNT;
    case 'batchSize':
      return NON_NEGATIVE.test(value) && BigInt(value) <= MAX_BATCH;
  }
}

function parse(method: RouteRule['method'], template: string): RouteRule {
  const segments = template
    .split('/')
    .slice(1)
    .map((s) => {
      const param = /^\{(\w+):(\w+)\}$/.exec(s);
      return param ? { name: param[1]!, rule: param[2] as ParamRule } : s;
    });
  return { method, segments };
}

/** Every route of the README's API table. */
export const ROUTES: readonly RouteRule[] = (
  [
    ['POST', '/users/create'],
    ['GET', '/users/find/{user_id:id}'],
    ['DELETE', '/users/remove/{user_id:id}'],
    ['GET', '/users/credit/{user_id:id}'],
    ['POST', '/users/credit/add/{user_id:id}/{amount:positive}'],
    ['POST', '/users/credit/subtract/{user_id:id}/{amount:positive}'],
    ['POST', '/payment/create_user'],
    ['GET', '/payment/find_user/{user_id:id}'],
    ['POST', '/payment/add_funds/{user_id:id}/{amount:positive}'],
    ['POST', '/payment/pay/{user_id:id}/{amount:positive}'],
    ['POST', '/payment/pay/{user_id:id}/{order_id:id}/{amount:positive}'],
    ['POST', '/payment/cancel/{user_id:id}/{order_id:id}'],
    ['GET', '/payment/status/{user_id:id}/{order_id:id}'],
    ['POST', '/payment/batch_init/{n:batchSize}/{starting_money:nonNegative}'],
    ['POST', '/stock/item/create/{price:positive}'],
    ['GET', '/stock/find/{item_id:id}'],
    ['GET', '/stock/availability/{item_id:id}'],
    ['POST', '/stock/add/{item_id:id}/{amount:positive}'],
    ['POST', '/stock/subtract/{item_id:id}/{amount:positive}'],
    ['POST', '/stock/batch_init/{n:batchSize}/{starting_stock:nonNegative}/{item_price:positive}'],
    ['POST', '/orders/create/{user_id:id}'],
    ['GET', '/orders/find/{order_id:id}'],
    ['POST', '/orders/addItem/{order_id:id}/{item_id:id}'],
    ['POST', '/orders/addItem/{order_id:id}/{item_id:id}/{quantity:positive}'],
    ['DELETE', '/orders/removeItem/{order_id:id}/{item_id:id}'],
    ['DELETE', '/orders/remove/{order_id:id}'],
    ['POST', '/orders/checkout/{order_id:id}'],
    ['POST', '/orders/batch_init/{n:batchSize}/{n_items:positive}/{n_users:positive}/{item_price:positive}'],
  ] as const
).map(([method, template]) => parse(method, template));

/** The routes that change state: every POST and DELETE. */
export const MUTATING_ROUTES = ROUTES.filter((r) => r.method !== 'GET');

/** The template of a route, as the README writes it. */
export const templateOf = (route: RouteRule): string =>
  '/' + route.segments.map((s) => (typeof s === 'string' ? s : `{${s.name}}`)).join('/');

/** A path segment as Express hands it to a route: percent-decoded, or undefined when it cannot be. */
function decoded(segment: string): string | undefined {
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined;
  }
}

/** Whether `path` (as sent, percent-encoded, without a query) is one of the route's, every parameter allowed. */
function pathMatches(route: RouteRule, path: string): boolean {
  const segments = path.split('/');
  if (segments.shift() !== '' || segments.length !== route.segments.length) return false;
  return route.segments.every((rule, i) => {
    const raw = segments[i]!;
    // Literal segments are matched as written: case-sensitive, and not decoded.
    if (typeof rule === 'string') return raw === rule;
    const value = decoded(raw);
    return value !== undefined && valueAllowed(rule.rule, value);
  });
}

/** The parts of a request the contract speaks about. */
export interface RequestShape {
  method: string;
  /** The request target as sent: path and query. */
  target: string;
  /** Header names in lower case; values as the server reads them (surrounding whitespace trimmed). */
  headers: Readonly<Record<string, string>>;
}

/**
 * Whether the contract says the shop must take this request (it may still refuse it for the state it
 * finds, e.g. an unknown user): a route's method and path with every parameter allowed, a URL within
 * MAX_URL_BYTES, an X-Correlation-ID that is a UUID if there is one, and on a mutating route an
 * Idempotency-Key of 1-255 visible ASCII characters if there is one, not together with X-Correlation-ID.
 */
export function contractAccepts(request: RequestShape): boolean {
  if (Buffer.byteLength(request.target) > MAX_URL_BYTES) return false;
  const path = request.target.split('?')[0]!;
  const route = ROUTES.find((r) => r.method === request.method && pathMatches(r, path));
  if (!route) return false;
  const correlation = request.headers['x-correlation-id'];
  if (correlation !== undefined && !UUID.test(correlation)) return false;
  const key = route.method === 'GET' ? undefined : request.headers['idempotency-key'];
  if (key !== undefined && (!IDEMPOTENCY_KEY.test(key) || correlation !== undefined)) return false;
  return true;
}
