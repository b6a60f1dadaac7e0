import fc from 'fast-check';
import { UserCommandCodec } from '@shop/protos';
import { badValue } from './bad-values';
import { MUTATING_ROUTES, contractAccepts, templateOf, type RouteRule } from './contract';
import type { WireRequest } from './send';

// Generators of requests the shop must refuse. Each request names its `kind` (what is wrong with it)
// so that a report groups what fails; every REST request is checked against the contract's oracle, so
// none of them is accidentally a valid request.

export interface Malformed extends WireRequest {
  /** What is wrong with it. */
  kind: string;
  /** The route it was made from, as the README writes it. */
  route: string;
}

/** The entities a request may name: what the test created and reads back afterwards. */
export interface Targets {
  user: string;
  item: string;
  order: string;
  /** An order id the user paid for (so that a cancel would refund it). */
  paidFor: string;
}

/** The values of a route's path: the targets' ids, and amounts that would change them if accepted. */
function validSegments(route: RouteRule, t: Targets): string[] {
  const cancel = templateOf(route).startsWith('/payment/cancel/');
  return route.segments.map((s) => {
    if (typeof s === 'string') return s;
    switch (s.name) {
      case 'user_id':
        return t.user;
      case 'item_id':
        return t.item;
      case 'order_id':
        return cancel ? t.paidFor : t.order;
      case 'n':
        // batch_init would reset "0" and "1"
        return '2';
      default:
        return s.rule === 'nonNegative' ? '999' : '1';
    }
  });
}

const pathOf = (segments: readonly string[]): string => '/' + segments.join('/');

/** Header values Node's client can send: tab, printable ASCII and Latin-1. */
const headerText = (options: { minLength?: number; maxLength: number }) =>
  fc.string({
    ...options,
    unit: fc.oneof(
      fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)),
      fc.integer({ min: 0xa0, max: 0xff }).map((c) => String.fromCharCode(c)),
      fc.constant('\t'),
    ),
  });

const visibleAscii = fc.integer({ min: 0x21, max: 0x7e }).map((c) => String.fromCharCode(c));

/** A value for X-Correlation-ID that is not a UUID. */
const badCorrelationId: fc.Arbitrary<string> = fc.oneof(
  headerText({ maxLength: 60 }),
  fc.constantFrom(
    '',
    'null',
    '0',
    '00000000-0000-0000-0000-00000000000',
    '{00000000-0000-0000-0000-000000000000}',
  ),
  fc.uuid().map((u) => `${u},${u}`),
  fc.uuid().map((u) => u.replace(/-/g, '')),
  fc.uuid().map((u) => `${u.slice(0, 8)} ${u.slice(9)}`),
);

/** A value for Idempotency-Key that is not 1-255 visible ASCII characters. */
const badIdempotencyKey: fc.Arbitrary<string> = fc.oneof(
  fc.constant(''),
  fc.string({ unit: visibleAscii, minLength: 256, maxLength: 3000 }),
  fc
    .tuple(
      fc.string({ unit: visibleAscii, minLength: 1, maxLength: 20 }),
      fc.constantFrom(' ', '\t', 'é', '\u00a0', 'ÿ'),
    )
    .map(([key, odd]) => `${key}${odd}${key}`),
);

/** Bodies, content types, headers and queries that the REST API has no use for. */
const decoration = fc.record({
  body: fc.option(
    fc.oneof(
      fc.constant({ type: 'application/json', body: '{"amount":5,"user_id":"0"}' }),
      fc.json({ maxDepth: 2 }).map((body) => ({ type: 'application/json', body })),
      fc.constant({ type: 'application/json', body: '{"broken' }),
      fc.constant({ type: 'application/x-www-form-urlencoded', body: 'amount=5&user_id=0' }),
      fc
        .uint8Array({ maxLength: 512 })
        .map((bytes) => ({ type: 'application/octet-stream', body: Buffer.from(bytes).toString('latin1') })),
      fc.string({ maxLength: 64 }).map((body) => ({ type: 'shop.types/UserCommand', body })),
      fc.string({ maxLength: 64 }).map((body) => ({ type: undefined, body })),
    ),
    { nil: undefined },
  ),
  headers: fc.subarray([
    ['x-http-method-override', 'DELETE'],
    ['x-forwarded-for', '203.0.113.7'],
    ['accept', 'text/html'],
    ['accept-encoding', 'gzip, br'],
    ['content-encoding', 'gzip'],
    ['authorization', 'Bearer not-a-token'],
    ['cookie', 'session=1'],
    ['x-unknown-header', '42'],
  ] as const),
  query: fc.option(fc.constantFrom('?amount=5', '?_method=DELETE', '?', '?a=%ZZ', '?user_id=0&user_id=1'), {
    nil: undefined,
  }),
});

