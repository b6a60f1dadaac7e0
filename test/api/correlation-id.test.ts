import { randomUUID } from 'node:crypto';
import { externalShopUrl } from '../support/shop-under-test';
import { UUID, expectError, raw, sleep, toAnswer, useShop, type Answer, type ShopClient } from './helpers';

const HEADER = 'x-correlation-id';

/** `POST /users/credit/add/<user>/<amount>` sent once, as it is, under `correlationId` when given. */
async function addCredit(
  api: ShopClient,
  user: string,
  amount: number,
  correlationId?: string,
): Promise<Answer> {
  const headers: Record<string, string> = correlationId ? { 'X-Correlation-ID': correlationId } : {};
  return toAnswer(await raw(api.url, 'post', `/users/credit/add/${user}/${amount}`, undefined, headers));
}

/** Polls `/replies/<id>` until it is no longer pending (a bounded loop). */
async function pollUntilFinal(api: ShopClient, id: string): Promise<Answer> {
  for (let poll = 0; poll < 500; poll++) {
    const answer = toAnswer(await raw(api.url, 'get', `/replies/${id}`));
    if (answer.status !== 202) return answer;
    await sleep(20);
  }
  throw new Error(`no reply at /replies/${id}`);
}

describe('api > correlation id', () => {
  const ctx = useShop();

  it('every answer names its correlation ID in X-Correlation-ID', async () => {
    const { api } = ctx;
    const created = toAnswer(await raw(api.url, 'post', '/users/create'));
    expect(created.status).toBe(201);
    expect(created.headers[HEADER]).toMatch(UUID);
    const user = created.body.user_id as string;

    const refused = await addCredit(api, user, 0);
    expect(refused.status).toBe(400);
    // Refused before it became a message: no correlation ID was taken.
    expect(refused.headers[HEADER]).toBeUndefined();

    const [first, second] = [await addCredit(api, user, 1), await addCredit(api, user, 1)];
    expect(first.headers[HEADER]).toMatch(UUID);
    expect(second.headers[HEADER]).toMatch(UUID);
    expect(first.headers[HEADER]).not.toBe(second.headers[HEADER]);
  });

  it('a client-chosen correlation ID is used, in lower case, and the request is served as usual', async () => {
    const { api } = ctx;
    const user = await api.createUser();
    const chosen = randomUUID();
    const answer = await addCredit(api, user, 7, chosen.toUpperCase());
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({ user_id: user, credit: 7 });
    expect(answer.headers[HEADER]).toBe(chosen);
    expect(await api.credit(user)).toBe(7);
  });

  it.each(['not-a-uuid', '12345', ' ', `${randomUUID()}x`])(
    'a chosen correlation ID that is not a UUID (%j) is 400 and changes nothing',
    async (bad) => {
      const { api } = ctx;
      const user = await api.createUser(3);
      expectError(await addCredit(api, user, 5, bad), 400, 'SHOP_ERR_BAD_REQUEST');
      expect(await api.credit(user)).toBe(3);
    },
  );

  it('one chosen ID names one request: of two sent at once, one is served and one refused with 409', async () => {
    const { api } = ctx;
    const user = await api.createUser();
    const chosen = randomUUID();
    const answers = await Promise.all([addCredit(api, user, 1, chosen), addCredit(api, user, 2, chosen)]);
    const served = answers.filter((a) => a.status === 200);
    expect(served).toHaveLength(1);
    const refused = answers.find((a) => a.status !== 200)!;
    expectError(refused, 409, 'SHOP_ERR_CORRELATION_ID_IN_USE');
    expect(await api.credit(user)).toBe(served[0]!.body.credit);

    // Answered, and still pollable under its ID: a client that lost the answer reads it again.
    const polled = toAnswer(await raw(api.url, 'get', `/replies/${chosen}`));
    expect({ status: polled.status, body: polled.body }).toEqual({ status: 200, body: served[0]!.body });
  });
});

// Only the shop's own reply timeout keeps an ID in use after its answer, and it cannot be set from outside.
if (externalShopUrl() === undefined) {
  describe('api > correlation id > late (embedded shop: replies 25 ms slow, a 1 ms reply timeout)', () => {
    const ctx = useShop({ replyTimeoutMs: 1, replyDelayMs: 25 });

    it('a late request is pollable under the chosen ID, which stays taken while its reply is kept', async () => {
      const { api } = ctx;
      const user = await api.createUser(10);
      const item = await api.createItem(4, 5);
      const order = await api.createOrder(user, [[item, 1]]);
      const chosen = randomUUID();
      const checkout = () =>
        raw(api.url, 'post', `/orders/checkout/${order}`, undefined, { 'X-Correlation-ID': chosen });

      // Replies reach the gateway 25 ms after they are sent: always later than the 1 ms timeout.
      const late = toAnswer(await checkout());
      expect({ status: late.status, body: late.body }).toEqual({
        status: 202,
        body: { correlation_id: chosen },
      });
      expect(late.headers.location).toBe(`/replies/${chosen}`);
      const reply = await pollUntilFinal(api, chosen);
      expect({ status: reply.status, paid: reply.body.paid }).toEqual({ status: 200, paid: true });

      // Refused by the gateway before it became a message: not the order's own 'already paid'.
      expectError(toAnswer(await checkout()), 409, 'SHOP_ERR_CORRELATION_ID_IN_USE');
      expect(await api.credit(user)).toBe(6);
      expect(await api.stock(item)).toBe(4);
      // The refused request did not replace the kept reply.
      const again = await pollUntilFinal(api, chosen);
      expect(again.body).toEqual(reply.body);
    });
  });
}
