import { externalShopUrl } from '../support/shop-under-test';
import {
  UUID,
  expectError,
  raw,
  sleep,
  toAnswer,
  unknownId,
  useShop,
  type Answer,
  type Method,
  type ShopClient,
} from './helpers';

describe('api > replies', () => {
  const ctx = useShop();

  it('GET /replies/{id} of an unknown correlation id is 404', async () => {
    const { api } = ctx;
    expectError(await api.get(`/replies/${unknownId()}`), 404, 'SHOP_ERR_REPLY_NOT_FOUND');
  });

  it.each(['not-a-uuid', '12345', '0', '%ZZ'])('GET /replies/%s, not a UUID, is 400', async (id) => {
    const { api } = ctx;
    expectError(await api.get(`/replies/${id}`), 400, 'SHOP_ERR_BAD_REQUEST');
  });
});

const POLLS = 100;
const POLL_INTERVAL_MS = 20;

/** A request that must be answered late: 202, `{correlation_id}` and `Location: /replies/<id>`. */
async function sendLate(api: ShopClient, method: Method, path: string): Promise<string> {
  const res = await raw(api.url, method, path);
  expect({ status: res.status, body: toAnswer(res).body }).toEqual({
    status: 202,
    body: { correlation_id: expect.stringMatching(UUID) },
  });
  const id = toAnswer(res).body.correlation_id as string;
  expect(res.headers.location).toBe(`/replies/${id}`);
  return id;
}

/** Polls `/replies/<id>` until the reply is there (a bounded loop); every wait is a pending 202. */
async function pollReply(api: ShopClient, id: string): Promise<Answer> {
  for (let poll = 0; poll < POLLS; poll++) {
    const answer = toAnswer(await raw(api.url, 'get', `/replies/${id}`));
    if (answer.status !== 202) return answer;
    expect(answer.body).toEqual({ correlation_id: id, status: 'pending' });
    await sleep(POLL_INTERVAL_MS);
  }
  throw new Error(`no reply at /replies/${id} after ${POLLS} polls`);
}

// A reply can be made late only by the shop's own timeout and speed, which cannot be set from outside: against
// SHOP_URL there is no honest way to force one, so these run only on an embedded shop of their own.
if (externalShopUrl() === undefined) {
  describe('api > replies > late (embedded shop: replies 25 ms slow, a 1 ms reply timeout)', () => {
    // The helpers follow every 202 to its reply, so the setup works at this timeout too.
    const ctx = useShop({ replyTimeoutMs: 1, replyDelayMs: 25 });

    it('a late checkout answers 202; its reply is the paid order, and the order was charged once', async () => {
      const { api } = ctx;
      const user = await api.createUser(100);
      const item = await api.createItem(12, 5);
      const order = await api.createOrder(user, [[item, 3]]);

      const id = await sendLate(api, 'post', `/orders/checkout/${order}`);
      const reply = await pollReply(api, id);
      const paid = await api.order(order);
      expect(paid).toEqual({
        order_id: order,
        paid: true,
        items: [[item, 3]],
        user_id: user,
        total_cost: 36,
      });
      expect(reply.status).toBe(200);
      expect(reply.body).toEqual(paid);

      // Polled again, the same reply: reading it does not run the request again.
      const again = await pollReply(api, id);
      expect({ status: again.status, body: again.body }).toEqual({ status: 200, body: paid });
      expect(await api.credit(user)).toBe(64);
      expect(await api.stock(item)).toBe(2);
      expect(await api.paymentStatus(user, order)).toBe(true);
    });

    it('a late create answers 202; its reply is 201 with the new id, and one order was created', async () => {
      const { api } = ctx;
      const user = await api.createUser();
      const id = await sendLate(api, 'post', `/orders/create/${user}`);
      const reply = await pollReply(api, id);
      expect(reply.status).toBe(201);
      expect(reply.body).toEqual({ order_id: expect.stringMatching(UUID) });
      const order = reply.body.order_id as string;
      expect(await api.order(order)).toEqual({
        order_id: order,
        paid: false,
        items: [],
        user_id: user,
        total_cost: 0,
      });
      const again = await pollReply(api, id);
      expect({ status: again.status, body: again.body }).toEqual({ status: 201, body: { order_id: order } });
    });

    it('a late refusal answers 202; its reply is the same error, and it changed nothing', async () => {
      const { api } = ctx;
      const user = await api.createUser(10);
      const item = await api.createItem(12, 5);
      const order = await api.createOrder(user, [[item, 1]]);

      const id = await sendLate(api, 'post', `/orders/checkout/${order}`);
      expectError(await pollReply(api, id), 409, 'SHOP_ERR_INSUFFICIENT_CREDIT');
      expect(await api.credit(user)).toBe(10);
      expect(await api.stock(item)).toBe(5);
      expect(await api.order(order)).toMatchObject({ paid: false });
      expect(await api.paymentStatus(user, order)).toBe(false);
    });
  });
}