type Decoration = typeof decoration extends fc.Arbitrary<infer D> ? D : never;

function decorated(
  kind: string,
  method: string,
  path: string,
  headers: Record<string, string>,
  d: Decoration,
): Omit<Malformed, 'route'> {
  const all: Record<string, string> = { ...Object.fromEntries(d.headers), ...headers };
  if (d.body?.type) all['content-type'] = d.body.type;
  return {
    kind,
    method,
    target: path + (d.query ?? ''),
    headers: all,
    body: d.body ? Buffer.from(d.body.body, 'latin1') : undefined,
  };
}

const WRONG_METHODS = [
  'GET',
  'PUT',
  'PATCH',
  'POST',
  'DELETE',
  'TRACE',
  'PURGE',
  'PROPFIND',
  'LOCK',
  'SEARCH',
];

/** How the path of a mutating route is broken, given its valid segments. */
function pathMutation(
  route: RouteRule,
  valid: readonly string[],
): fc.Arbitrary<{ kind: string; path: string }> {
  const literals = route.segments.flatMap((s, i) => (typeof s === 'string' && /[a-z]/i.test(s) ? [i] : []));
  const params = route.segments.flatMap((s, i) => (typeof s === 'string' ? [] : [{ i, rule: s.rule }]));
  const replaced = (i: number, value: string) => pathOf(valid.map((v, j) => (j === i ? value : v)));
  const mutations: fc.WeightedArbitrary<{ kind: string; path: string }>[] = [
    {
      weight: 1,
      arbitrary: fc.constantFrom(...literals).chain((i) =>
        fc
          .mixedCase(fc.constant(valid[i]!))
          .filter((s) => s !== valid[i])
          .map((s) => ({ kind: 'wrong case', path: replaced(i, s) })),
      ),
    },
    {
      weight: 1,
      arbitrary: fc
        .constantFrom('/', '//', '/.', '/..', '%2F')
        .map((tail) => ({ kind: 'trailing slash', path: pathOf(valid) + tail })),
    },
    {
      weight: 1,
      arbitrary: fc
        .constantFrom('x', '1', '0', valid[valid.length - 1]!, '', '%20', ';', 'create')
        .map((extra) => ({ kind: 'extra segment', path: `${pathOf(valid)}/${extra}` })),
    },
    { weight: 1, arbitrary: fc.constant({ kind: 'missing segment', path: pathOf(valid.slice(0, -1)) }) },
    {
      weight: 1,
      arbitrary: fc
        .tuple(fc.integer({ min: 0, max: valid.length - 1 }), fc.constantFrom('.', '..', '', '%2e', '.%2E'))
        .map(([i, dots]) => ({
          kind: 'dot or empty segment',
          path: pathOf([...valid.slice(0, i), dots, ...valid.slice(i)]),
        })),
    },
  ];
  if (params.length > 0) {
    // Bad parameter values are the largest space, so they get the most runs.
    mutations.push({
      weight: 6,
      arbitrary: fc
        .constantFrom(...params)
        .chain(({ i, rule }) =>
          badValue(rule).map((bad) => ({ kind: `bad ${rule}`, path: replaced(i, bad) })),
        ),
    });
  }
  return fc.oneof(...mutations);
}

