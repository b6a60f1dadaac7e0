import { randomUUID } from 'node:crypto';
import request, { type Response } from 'supertest';
import { ReplyCodec, StringWrapperCodec, UserCommandCodec, type Reply } from '../../protos/src';
import { readHttpIngressConfig } from '../../services/gateway/src/http-ingress/config';
import {
  httpIngressUnderTest,
  localIngress,
  type HttpIngressUnderTest,
} from '../support/http-ingress-under-test';
import { externalShopUrl } from '../support/shop-under-test';
import { selfSignedCertificate } from '../support/tls';
import { UUID, expectError, sleep, toAnswer } from './helpers';

// The HTTP ingress (FLINK-23301's design on the gateway): POST /in/<namespace>/<type>/<id> sends, and
// GET /in/replies/<correlation id> polls. Against the embedded shop in `npm test`, and against the real
// stack's :5555 in the e2e suite (SHOP_URL).

const CORRELATION = 'statefun-request-correlation-id';
/** A reply goes through StateFun and a checkpoint on the real stack: poll for up to a minute. */
const POLL_FOR_MS = 60_000;
const POLL_INTERVAL_MS = 25;

/** The tests share one shop: every test uses ids of its own. */
const fresh = (name: string): string => `${name}-${randomUUID()}`;

function useIngress(options: Parameters<typeof httpIngressUnderTest>[0] = {}): {
  readonly shop: HttpIngressUnderTest;
} {
  let running: HttpIngressUnderTest | undefined;
  beforeAll(async () => {
    running = await httpIngressUnderTest(options);
  });
  afterAll(async () => {
    await running?.close();
  });
  return {
    get shop(): HttpIngressUnderTest {
      if (!running) throw new Error('the shop is not started yet');
      return running;
    },
  };
}

