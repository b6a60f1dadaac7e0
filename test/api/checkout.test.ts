import { expectError, expectStatus, useShop, type ShopClient } from './helpers';

/** Everything a checkout may touch, read back through the API. */
async function snapshot(api: ShopClient, user: string, order: string, items: readonly string[]) {
  return {
    credit: await api.credit(user),
    stock: await Promise.all(items.map((item) => api.stock(item))),
    order: await api.order(order),
    paymentRecorded: await api.paymentStatus(user, order),
  };
}

describe('api > checkout', () => {
  const ctx = useShop();

  it('POST /orders/checkout answers 200 with the paid order, takes the stock and charges the total once', async () => {
    const { api } = ctx;
    const user = await api.createUser(100);
    const a = await api.createItem(7, 10);
    const b = await api.createItem(3, 5);
    const order = await api.createOrder(user, [
      [a, 2],
      [b, 5],
    ]);
    const answer = await api.checkout(order);
    expectStatus(answer, 200, 'checkout');
    expect(answer.body).toEqual({
      order_id: order,
      paid: true,
      items: [
        [a, 2],
        [b, 5],
      ],
      user_id: user,
      total_cost: 29,
    });
    expect(await api.order(order)).toEqual(answer.body);
    expect(await api.credit(user)).toBe(71);
    expect([await api.stock(a), await api.stock(b)]).toEqual([8, 0]);
    expect(await api.paymentStatus(user, order)).toBe(true);
  });

  it('a paid order cannot be checked out again (409) nor changed (409): nothing moves', async () => {
    const { api } = ctx;
    const user = await api.createUser(100);
    const a = await api.createItem(10, 5);
    const b = await api.createItem(1, 5);
    const order = await api.createOrder(user, [[a, 2]]);
    expectStatus(await api.checkout(order), 200, 'checkout');
    const before = await snapshot(api, user, order, [a, b]);
    expect(before).toEqual({
      credit: 80,
      stock: [3, 5],
      order: expect.objectContaining({ paid: true, items: [[a, 2]], total_cost: 20 }),
      paymentRecorded: true,
    });

    expectError(await api.checkout(order), 409, 'SHOP_ERR_ORDER_PAID');
    expectError(await api.post(`/orders/addItem/${order}/${b}/1`), 409, 'SHOP_ERR_ORDER_PAID');
    expectError(await api.post(`/orders/addItem/${order}/${a}`), 409, 'SHOP_ERR_ORDER_PAID');
    expectError(await api.delete(`/orders/removeItem/${order}/${a}`), 409, 'SHOP_ERR_ORDER_PAID');
    expect(await snapshot(api, user, order, [a, b])).toEqual(before);
  });

  it('an empty order cannot be checked out (409): nothing is charged', async () => {
    const { api } = ctx;
    const user = await api.createUser(50);
    const order = await api.createOrder(user);
    expectError(await api.checkout(order), 409, 'SHOP_ERR_ORDER_EMPTY');
    expect(await api.credit(user)).toBe(50);
    expect(await api.order(order)).toEqual({
      order_id: order,
      paid: false,
      items: [],
      user_id: user,
      total_cost: 0,
    });
    expect(await api.paymentStatus(user, order)).toBe(false);

    // Emptied by removeItem, it is refused the same way.
    const a = await api.createItem(5, 5);
    await api.ok('post', `/orders/addItem/${order}/${a}`);
    await api.ok('delete', `/orders/removeItem/${order}/${a}`);
    expectError(await api.checkout(order), 409, 'SHOP_ERR_ORDER_EMPTY');
    expect(await api.credit(user)).toBe(50);
    expect(await api.stock(a)).toBe(5);
  });

  it('too little stock of one item: 409, every item keeps its stock, no charge, and a later checkout works', async () => {
    const { api } = ctx;
    const user = await api.createUser(200);
    const a = await api.createItem(10, 5);
    const b = await api.createItem(20, 2);
    const c = await api.createItem(1, 9);
    const order = await api.createOrder(user, [
      [a, 2],
      [b, 3],
      [c, 4],
    ]);
    const before = await snapshot(api, user, order, [a, b, c]);
    expect(before).toMatchObject({
      credit: 200,
      stock: [5, 2, 9],
      order: { paid: false },
      paymentRecorded: false,
    });

    expectError(await api.checkout(order), 409, 'SHOP_ERR_OUT_OF_STOCK');
    // Rolled back: a and c had reserved their units; they are back.
    expect(await snapshot(api, user, order, [a, b, c])).toEqual(before);
    // Refused twice in a row, still nothing leaks.
    expectError(await api.checkout(order), 409, 'SHOP_ERR_OUT_OF_STOCK');
    expect(await snapshot(api, user, order, [a, b, c])).toEqual(before);

    await api.ok('post', `/stock/add/${b}/1`);
    const paid = await api.checkout(order);
    expectStatus(paid, 200, 'checkout after restocking');
    expect(paid.body).toMatchObject({ order_id: order, paid: true, total_cost: 84 });
    expect(await snapshot(api, user, order, [a, b, c])).toEqual({
      credit: 200 - 84,
      stock: [3, 0, 5],
      order: { ...before.order, paid: true },
      paymentRecorded: true,
    });
  });

  it('too little credit: 409, every item keeps its stock, no charge, and a checkout after topping up works', async () => {
    const { api } = ctx;
    const user = await api.createUser(30);
    const a = await api.createItem(10, 5);
    const b = await api.createItem(7, 3);
    const order = await api.createOrder(user, [
      [a, 2],
      [b, 3],
    ]);
    const before = await snapshot(api, user, order, [a, b]);
    expect(before).toMatchObject({ credit: 30, stock: [5, 3], order: { paid: false, total_cost: 41 } });

    expectError(await api.checkout(order), 409, 'SHOP_ERR_INSUFFICIENT_CREDIT');
    // Rolled back: both items had reserved their units before the charge was refused.
    expect(await snapshot(api, user, order, [a, b])).toEqual(before);

    await api.ok('post', `/payment/add_funds/${user}/11`);
    const paid = await api.checkout(order);
    expectStatus(paid, 200, 'checkout after topping up');
    expect(paid.body).toMatchObject({ order_id: order, paid: true, total_cost: 41 });
    expect(await snapshot(api, user, order, [a, b])).toEqual({
      credit: 0,
      stock: [3, 0],
      order: { ...before.order, paid: true },
      paymentRecorded: true,
    });
  });

  it("the order's user removed before checkout: 404, and the reserved stock comes back", async () => {
    const { api } = ctx;
    const user = await api.createUser(100);
    const a = await api.createItem(10, 5);
    const order = await api.createOrder(user, [[a, 2]]);
    await api.ok('delete', `/users/remove/${user}`);
    expectError(await api.checkout(order), 404, 'SHOP_ERR_USER_NOT_FOUND');
    expect(await api.stock(a)).toBe(5);
    expect(await api.order(order)).toMatchObject({ paid: false, items: [[a, 2]] });
    expectError(await api.get(`/users/find/${user}`), 404, 'SHOP_ERR_USER_NOT_FOUND');
  });

  it('a second checkout while one runs is refused: of two concurrent checkouts exactly one is paid, once', async () => {
    const { api } = ctx;
    for (let round = 0; round < 5; round++) {
      const user = await api.createUser(100);
      const a = await api.createItem(6, 10);
      const b = await api.createItem(4, 10);
      const order = await api.createOrder(user, [
        [a, 1],
        [b, 2],
      ]);
      const answers = await Promise.all([api.checkout(order), api.checkout(order)]);
      const statuses = answers.map((answer) => answer.status).sort();
      expect(statuses).toEqual([200, 409]);
      const refused = answers.find((answer) => answer.status === 409)!;
      expect(refused.body).toEqual({
        error: expect.stringMatching(/\S/),
        code: expect.stringMatching(/^SHOP_ERR_(CHECKOUT_IN_PROGRESS|ORDER_PAID)$/),
      });
      expect(answers.find((answer) => answer.status === 200)!.body).toMatchObject({
        paid: true,
        total_cost: 14,
      });
      expect(await api.credit(user)).toBe(86);
      expect([await api.stock(a), await api.stock(b)]).toEqual([9, 8]);
      expect(await api.order(order)).toMatchObject({ paid: true });
    }
  });
});