/** One request to a mutating REST route, broken in one way (and decorated with what does not belong). */
export function malformedRestRequest(t: Targets): fc.Arbitrary<Malformed> {
  return fc
    .tuple(fc.constantFrom(...MUTATING_ROUTES), decoration)
    .chain(([route, d]) => {
      const valid = validSegments(route, t);
      const path = pathOf(valid);
      const headerOnly = (kind: string, headers: fc.Arbitrary<Record<string, string>>) =>
        headers.map((h) => decorated(kind, route.method, path, h, d));
      const broken: fc.Arbitrary<Omit<Malformed, 'route'>> = fc.oneof(
        {
          arbitrary: pathMutation(route, valid).map((m) => decorated(m.kind, route.method, m.path, {}, d)),
          weight: 10,
        },
        {
          arbitrary: fc
            .constantFrom(...WRONG_METHODS.filter((m) => m !== route.method))
            .map((method) => decorated('wrong method', method, path, {}, d)),
          weight: 2,
        },
        {
          arbitrary: headerOnly(
            'bad X-Correlation-ID',
            badCorrelationId.map((v) => ({ 'x-correlation-id': v })),
          ),
          weight: 2,
        },
        {
          arbitrary: headerOnly(
            'bad Idempotency-Key',
            badIdempotencyKey.map((v) => ({ 'idempotency-key': v })),
          ),
          weight: 2,
        },
        {
          arbitrary: headerOnly(
            'X-Correlation-ID with Idempotency-Key',
            fc
              .tuple(fc.uuid(), fc.string({ unit: visibleAscii, minLength: 1, maxLength: 40 }))
              .map(([id, key]) => ({
                'x-correlation-id': id,
                'idempotency-key': key,
              })),
          ),
          weight: 1,
        },
        {
          arbitrary: fc
            .integer({ min: 4100, max: 15_000 })
            .map((n) =>
              decorated(
                'oversized URL',
                route.method,
                `${path}?pad=${'a'.repeat(n)}`,
                {},
                { ...d, query: undefined },
              ),
            ),
          weight: 1,
        },
        {
          arbitrary: fc
            .integer({ min: 17_000, max: 40_000 })
            .map((n) => decorated('oversized headers', route.method, path, { 'x-pad': 'a'.repeat(n) }, d)),
          weight: 1,
        },
      );
      return broken.map((request) => ({ ...request, route: `${route.method} ${templateOf(route)}` }));
    })
    .filter(
      (request) =>
        !contractAccepts({
          method: request.method,
          target: request.target,
          headers: Object.fromEntries(
            Object.entries(request.headers).map(([name, value]) => [
              name,
              value.replace(/^[ \t]+|[ \t]+$/g, ''),
            ]),
          ),
        }),
    );
}

/** A request as the bytes on the wire (Latin-1 text), its user's id still to be put in. */
export interface RawRequest {
  kind: string;
  text: string;
}

const USER = '{user}';

/** The bytes of a raw request for `user`. */
export const rawBytes = (request: RawRequest, user: string): Buffer =>
  Buffer.from(request.text.split(USER).join(user), 'latin1');