describe('api > http ingress', () => {
  const ctx = useIngress();
  const path = (rest: string): string => `/${ctx.shop.prefix}/${rest}`;

  /** POSTs as curl would: a Content-Type only when given, the body as raw bytes. */
  function post(target: string, contentType?: string, body?: string | Uint8Array): Promise<Response> {
    let test = request(ctx.shop.ingressUrl).post(path(target));
    if (contentType !== undefined) test = test.set('Content-Type', contentType);
    return body === undefined ? test : test.send(typeof body === 'string' ? body : Buffer.from(body));
  }

  /** A message the ingress must accept: 200, no body, a fresh correlation ID and where to poll it. */
  async function accepted(target: string, contentType?: string, body?: string | Uint8Array): Promise<string> {
    const res = await post(target, contentType, body);
    expect({ status: res.status, body: res.text }).toEqual({ status: 200, body: '' });
    const id = String(res.headers[CORRELATION]);
    expect(id).toMatch(UUID);
    expect(res.headers.location).toBe(path(`replies/${id}`));
    return id;
  }

  const getReply = (id: string): Promise<Response> =>
    request(ctx.shop.ingressUrl)
      .get(path(`replies/${id}`))
      .responseType('blob');

  /** Polls until the reply is there; every answer before it is 202 pending. */
  async function reply(id: string): Promise<Response> {
    const deadline = Date.now() + POLL_FOR_MS;
    for (;;) {
      const res = await getReply(id);
      if (res.status !== 202) return res;
      expect(JSON.parse(Buffer.from(res.body as Buffer).toString('utf8'))).toEqual({
        correlation_id: id,
        status: 'pending',
      });
      if (Date.now() > deadline) throw new Error(`no reply for ${id} within ${POLL_FOR_MS} ms`);
      await sleep(POLL_INTERVAL_MS);
    }
  }

  /** The text a string reply carries, checking its status and type. */
  async function textReply(id: string): Promise<string> {
    const res = await reply(id);
    expect({ status: res.status, type: res.headers['content-type'] }).toEqual({
      status: 200,
      type: 'text/plain; charset=utf-8',
    });
    expect(res.headers[CORRELATION]).toBe(id);
    return Buffer.from(res.body as Buffer).toString('utf8');
  }

  describe('sending', () => {
    it('POST text/plain to example/greeter: the round trip answers a greeting, and greetings count per id', async () => {
      const id = fresh('Igal');
      const first = await accepted(`example/greeter/${id}`, 'text/plain', 'Igal');
      expect(await textReply(first)).toBe(`Hello Igal, greeting #1 at example/greeter/${id}`);
      const second = await accepted(`example/greeter/${id}`, 'text/plain; charset=UTF-8', 'Elisa');
      expect(await textReply(second)).toBe(`Hello Elisa, greeting #2 at example/greeter/${id}`);
      // Another id has a count of its own.
      const other = fresh('Bobby');
      const third = await accepted(`example/greeter/${other}`, 'text/plain', 'Bobby');
      expect(await textReply(third)).toBe(`Hello Bobby, greeting #1 at example/greeter/${other}`);
    });

    it('each accepted message gets a correlation ID of its own', async () => {
      const id = fresh('many');
      const ids = await Promise.all(
        [1, 2, 3].map(() => accepted(`example/greeter/${id}`, 'text/plain', 'x')),
      );
      expect(new Set(ids).size).toBe(3);
      const texts = await Promise.all(ids.map(textReply));
      expect(texts.map((t) => /#(\d+)/.exec(t)?.[1]).sort()).toEqual(['1', '2', '3']);
    });

    it('no body and no Content-Type is an empty message: the greeter greets its own id', async () => {
      const id = fresh('Empty');
      const sent = await accepted(`example/greeter/${id}`);
      expect(await textReply(sent)).toBe(`Hello ${id}, greeting #1 at example/greeter/${id}`);
    });

    it('text/plain without a body is the empty string; UTF-8 text arrives as it was written', async () => {
      const id = fresh('Zoë');
      expect(await textReply(await accepted(`example/greeter/${id}`, 'text/plain'))).toBe(
        `Hello ${id}, greeting #1 at example/greeter/${id}`,
      );
      expect(
        await textReply(await accepted(`example/greeter/${id}`, 'text/plain; charset=utf-8', 'Zoë ☕')),
      ).toBe(`Hello Zoë ☕, greeting #2 at example/greeter/${id}`);
    });

    it('any other Content-Type is the typename: a protobuf shop.types/UserCommand to shop/user answers a shop.types/Reply', async () => {
      const userId = randomUUID();
      const command = UserCommandCodec.encode({
        correlation_id: 'via-ingress',
        command: { kind: 'create', value: { credit: 5, reset: false } },
      });
      const sent = await accepted(`shop/user/${userId}`, UserCommandCodec.typename, command);
      const res = await reply(sent);
      expect({ status: res.status, type: res.headers['content-type'] }).toEqual({
        status: 200,
        type: ReplyCodec.typename,
      });
      const answer: Reply = ReplyCodec.decode(new Uint8Array(res.body as Buffer));
      expect(answer.correlation_id).toBe('via-ingress');
      expect(answer.result).toEqual({
        kind: 'user_created',
        value: expect.objectContaining({ user_id: userId }),
      });
      // The same user the REST API sees.
      const found = toAnswer(await request(ctx.shop.restUrl).get(`/users/find/${userId}`));
      expect({ status: found.status, body: found.body }).toEqual({
        status: 200,
        body: { user_id: userId, credit: 5 },
      });
    });
  });

  describe('refusals (a clear 4xx, and nothing is sent)', () => {
    /** Proves nothing reached greeter `id`: its next greeting is its first. */
    async function expectNoGreeting(id: string): Promise<void> {
      expect(await textReply(await accepted(`example/greeter/${id}`, 'text/plain', 'after'))).toBe(
        `Hello after, greeting #1 at example/greeter/${id}`,
      );
    }

    it.each(['get', 'put', 'delete', 'patch'] as const)(
      '%s on /in/<namespace>/<type>/<id> is 405 with Allow: POST, OPTIONS',
      async (method) => {
        const id = fresh('m');
        const res = await request(ctx.shop.ingressUrl)[method](path(`example/greeter/${id}`));
        expectError(toAnswer(res), 405, 'SHOP_ERR_METHOD_NOT_ALLOWED');
        expect(res.headers.allow).toBe('POST, OPTIONS');
        await expectNoGreeting(id);
      },
    );

    it('POST on the poll path is 405 with Allow: GET, HEAD, OPTIONS', async () => {
      const res = await request(ctx.shop.ingressUrl).post(path(`replies/${randomUUID()}`));
      expectError(toAnswer(res), 405, 'SHOP_ERR_METHOD_NOT_ALLOWED');
      expect(res.headers.allow).toBe('GET, HEAD, OPTIONS');
    });

    it.each([
      ['an unknown type', 'example/nope/x'],
      ['an unknown namespace', 'nowhere/greeter/x'],
      ['a shop function the ingress does not expose', 'shop/order/x'],
      ['the paired egress itself', 'egress/httpout/x'],
    ])('%s (%s) is 404 SHOP_ERR_FUNCTION_NOT_FOUND', async (_what, target) => {
      const res = await post(target, 'text/plain', 'hi');
      expectError(toAnswer(res), 404, 'SHOP_ERR_FUNCTION_NOT_FOUND');
      expect(res.headers[CORRELATION]).toBeUndefined();
    });

    it.each([
      ['a type the greeter does not take', 'shop.types/UserCommand', 'x'],
      ["curl's default for -d", 'application/x-www-form-urlencoded', 'name=Igal'],
      ['text that is not UTF-8', 'text/plain; charset=ISO-8859-1', 'Igal'],
      ['a malformed Content-Type', 'greeting', 'Igal'],
    ])('%s (%s) is 415 SHOP_ERR_UNSUPPORTED_TYPE', async (_what, contentType, body) => {
      const id = fresh('t');
      const res = await post(`example/greeter/${id}`, contentType, body);
      expectError(toAnswer(res), 415, 'SHOP_ERR_UNSUPPORTED_TYPE');
      expect(res.headers[CORRELATION]).toBeUndefined();
      await expectNoGreeting(id);
    });

    it('a body without a Content-Type is 415', async () => {
      const id = fresh('t');
      // Sent as raw bytes with the Content-Type header removed.
      const res = await request(ctx.shop.ingressUrl)
        .post(path(`example/greeter/${id}`))
        .set('Content-Type', '')
        .send(Buffer.from('Igal'));
      expectError(toAnswer(res), 415, 'SHOP_ERR_UNSUPPORTED_TYPE');
      await expectNoGreeting(id);
    });

    it('a body its type cannot read is 400: a broken protobuf, a UserCommand without a command', async () => {
      const userId = randomUUID();
      for (const body of [Uint8Array.from([0xff, 0xff, 0xff]), new Uint8Array(0)]) {
        const res = await post(`shop/user/${userId}`, UserCommandCodec.typename, body);
        expectError(toAnswer(res), 400, 'SHOP_ERR_BAD_REQUEST');
      }
      const found = toAnswer(await request(ctx.shop.restUrl).get(`/users/find/${userId}`));
      expectError(found, 404, 'SHOP_ERR_USER_NOT_FOUND');
    });

    it('a body over 1 MiB is 413', async () => {
      const res = await post(`example/greeter/${fresh('big')}`, 'text/plain', 'x'.repeat(1024 * 1024 + 1));
      expect(res.status).toBe(413);
      expect(res.body).toEqual({ error: expect.stringMatching(/\S/), code: 'SHOP_ERR_PAYLOAD_TOO_LARGE' });
    });

    it('a path that is neither a send nor a poll is 404', async () => {
      expectError(toAnswer(await post('example/greeter')), 404, 'SHOP_ERR_ROUTE_NOT_FOUND');
      expectError(toAnswer(await post('example/greeter/a/b')), 404, 'SHOP_ERR_ROUTE_NOT_FOUND');
    });
  });

  describe('polling', () => {
    it('202 while the reply is pending: a UserCommand without a correlation_id is a notification, never answered', async () => {
      const userId = randomUUID();
      const create = UserCommandCodec.encode({
        correlation_id: '',
        command: { kind: 'create', value: { credit: 1, reset: false } },
      });
      const sent = await accepted(`shop/user/${userId}`, UserCommandCodec.typename, create);
      // The command took effect...
      for (let i = 0; ; i++) {
        const found = toAnswer(await request(ctx.shop.restUrl).get(`/users/find/${userId}`));
        if (found.status === 200) break;
        if (i * 100 > POLL_FOR_MS) throw new Error('the notification never took effect');
        await sleep(100);
      }
      // ...and its correlation ID stays pending.
      const res = await request(ctx.shop.ingressUrl).get(path(`replies/${sent}`));
      expect({ status: res.status, body: toAnswer(res).body }).toEqual({
        status: 202,
        body: { correlation_id: sent, status: 'pending' },
      });
    });

    it('a reply stays pollable: polled again, the same answer', async () => {
      const id = fresh('again');
      const sent = await accepted(`example/greeter/${id}`, 'text/plain', 'once');
      const first = await textReply(sent);
      expect(await textReply(sent)).toBe(first);
      expect(first).toBe(`Hello once, greeting #1 at example/greeter/${id}`);
    });

    it('404 for an unknown correlation ID, 400 for one that is not a UUID', async () => {
      expectError(
        toAnswer(await request(ctx.shop.ingressUrl).get(path(`replies/${randomUUID()}`))),
        404,
        'SHOP_ERR_REPLY_NOT_FOUND',
      );
      expectError(
        toAnswer(await request(ctx.shop.ingressUrl).get(path('replies/not-a-uuid'))),
        400,
        'SHOP_ERR_BAD_REQUEST',
      );
    });

    it("404 for a REST request's correlation ID: the ingress polls only its own", async () => {
      const created = await request(ctx.shop.restUrl).post('/users/create');
      expect(created.status).toBe(201);
      const restId = String(created.headers['x-correlation-id']);
      expect(restId).toMatch(UUID);
      expectError(
        toAnswer(await request(ctx.shop.ingressUrl).get(path(`replies/${restId}`))),
        404,
        'SHOP_ERR_REPLY_NOT_FOUND',
      );
    });

    it("the REST port's /replies/<id> shows an ingress reply as its typename and base64 bytes", async () => {
      const id = fresh('rest');
      const sent = await accepted(`example/greeter/${id}`, 'text/plain', 'REST');
      await textReply(sent);
      const res = toAnswer(await request(ctx.shop.restUrl).get(`/replies/${sent}`));
      expect({ status: res.status, body: res.body }).toEqual({
        status: 200,
        body: {
          typename: StringWrapperCodec.typename,
          value: Buffer.from(
            StringWrapperCodec.encode({ value: `Hello REST, greeting #1 at example/greeter/${id}` }),
          ).toString('base64'),
        },
      });
    });
  });
});

/** Sends `name` to a fresh greeter and returns the correlation ID, checking the 200. */
async function greet(url: string, prefix: string, name: string, ca?: Buffer): Promise<string> {
  let test = request(url).post(`/${prefix}/example/greeter/${name}`);
  if (ca) test = test.ca(ca);
  const res = await test.set('Content-Type', 'text/plain').send(name);
  expect({ status: res.status, body: res.text }).toEqual({ status: 200, body: '' });
  return String(res.headers[CORRELATION]);
}

/** Polls (embedded: the reply is there within milliseconds) and returns the final answer. */
async function finalReply(url: string, prefix: string, id: string, ca?: Buffer): Promise<Response> {
  for (let i = 0; i < 400; i++) {
    let test = request(url).get(`/${prefix}/replies/${id}`);
    if (ca) test = test.ca(ca);
    const res = await test;
    if (res.status !== 202) return res;
    await sleep(POLL_INTERVAL_MS);
  }
  throw new Error(`no reply for ${id}`);
}

// Configurations of the ingress itself can only be set on a shop of this process's own.
if (externalShopUrl() === undefined) {
  describe('api > http ingress > configured (embedded shop)', () => {
    describe('the defaults', () => {
      const ctx = useIngress();

      it('listens on a port of its own: the REST port does not serve /in', async () => {
        expect(ctx.shop.ingressUrl).not.toBe(ctx.shop.restUrl);
        const res = await request(ctx.shop.restUrl)
          .post(`/in/example/greeter/x`)
          .set('Content-Type', 'text/plain')
          .send('x');
        expectError(toAnswer(res), 404, 'SHOP_ERR_ROUTE_NOT_FOUND');
      });
    });

    describe('HTTP_INGRESS_PORT = PORT: the REST listener serves the ingress too', () => {
      // Both 0 here: one ephemeral port for both.
      const ctx = useIngress({
        httpIngress: readHttpIngressConfig({ HTTP_INGRESS_PORT: '0' }, { port: 0, host: '127.0.0.1' }),
      });

      it('sends and polls on the REST port, which still serves the REST API', async () => {
        expect(ctx.shop.ingressUrl).toBe(ctx.shop.restUrl);
        const id = await greet(ctx.shop.restUrl, 'in', 'Shared');
        expect((await finalReply(ctx.shop.restUrl, 'in', id)).text).toBe(
          'Hello Shared, greeting #1 at example/greeter/Shared',
        );
        expect((await request(ctx.shop.restUrl).get('/healthz')).body).toEqual({ status: 'ok' });
      });
    });

    describe('HTTP_INGRESS_PATH: the path prefix', () => {
      const ctx = useIngress({ httpIngress: { ...localIngress, pathPrefix: 'statefun/ingress' } });

      it('serves /statefun/ingress/<namespace>/<type>/<id> and its replies, and /in no more', async () => {
        const id = await greet(ctx.shop.ingressUrl, 'statefun/ingress', 'Prefixed');
        const res = await finalReply(ctx.shop.ingressUrl, 'statefun/ingress', id);
        expect(res.text).toBe('Hello Prefixed, greeting #1 at example/greeter/Prefixed');
        const old = await request(ctx.shop.ingressUrl)
          .post('/in/example/greeter/x')
          .set('Content-Type', 'text/plain')
          .send('x');
        expectError(toAnswer(old), 404, 'SHOP_ERR_ROUTE_NOT_FOUND');
      });
    });

    describe('HTTP_INGRESS_TLS_CERT and HTTP_INGRESS_TLS_KEY: HTTPS', () => {
      const tls = selfSignedCertificate();
      afterAll(() => tls.remove());
      const ctx = useIngress({
        httpIngress: readHttpIngressConfig(
          {
            HTTP_INGRESS_HOST: '127.0.0.1',
            HTTP_INGRESS_PORT: '0',
            HTTP_INGRESS_TLS_CERT: tls.certFile,
            HTTP_INGRESS_TLS_KEY: tls.keyFile,
          },
          { port: 8000, host: '127.0.0.1' },
        ),
      });

      it('the round trip over HTTPS, trusting the certificate', async () => {
        expect(ctx.shop.ingressUrl).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
        const id = await greet(ctx.shop.ingressUrl, 'in', 'Secure', tls.cert);
        const res = await finalReply(ctx.shop.ingressUrl, 'in', id, tls.cert);
        expect(res.text).toBe('Hello Secure, greeting #1 at example/greeter/Secure');
      });

      it('refuses plain HTTP, and a client that does not trust the certificate', async () => {
        const plain = ctx.shop.ingressUrl.replace(/^https:/, 'http:');
        await expect(request(plain).post('/in/example/greeter/x')).rejects.toThrow();
        await expect(request(ctx.shop.ingressUrl).post('/in/example/greeter/x')).rejects.toThrow(
          /self.signed/i,
        );
      });
    });

    describe('REPLY_TTL_SECONDS: a reply expires', () => {
      const ctx = useIngress({ replyTtlSeconds: 1 });

      it('200 while kept, 404 once its time to live has passed', async () => {
        const id = await greet(ctx.shop.ingressUrl, 'in', 'Brief');
        expect((await finalReply(ctx.shop.ingressUrl, 'in', id)).status).toBe(200);
        await sleep(1100);
        expectError(
          toAnswer(await request(ctx.shop.ingressUrl).get(`/in/replies/${id}`)),
          404,
          'SHOP_ERR_REPLY_NOT_FOUND',
        );
      });
    });
  });
}
