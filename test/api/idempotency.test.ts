import { randomUUID } from 'node:crypto';
import { externalShopUrl } from '../support/shop-under-test';
import {
  expectError,
  raw,
  sleep,
  toAnswer,
  useShop,
  type Answer,
  type Method,
  type ShopClient,
} from './helpers';

/** One request as it is, under Idempotency-Key `key`, with more headers when given. */
async function send(
  api: ShopClient,
  method: Method,
  path: string,
  key: string,
  headers: Record<string, string> = {},
): Promise<Answer> {
  return toAnswer(await raw(api.url, method, path, undefined, { 'Idempotency-Key': key, ...headers }));
}

const fresh = (): string => `test-${randomUUID()}`;

describe('api > Idempotency-Key', () => {
  const ctx = useShop();

  it('a retry with the same key and request replays the first answer, and the change happens once', async () => {
    const { api } = ctx;
    const user = await api.createUser(10);
    const key = fresh();
    const first = await send(api, 'post', `/users/credit/subtract/${user}/3`, key);
    expect(first).toMatchObject({ status: 200, body: { user_id: user, credit: 7 } });
    expect(first.headers['idempotent-replayed']).toBeUndefined();

    const retry = await send(api, 'post', `/users/credit/subtract/${user}/3`, key);
    expect({ status: retry.status, body: retry.body }).toEqual({ status: first.status, body: first.body });
    expect(retry.headers['idempotent-replayed']).toBe('true');
    expect(retry.headers['x-correlation-id']).toBe(first.headers['x-correlation-id']);
    expect(await api.credit(user)).toBe(7);
  });

  it('a create retried under its key answers the same id and creates one entity', async () => {
    const { api } = ctx;
    const key = fresh();
    const first = await send(api, 'post', '/stock/item/create/5', key);
    const retry = await send(api, 'post', '/stock/item/create/5', key);
    expect(first.status).toBe(201);
    expect(retry.status).toBe(201);
    expect(retry.body.item_id).toBe(first.body.item_id);
    expect(retry.headers['idempotent-replayed']).toBe('true');
  });

  it('a refusal is replayed too: the status and error of the first answer', async () => {
    const { api } = ctx;
    const user = await api.createUser(1);
    const key = fresh();
    const first = await send(api, 'post', `/payment/pay/${user}/5`, key);
    expectError(first, 409, 'SHOP_ERR_INSUFFICIENT_CREDIT');
    await api.ok('post', `/payment/add_funds/${user}/10`);
    // Replayed, not run again: the credit now suffices, but the key names the first attempt.
    const retry = await send(api, 'post', `/payment/pay/${user}/5`, key);
    expect({ status: retry.status, body: retry.body }).toEqual({ status: 409, body: first.body });
    expect(await api.credit(user)).toBe(11);
  });

  it('the same key with another request is 422 and changes nothing', async () => {
    const { api } = ctx;
    const user = await api.createUser(10);
    const key = fresh();
    await send(api, 'post', `/users/credit/add/${user}/1`, key);
    expectError(
      await send(api, 'post', `/users/credit/add/${user}/2`, key),
      422,
      'SHOP_ERR_IDEMPOTENCY_KEY_REUSED',
    );
    expectError(
      await send(api, 'delete', `/users/remove/${user}`, key),
      422,
      'SHOP_ERR_IDEMPOTENCY_KEY_REUSED',
    );
    expect(await api.credit(user)).toBe(11);
  });

  it.each([
    ['empty', ''],
    ['too long', 'k'.repeat(256)],
    ['not visible ASCII', 'key with spaces'],
  ])('a key that is %s is 400 and changes nothing', async (_what, key) => {
    const { api } = ctx;
    const user = await api.createUser(4);
    expectError(await send(api, 'post', `/users/credit/add/${user}/1`, key), 400, 'SHOP_ERR_BAD_REQUEST');
    expect(await api.credit(user)).toBe(4);
  });

  it('a key together with X-Correlation-ID is 400: one request, one name', async () => {
    const { api } = ctx;
    const user = await api.createUser(4);
    const answer = await send(api, 'post', `/users/credit/add/${user}/1`, fresh(), {
      'X-Correlation-ID': randomUUID(),
    });
    expectError(answer, 400, 'SHOP_ERR_BAD_REQUEST');
    expect(await api.credit(user)).toBe(4);
  });

  it('reads ignore the key: they can be repeated as they are', async () => {
    const { api } = ctx;
    const user = await api.createUser(4);
    const key = fresh();
    const first = await send(api, 'get', `/users/find/${user}`, key);
    await api.ok('post', `/users/credit/add/${user}/1`);
    const second = await send(api, 'get', `/users/find/${user}`, key);
    expect([first.body.credit, second.body.credit]).toEqual([4, 5]);
    expect(second.headers['idempotent-replayed']).toBeUndefined();
  });
});

// A request still running under its key needs a reply that is late on purpose: embedded only.
if (externalShopUrl() === undefined) {
  describe('api > Idempotency-Key > late (embedded shop: replies 25 ms slow, a 1 ms reply timeout)', () => {
    const ctx = useShop({ replyTimeoutMs: 1, replyDelayMs: 25 });

    it('a retry while the first is still running is 409; once it is done, the retry gets its answer', async () => {
      const { api } = ctx;
      const user = await api.createUser(10);
      const key = fresh();
      const path = `/users/credit/subtract/${user}/4`;
      const late = await send(api, 'post', path, key);
      expect(late.status).toBe(202);
      expectError(await send(api, 'post', path, key), 409, 'SHOP_ERR_IDEMPOTENT_REQUEST_IN_PROGRESS');

      let replayed: Answer | undefined;
      for (let attempt = 0; attempt < 500 && replayed === undefined; attempt++) {
        const retry = await send(api, 'post', path, key);
        if (retry.status !== 409) replayed = retry;
        else await sleep(20);
      }
      expect(replayed).toMatchObject({ status: 200, body: { user_id: user, credit: 6 } });
      expect(replayed?.headers['idempotent-replayed']).toBe('true');
      expect(await api.credit(user)).toBe(6);
    });
  });
}