/** Requests Node's HTTP parser sees first: broken syntax, odd methods and versions, missing or odd headers. */
export function malformedRawRequest(): fc.Arbitrary<RawRequest> {
  // The path is valid: each request that is taken adds 1 to the user's credit.
  const path = `/users/credit/add/${USER}/1`;
  const head = (lines: readonly string[]) => lines.join('\r\n') + '\r\n\r\n';
  const token = fc.string({
    unit: fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZ'),
    minLength: 2,
    maxLength: 8,
  });
  const kinds: fc.Arbitrary<RawRequest>[] = [
    token
      .filter((m) => !['GET', 'POST', 'PUT', 'DELETE', 'HEAD', 'OPTIONS', 'CONNECT'].includes(m))
      .map((m) => ({ kind: 'raw: unknown method', text: head([`${m} ${path} HTTP/1.1`, 'Host: shop']) })),
    fc.constantFrom('post', 'Post', 'pOST', 'P0ST').map((m) => ({
      kind: 'raw: method not in upper case',
      text: head([`${m} ${path} HTTP/1.1`, 'Host: shop']),
    })),
    fc.constantFrom('abc', '-1', '1.5', '0x10', '99999999999999999999', '1, 2').map((n) => ({
      kind: 'raw: bad Content-Length',
      text: head([`POST ${path} HTTP/1.1`, 'Host: shop', `Content-Length: ${n}`]),
    })),
    fc.constant({
      kind: 'raw: two Content-Lengths',
      text: `POST ${path} HTTP/1.1\r\nHost: shop\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab`,
    }),
    fc.constant({
      kind: 'raw: Transfer-Encoding with Content-Length',
      text: `POST ${path} HTTP/1.1\r\nHost: shop\r\nTransfer-Encoding: chunked\r\nContent-Length: 5\r\n\r\n0\r\n\r\n`,
    }),
    fc.constantFrom('zz', '-1', '1;', 'ffffffffffffffffff').map((size) => ({
      kind: 'raw: broken chunk',
      text: `POST ${path} HTTP/1.1\r\nHost: shop\r\nTransfer-Encoding: chunked\r\n\r\n${size}\r\nx\r\n0\r\n\r\n`,
    })),
    fc.constantFrom('HTTP/1.x', 'HTP/1.1', 'HTTP/11', 'HTTP/1.1 x', 'http/1.1').map((version) => ({
      kind: 'raw: broken HTTP version',
      text: head([`POST ${path} ${version}`, 'Host: shop']),
    })),
    fc.constantFrom(' ', '\x01', '\x7f', '\xe9', '"', '<', '{').map((c) => ({
      kind: 'raw: unescaped character in the path',
      text: head([`POST ${path}${c}1 HTTP/1.1`, 'Host: shop']),
    })),
    fc.constantFrom('X-A: a\x01b', 'X A: b', 'X-A b', ': b', 'X-A:\x00', 'X-\xe9: b').map((line) => ({
      kind: 'raw: broken header line',
      text: head([`POST ${path} HTTP/1.1`, 'Host: shop', line]),
    })),
    fc.constant({
      kind: 'raw: folded header',
      text: head([`POST ${path} HTTP/1.1`, 'Host: shop', 'X-A: a', ' b']),
    }),
    fc.constant({
      kind: 'raw: bare LF line ends',
      text: `POST ${path} HTTP/1.1\nHost: shop\n\n`,
    }),
    fc.constant({ kind: 'raw: no Host (HTTP/1.1)', text: head([`POST ${path} HTTP/1.1`]) }),
    fc.constant({ kind: 'raw: two Hosts', text: head([`POST ${path} HTTP/1.1`, 'Host: a', 'Host: b']) }),
    fc.constantFrom('foo', '200-ok', '100-continu', 'continue').map((e) => ({
      kind: 'raw: unknown Expect',
      text: head([`POST ${path} HTTP/1.1`, 'Host: shop', `Expect: ${e}`]),
    })),
    fc.constant({ kind: 'raw: CONNECT', text: head([`CONNECT ${path} HTTP/1.1`, 'Host: shop']) }),
  ];
  return fc.oneof(...kinds);
}

/** Bytes the UserCommand codec cannot read: the ingress must refuse them before anything is sent. */
const brokenUserCommand: fc.Arbitrary<Buffer> = fc
  .oneof(
    fc.constantFrom(
      new Uint8Array([]),
      new Uint8Array([0x0a, 0x05]), // a string field whose 5 bytes are missing
      new Uint8Array([0x08]), // a varint cut short
      new Uint8Array([0x0f]), // wire type 7
      new Uint8Array(Array(11).fill(0xff)), // a varint past 64 bits
    ),
    fc.uint8Array({ maxLength: 48 }),
  )
  .filter((bytes) => {
    try {
      UserCommandCodec.decode(bytes);
      return false;
    } catch {
      return true;
    }
  })
  .map((bytes) => Buffer.from(bytes));

/** What the HTTP ingress reaches by name: a greeter that counts, and the shop's user function. */
export interface IngressTargets {
  prefix: string;
  /** A greeter id: every accepted greeting to it counts. */
  greeter: string;
  user: string;
}

