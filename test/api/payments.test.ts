import { UUID, expectError, unknownId, useShop, type Method } from './helpers';

describe('api > payments', () => {
  const ctx = useShop();

  it('POST /payment/create_user answers 201 with a user that /users sees too, with no credit', async () => {
    const { api } = ctx;
    const created = await api.post('/payment/create_user');
    expect(created.status).toBe(201);
    expect(created.body).toEqual({ user_id: expect.stringMatching(UUID) });
    const user = created.body.user_id as string;
    expect(await api.ok('get', `/users/find/${user}`)).toEqual({ user_id: user, credit: 0 });
  });

  it('GET /payment/find_user shows {user_id, credit}', async () => {
    const { api } = ctx;
    const user = await api.createUser(17);
    const found = await api.get(`/payment/find_user/${user}`);
    expect(found.status).toBe(200);
    expect(found.body).toEqual({ user_id: user, credit: 17 });
  });

  it('POST /payment/add_funds adds to the credit and answers the user', async () => {
    const { api } = ctx;
    const user = await api.createUser();
    expect(await api.ok('post', `/payment/add_funds/${user}/100`)).toEqual({ user_id: user, credit: 100 });
    expect(await api.ok('post', `/payment/add_funds/${user}/5`)).toEqual({ user_id: user, credit: 105 });
    expect(await api.credit(user)).toBe(105);
  });

  it('POST /payment/pay/{user}/{amount} charges the credit and records no order payment', async () => {
    const { api } = ctx;
    const user = await api.createUser(100);
    const order = unknownId();
    expect(await api.ok('post', `/payment/pay/${user}/30`)).toEqual({ user_id: user, credit: 70 });
    expect(await api.credit(user)).toBe(70);
    expect(await api.paymentStatus(user, order)).toBe(false);
  });

  it('POST /payment/pay/{user}/{order}/{amount} charges the credit and records the payment', async () => {
    const { api } = ctx;
    const user = await api.createUser(100);
    const order = unknownId();
    const other = unknownId();
    expect(await api.paymentStatus(user, order)).toBe(false);
    expect(await api.ok('post', `/payment/pay/${user}/${order}/40`)).toEqual({ user_id: user, credit: 60 });
    expect(await api.credit(user)).toBe(60);
    expect(await api.paymentStatus(user, order)).toBe(true);
    expect(await api.paymentStatus(user, other)).toBe(false);
  });

  it('GET /payment/status answers {paid}', async () => {
    const { api } = ctx;
    const user = await api.createUser(10);
    const order = unknownId();
    const before = await api.get(`/payment/status/${user}/${order}`);
    expect(before.status).toBe(200);
    expect(before.body).toEqual({ paid: false });
    await api.ok('post', `/payment/pay/${user}/${order}/10`);
    const after = await api.get(`/payment/status/${user}/${order}`);
    expect(after.status).toBe(200);
    expect(after.body).toEqual({ paid: true });
  });

  it('POST /payment/cancel refunds every payment made for the order, once', async () => {
    const { api } = ctx;
    const user = await api.createUser(100);
    const order = unknownId();
    const other = unknownId();
    await api.ok('post', `/payment/pay/${user}/${order}/30`);
    await api.ok('post', `/payment/pay/${user}/${order}/20`);
    await api.ok('post', `/payment/pay/${user}/${other}/5`);
    expect(await api.credit(user)).toBe(45);

    expect(await api.ok('post', `/payment/cancel/${user}/${order}`)).toEqual({ user_id: user, credit: 95 });
    expect(await api.credit(user)).toBe(95);
    expect(await api.paymentStatus(user, order)).toBe(false);
    expect(await api.paymentStatus(user, other)).toBe(true);

    // Refunded once: a second cancel finds no payment and gives nothing back.
    expectError(await api.post(`/payment/cancel/${user}/${order}`), 404, 'SHOP_ERR_PAYMENT_NOT_FOUND');
    expect(await api.credit(user)).toBe(95);
    // The payment was for an order id that names no order: cancelling it must not create one.
    expectError(await api.get(`/orders/find/${order}`), 404, 'SHOP_ERR_ORDER_NOT_FOUND');
  });

  it('POST /payment/cancel of a checked-out order refunds it, makes it unpaid and returns its stock', async () => {
    const { api } = ctx;
    const user = await api.createUser(100);
    const a = await api.createItem(7, 10);
    const b = await api.createItem(3, 4);
    const order = await api.createOrder(user, [
      [a, 2],
      [b, 4],
    ]);
    const paid = await api.checkout(order);
    expect(paid.status).toBe(200);
    expect(await api.credit(user)).toBe(100 - 26);
    expect([await api.stock(a), await api.stock(b)]).toEqual([8, 0]);

    expect(await api.ok('post', `/payment/cancel/${user}/${order}`)).toEqual({ user_id: user, credit: 100 });
    expect(await api.order(order)).toMatchObject({ paid: false, total_cost: 26 });
    expect([await api.stock(a), await api.stock(b)]).toEqual([10, 4]);
    expect(await api.credit(user)).toBe(100);
    expect(await api.paymentStatus(user, order)).toBe(false);

    // Unpaid again, the order can be changed and checked out again.
    await api.ok('delete', `/orders/removeItem/${order}/${b}`);
    const again = await api.checkout(order);
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ order_id: order, paid: true, total_cost: 14 });
    expect(await api.credit(user)).toBe(100 - 14);
    expect([await api.stock(a), await api.stock(b)]).toEqual([8, 4]);
  });

  it("another user's payment cancel for the same order id leaves the order paid and its stock sold", async () => {
    const { api } = ctx;
    const owner = await api.createUser(100);
    const other = await api.createUser(10);
    const item = await api.createItem(10, 5);
    const order = await api.createOrder(owner, [[item, 1]]);
    expect((await api.checkout(order)).status).toBe(200);
    await api.ok('post', `/payment/pay/${other}/${order}/1`);
    expect(await api.ok('post', `/payment/cancel/${other}/${order}`)).toEqual({ user_id: other, credit: 10 });

    expect(await api.order(order)).toMatchObject({ paid: true });
    expect(await api.stock(item)).toBe(4);
    expect(await api.credit(owner)).toBe(90);
    expectError(await api.checkout(order), 409, 'SHOP_ERR_ORDER_PAID');
    expect(await api.credit(owner)).toBe(90);
  });

  it('a paid order cannot be removed, so that a refund still returns its stock', async () => {
    const { api } = ctx;
    const user = await api.createUser(100);
    const item = await api.createItem(10, 5);
    const order = await api.createOrder(user, [[item, 2]]);
    expect((await api.checkout(order)).status).toBe(200);
    expectError(await api.delete(`/orders/remove/${order}`), 409, 'SHOP_ERR_ORDER_PAID');
    await api.ok('post', `/payment/cancel/${user}/${order}`);
    expect(await api.stock(item)).toBe(5);
    expect(await api.credit(user)).toBe(100);
    await api.ok('delete', `/orders/remove/${order}`);
  });

  it('paying more than the credit is refused with 409 and changes nothing', async () => {
    const { api } = ctx;
    const user = await api.createUser(30);
    const order = unknownId();
    expectError(await api.post(`/payment/pay/${user}/31`), 409, 'SHOP_ERR_INSUFFICIENT_CREDIT');
    expectError(await api.post(`/payment/pay/${user}/${order}/31`), 409, 'SHOP_ERR_INSUFFICIENT_CREDIT');
    expect(await api.credit(user)).toBe(30);
    expect(await api.paymentStatus(user, order)).toBe(false);
  });

  it('cancelling when no payment was made for the order is 404 and changes nothing', async () => {
    const { api } = ctx;
    const user = await api.createUser(30);
    const order = unknownId();
    await api.ok('post', `/payment/pay/${user}/10`);
    expectError(await api.post(`/payment/cancel/${user}/${order}`), 404, 'SHOP_ERR_PAYMENT_NOT_FOUND');
    expect(await api.credit(user)).toBe(20);
    expect(await api.paymentStatus(user, order)).toBe(false);
  });

  const unknownUserCases: [Method, string][] = [
    ['get', '/payment/find_user/{id}'],
    ['post', '/payment/add_funds/{id}/5'],
    ['post', '/payment/pay/{id}/5'],
    ['post', '/payment/pay/{id}/{order}/5'],
    ['post', '/payment/cancel/{id}/{order}'],
    ['get', '/payment/status/{id}/{order}'],
  ];
  it.each(unknownUserCases)(
    '%s %s of an unknown user is 404 and creates nothing',
    async (method, template) => {
      const { api } = ctx;
      const id = unknownId();
      const answer = await api.call(method, template.replace('{id}', id).replace('{order}', unknownId()));
      expectError(answer, 404, 'SHOP_ERR_USER_NOT_FOUND');
      expectError(await api.get(`/payment/find_user/${id}`), 404, 'SHOP_ERR_USER_NOT_FOUND');
    },
  );
});
