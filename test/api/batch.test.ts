import { externalShopUrl } from '../support/shop-under-test';
import { expectError, mapLimit, range, sum, useShop, type OrderView, type ShopClient } from './helpers';

// batch_init writes the fixed ids "0".."n-1", shared by everyone using the shop: only this file uses
// them, and its tests run one after another. Against a shop of its own (embedded) the exact values are
// checked; against a shared one (SHOP_URL) only what holds whoever else writes those ids.
const USERS = 6;
const MONEY = 123_457;
const ITEMS = 5;
const STOCK = 40;
const ITEM_PRICE = 7;
const ORDERS = 8;
const ORDER_PRICE = 9;

const ids = (n: number): string[] => range(n).map(String);

async function ordersOf(api: ShopClient, n: number): Promise<OrderView[]> {
  return mapLimit(ids(n), 8, (id) => api.order(id));
}

describe('api > batch_init', () => {
  const ctx = useShop();

  it('POST /payment/batch_init/{n}/{starting_money} creates users "0".."n-1"', async () => {
    const { api } = ctx;
    const answer = await api.post(`/payment/batch_init/${USERS}/${MONEY}`);
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({ success: true, count: USERS });
    for (const id of ids(USERS)) {
      expect(await api.ok('get', `/users/find/${id}`)).toEqual({ user_id: id, credit: expect.any(Number) });
    }
  });

  it('POST /stock/batch_init/{n}/{starting_stock}/{item_price} creates items "0".."n-1"', async () => {
    const { api } = ctx;
    const answer = await api.post(`/stock/batch_init/${ITEMS}/${STOCK}/${ITEM_PRICE}`);
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({ success: true, count: ITEMS });
    for (const id of ids(ITEMS)) {
      expect(await api.ok('get', `/stock/find/${id}`)).toEqual({
        item_id: id,
        stock: expect.any(Number),
        price: expect.any(Number),
      });
    }
  });

  it('POST /orders/batch_init/{n}/{n_items}/{n_users}/{item_price} creates orders "0".."n-1" of 2 units each', async () => {
    const { api } = ctx;
    const answer = await api.post(`/orders/batch_init/${ORDERS}/${ITEMS}/${USERS}/${ORDER_PRICE}`);
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({ success: true, count: ORDERS });
    for (const [k, order] of (await ordersOf(api, ORDERS)).entries()) {
      expect(order.order_id).toBe(String(k));
      expect(sum(order.items.map(([, quantity]) => quantity))).toBe(2);
    }
  });

  it('batch_init of 0 entities succeeds with count 0', async () => {
    const { api } = ctx;
    for (const path of [
      '/payment/batch_init/0/10',
      '/stock/batch_init/0/10/1',
      '/orders/batch_init/0/1/1/1',
    ]) {
      const answer = await api.post(path);
      expect({ path, status: answer.status, body: answer.body }).toEqual({
        path,
        status: 200,
        body: { success: true, count: 0 },
      });
    }
  });

  const malformed = [
    '/payment/batch_init/1000001/10', // more than 1,000,000 at once
    '/payment/batch_init/abc/10',
    '/payment/batch_init/-1/10',
    '/payment/batch_init/1.5/10',
    '/payment/batch_init/3/-1',
    '/payment/batch_init/3/1.5',
    '/payment/batch_init/3/9007199254740992',
    '/stock/batch_init/1000001/1/1',
    '/stock/batch_init/3/-1/1',
    '/stock/batch_init/3/1/0',
    '/stock/batch_init/3/1/abc',
    '/orders/batch_init/1000001/1/1/1',
    '/orders/batch_init/3/0/1/1',
    '/orders/batch_init/3/1/0/1',
    '/orders/batch_init/3/1/1/0',
    '/orders/batch_init/0x3/1/1/1',
  ];
  it.each(malformed)('POST %s is 400', async (path) => {
    const { api } = ctx;
    expectError(await api.post(path), 400, 'SHOP_ERR_BAD_REQUEST');
  });

  // Exact values need the ids to ourselves: a shared shop (SHOP_URL) gives no such guarantee.
  if (externalShopUrl() === undefined) {
    describe('with the shop to itself (embedded): exact values', () => {
      /** Re-initialises users, items and orders, in that order. */
      async function initAll(api: ShopClient): Promise<void> {
        await api.ok('post', `/payment/batch_init/${USERS}/${MONEY}`);
        await api.ok('post', `/stock/batch_init/${ITEMS}/${STOCK}/${ITEM_PRICE}`);
        await api.ok('post', `/orders/batch_init/${ORDERS}/${ITEMS}/${USERS}/${ORDER_PRICE}`);
      }

      it('users get the starting money, items the starting stock and price', async () => {
        const { api } = ctx;
        await initAll(api);
        for (const id of ids(USERS)) expect(await api.credit(id)).toBe(MONEY);
        for (const id of ids(ITEMS)) {
          expect(await api.ok('get', `/stock/find/${id}`)).toEqual({
            item_id: id,
            stock: STOCK,
            price: ITEM_PRICE,
          });
        }
        expectError(await api.get(`/users/find/${USERS}`), 404, 'SHOP_ERR_USER_NOT_FOUND');
        expectError(await api.get(`/stock/find/${ITEMS}`), 404, 'SHOP_ERR_ITEM_NOT_FOUND');
        expectError(await api.get(`/orders/find/${ORDERS}`), 404, 'SHOP_ERR_ORDER_NOT_FOUND');
      });

      it('orders are unpaid, of users and items in range, at the batch item price', async () => {
        const { api } = ctx;
        await initAll(api);
        const itemIds = ids(ITEMS);
        const userIds = ids(USERS);
        for (const order of await ordersOf(api, ORDERS)) {
          expect(order.paid).toBe(false);
          expect(userIds).toContain(order.user_id);
          expect(order.total_cost).toBe(2 * ORDER_PRICE);
          const lineIds = order.items.map(([itemId]) => itemId);
          expect(new Set(lineIds).size).toBe(lineIds.length);
          for (const itemId of lineIds) expect(itemIds).toContain(itemId);
        }
      });

      it('re-initialising resets: credit, stock and orders are back to their starting values', async () => {
        const { api } = ctx;
        await initAll(api);
        const order = await api.order('0');
        expect((await api.checkout('0')).status).toBe(200);
        await api.ok('post', '/users/credit/subtract/1/5');
        await api.ok('post', '/stock/subtract/2/5');
        await initAll(api);
        for (const id of ids(USERS)) expect(await api.credit(id)).toBe(MONEY);
        for (const id of ids(ITEMS)) expect(await api.stock(id)).toBe(STOCK);
        expect(await api.order('0')).toMatchObject({ paid: false, total_cost: order.total_cost });
      });

      it('a batch order checks out against batch users and items, like any other', async () => {
        const { api } = ctx;
        await initAll(api);
        const order = await api.order('3');
        const stockBefore = await mapLimit(ids(ITEMS), 8, (id) => api.stock(id));
        const answer = await api.checkout('3');
        expect(answer.status).toBe(200);
        expect(answer.body).toEqual({ ...order, paid: true });
        expect(await api.credit(order.user_id)).toBe(MONEY - 2 * ORDER_PRICE);
        const stockAfter = await mapLimit(ids(ITEMS), 8, (id) => api.stock(id));
        const taken = stockBefore.map((before, i) => before - (stockAfter[i] as number));
        const expected = ids(ITEMS).map((id) =>
          sum(order.items.filter(([itemId]) => itemId === id).map(([, q]) => q)),
        );
        expect(taken).toEqual(expected);
        expectError(await api.checkout('3'), 409, 'SHOP_ERR_ORDER_PAID');
      });

      it('a refused batch_init changes nothing', async () => {
        const { api } = ctx;
        await initAll(api);
        const orders = await ordersOf(api, ORDERS);
        for (const path of malformed) expectError(await api.post(path), 400, 'SHOP_ERR_BAD_REQUEST');
        for (const id of ids(USERS)) expect(await api.credit(id)).toBe(MONEY);
        for (const id of ids(ITEMS)) expect(await api.stock(id)).toBe(STOCK);
        expect(await ordersOf(api, ORDERS)).toEqual(orders);
        expectError(await api.get(`/users/find/${USERS}`), 404, 'SHOP_ERR_USER_NOT_FOUND');
      });

      // Last: it leaves users beyond USERS, which the tests above expect not to exist.
      it('a batch larger than what it keeps in flight creates every id, and answers its exact count', async () => {
        const { api } = ctx;
        // More than a window of creates in flight (BATCH_WINDOW, 20 000) and two chunks (BATCH_CHUNK, 5 000),
        // ending in a partial chunk.
        const n = 31_234;
        expect(await api.ok('post', `/payment/batch_init/${n}/${MONEY}`)).toEqual({
          success: true,
          count: n,
        });
        for (const id of ['0', '19999', '20000', '24999', '25000', '30000', String(n - 1)]) {
          expect(await api.credit(id)).toBe(MONEY);
        }
        expectError(await api.get(`/users/find/${n}`), 404, 'SHOP_ERR_USER_NOT_FOUND');
      });
    });
  }
});
