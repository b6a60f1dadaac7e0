import { UUID, expectError, unknownId, useShop, type Method } from './helpers';

describe('api > orders', () => {
  const ctx = useShop();

  it('POST /orders/create/{user} answers 201 with a new, empty, unpaid order of that user', async () => {
    const { api } = ctx;
    const user = await api.createUser();
    const created = await api.post(`/orders/create/${user}`);
    expect(created.status).toBe(201);
    expect(created.body).toEqual({ order_id: expect.stringMatching(UUID) });
    const other = await api.post(`/orders/create/${user}`);
    expect(other.status).toBe(201);
    expect(other.body.order_id).not.toBe(created.body.order_id);
    const order = created.body.order_id as string;
    const found = await api.get(`/orders/find/${order}`);
    expect(found.status).toBe(200);
    expect(found.body).toEqual({ order_id: order, paid: false, items: [], user_id: user, total_cost: 0 });
  });

  it('an order cannot be created for an unknown or removed user: 404, and the user stays unknown', async () => {
    const { api } = ctx;
    const ghost = unknownId();
    expectError(await api.post(`/orders/create/${ghost}`), 404, 'SHOP_ERR_USER_NOT_FOUND');
    expectError(await api.get(`/users/find/${ghost}`), 404, 'SHOP_ERR_USER_NOT_FOUND');

    const removed = await api.createUser(5);
    await api.ok('delete', `/users/remove/${removed}`);
    expectError(await api.post(`/orders/create/${removed}`), 404, 'SHOP_ERR_USER_NOT_FOUND');
    expectError(await api.get(`/users/find/${removed}`), 404, 'SHOP_ERR_USER_NOT_FOUND');
  });

  it('POST /orders/addItem adds a line with the quantity, or 1 without one, at the item price', async () => {
    const { api } = ctx;
    const user = await api.createUser();
    const a = await api.createItem(5);
    const b = await api.createItem(11);
    const order = await api.createOrder(user);

    const first = await api.post(`/orders/addItem/${order}/${a}/3`);
    expect(first.status).toBe(200);
    expect(first.body).toEqual({
      order_id: order,
      paid: false,
      items: [[a, 3]],
      user_id: user,
      total_cost: 15,
    });

    const second = await api.post(`/orders/addItem/${order}/${b}`);
    expect(second.status).toBe(200);
    expect(second.body).toEqual({
      order_id: order,
      paid: false,
      items: [
        [a, 3],
        [b, 1],
      ],
      user_id: user,
      total_cost: 26,
    });
    expect(await api.order(order)).toEqual(second.body);
  });

  it('adding an item already in the order adds to its quantity', async () => {
    const { api } = ctx;
    const user = await api.createUser();
    const a = await api.createItem(4);
    const order = await api.createOrder(user, [[a, 2]]);
    await api.ok('post', `/orders/addItem/${order}/${a}`);
    const answer = await api.ok('post', `/orders/addItem/${order}/${a}/5`);
    expect(answer).toMatchObject({ items: [[a, 8]], total_cost: 32 });
    expect(await api.order(order)).toMatchObject({ items: [[a, 8]], total_cost: 32, paid: false });
  });

  it('DELETE /orders/removeItem removes the item line and answers the order', async () => {
    const { api } = ctx;
    const user = await api.createUser();
    const a = await api.createItem(4);
    const b = await api.createItem(6);
    const order = await api.createOrder(user, [
      [a, 2],
      [b, 3],
    ]);
    const answer = await api.delete(`/orders/removeItem/${order}/${a}`);
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({
      order_id: order,
      paid: false,
      items: [[b, 3]],
      user_id: user,
      total_cost: 18,
    });
    expect(await api.order(order)).toEqual(answer.body);
  });

  it('DELETE /orders/remove removes the order: it is then unknown', async () => {
    const { api } = ctx;
    const user = await api.createUser();
    const a = await api.createItem(4);
    const order = await api.createOrder(user, [[a, 1]]);
    const removed = await api.delete(`/orders/remove/${order}`);
    expect(removed.status).toBe(200);
    expect(removed.body).toEqual({ success: true });
    expectError(await api.get(`/orders/find/${order}`), 404, 'SHOP_ERR_ORDER_NOT_FOUND');
    expectError(await api.delete(`/orders/remove/${order}`), 404, 'SHOP_ERR_ORDER_NOT_FOUND');
    expectError(await api.post(`/orders/checkout/${order}`), 404, 'SHOP_ERR_ORDER_NOT_FOUND');
    expectError(await api.get(`/orders/find/${order}`), 404, 'SHOP_ERR_ORDER_NOT_FOUND');
  });

  it('adding an unknown item is 404 and leaves the order unchanged', async () => {
    const { api } = ctx;
    const user = await api.createUser();
    const a = await api.createItem(4);
    const order = await api.createOrder(user, [[a, 2]]);
    const before = await api.order(order);
    for (const ghost of [unknownId(), '9999999999999999']) {
      expectError(await api.post(`/orders/addItem/${order}/${ghost}/3`), 404, 'SHOP_ERR_ITEM_NOT_FOUND');
      expectError(await api.post(`/orders/addItem/${order}/${ghost}`), 404, 'SHOP_ERR_ITEM_NOT_FOUND');
      expectError(await api.get(`/stock/find/${ghost}`), 404, 'SHOP_ERR_ITEM_NOT_FOUND');
    }
    expect(await api.order(order)).toEqual(before);
    // The order still takes items after the refusal.
    expect(await api.ok('post', `/orders/addItem/${order}/${a}`)).toMatchObject({ items: [[a, 3]] });
  });

  it('removing an item that is not in the order is 404 and leaves the order unchanged', async () => {
    const { api } = ctx;
    const user = await api.createUser();
    const a = await api.createItem(4);
    const b = await api.createItem(4);
    const order = await api.createOrder(user, [[a, 2]]);
    const before = await api.order(order);
    expectError(await api.delete(`/orders/removeItem/${order}/${b}`), 404, 'SHOP_ERR_ITEM_NOT_IN_ORDER');
    expectError(
      await api.delete(`/orders/removeItem/${order}/${unknownId()}`),
      404,
      'SHOP_ERR_ITEM_NOT_IN_ORDER',
    );
    expect(await api.order(order)).toEqual(before);
    // Removed once, an item is no longer in the order.
    await api.ok('delete', `/orders/removeItem/${order}/${a}`);
    expectError(await api.delete(`/orders/removeItem/${order}/${a}`), 404, 'SHOP_ERR_ITEM_NOT_IN_ORDER');
    expect(await api.order(order)).toMatchObject({ items: [], total_cost: 0 });
  });

  it('an order whose total would pass 2^53 - 1 is refused with 409 and left unchanged', async () => {
    const { api } = ctx;
    const user = await api.createUser();
    const dear = await api.createItem(2 ** 52);
    const order = await api.createOrder(user, [[dear, 1]]);
    const before = await api.order(order);
    expect(before.total_cost).toBe(2 ** 52);
    expectError(await api.post(`/orders/addItem/${order}/${dear}/1`), 409, 'SHOP_ERR_LIMIT_EXCEEDED');
    expectError(await api.post(`/orders/addItem/${order}/${dear}/7`), 409, 'SHOP_ERR_LIMIT_EXCEEDED');
    expect(await api.order(order)).toEqual(before);
  });

  const unknownOrderCases: [Method, string][] = [
    ['get', '/orders/find/{id}'],
    ['post', '/orders/addItem/{id}/{item}/2'],
    ['post', '/orders/addItem/{id}/{item}'],
    ['delete', '/orders/removeItem/{id}/{item}'],
    ['delete', '/orders/remove/{id}'],
    ['post', '/orders/checkout/{id}'],
  ];
  it.each(unknownOrderCases)(
    '%s %s of an unknown order is 404 and creates nothing',
    async (method, template) => {
      const { api } = ctx;
      const item = await api.createItem(3, 5);
      for (const id of [unknownId(), '9999999999999999']) {
        const answer = await api.call(method, template.replace('{id}', id).replace('{item}', item));
        expectError(answer, 404, 'SHOP_ERR_ORDER_NOT_FOUND');
        expectError(await api.get(`/orders/find/${id}`), 404, 'SHOP_ERR_ORDER_NOT_FOUND');
      }
      expect(await api.ok('get', `/stock/find/${item}`)).toEqual({ item_id: item, stock: 5, price: 3 });
    },
  );
});