/** One POST (or not) to the HTTP ingress that it must refuse. */
export function malformedIngressRequest(t: IngressTargets): fc.Arbitrary<Malformed> {
  const text = { 'content-type': 'text/plain' };
  const greeter = `/${t.prefix}/example/greeter/${encodeURIComponent(t.greeter)}`;
  const user = `/${t.prefix}/shop/user/${t.user}`;
  const post = (kind: string, target: string, headers: Record<string, string>, body?: Buffer): Malformed => ({
    kind: `ingress: ${kind}`,
    route: 'POST /<prefix>/<namespace>/<type>/<id>',
    method: 'POST',
    target,
    headers,
    body,
  });
  const hello = Buffer.from('fuzz');
  const kinds: fc.WeightedArbitrary<Malformed>[] = [
    {
      weight: 3,
      arbitrary: fc
        .constantFrom(
          'shop/item',
          'shop/order',
          'shop/batch',
          'egress/httpout',
          'example/unknown',
          'Example/greeter',
          'example/Greeter',
          'shop/USER',
          'example/greeter%2Fx',
        )
        .map((type) =>
          post('a function it does not reach', `/${t.prefix}/${type}/${t.greeter}`, text, hello),
        ),
    },
    {
      weight: 2,
      arbitrary: fc
        .mixedCase(fc.constant(t.prefix))
        .filter((p) => p !== t.prefix)
        .map((p) => post('prefix in another case', greeter.replace(`/${t.prefix}/`, `/${p}/`), text, hello)),
    },
    {
      weight: 2,
      arbitrary: fc
        .constantFrom('/', '//')
        .map((tail) => post('trailing slash', greeter + tail, text, hello)),
    },
    {
      weight: 2,
      arbitrary: fc
        .constantFrom('x', '1', '%2F')
        .map((extra) => post('extra segment', `${greeter}/${extra}`, text, hello)),
    },
    {
      weight: 1,
      arbitrary: fc.constant(post('missing segment', `/${t.prefix}/example/greeter`, text, hello)),
    },
    {
      weight: 2,
      arbitrary: fc
        .constantFrom('GET', 'PUT', 'PATCH', 'DELETE', 'TRACE')
        .map((method) => ({ ...post('wrong method', greeter, text, hello), method })),
    },
    {
      weight: 3,
      arbitrary: fc
        .constantFrom(
          { to: user, type: 'text/plain' },
          { to: user, type: 'application/json' },
          { to: user, type: 'shop.types/Empty' },
          { to: user, type: 'shop.types/ItemCommand' },
          { to: greeter, type: 'shop.types/UserCommand' },
          { to: greeter, type: 'text/plain; charset=latin1' },
          { to: greeter, type: 'text/html' },
          { to: greeter, type: 'not a media type' },
          { to: greeter, type: undefined },
        )
        .map(({ to, type }) =>
          post('a type it does not take', to, type ? { 'content-type': type } : {}, hello),
        ),
    },
    {
      weight: 4,
      arbitrary: brokenUserCommand.map((bytes) =>
        post('a body its type cannot decode', user, { 'content-type': 'shop.types/UserCommand' }, bytes),
      ),
    },
    {
      weight: 2,
      arbitrary: fc
        .constantFrom([0xff], [0xc3], [0xed, 0xa0, 0x80], [0xc0, 0xaf], [0x66, 0x80])
        .map((bytes) => post('text that is not UTF-8', greeter, text, Buffer.from(bytes))),
    },
    {
      weight: 1,
      arbitrary: fc
        .integer({ min: 1024 * 1024 + 1, max: 1024 * 1024 + 4096 })
        .map((n) => post('body over 1 MiB', greeter, text, Buffer.alloc(n, 0x61))),
    },
    {
      weight: 1,
      arbitrary: fc
        .integer({ min: 4100, max: 9000 })
        .map((n) => post('oversized URL', `${greeter}?pad=${'a'.repeat(n)}`, text, hello)),
    },
  ];
  return fc.oneof(...kinds);
}
