import { UUID, expectError, unknownId, useShop, type Method } from './helpers';

const MAX = Number.MAX_SAFE_INTEGER;

describe('api > stock', () => {
  const ctx = useShop();

  it('POST /stock/item/create/{price} answers 201 with a new item id; the item starts with no stock', async () => {
    const { api } = ctx;
    const created = await api.post('/stock/item/create/25');
    expect(created.status).toBe(201);
    expect(created.body).toEqual({ item_id: expect.stringMatching(UUID) });
    const other = await api.post('/stock/item/create/25');
    expect(other.status).toBe(201);
    expect(other.body.item_id).not.toBe(created.body.item_id);
    const item = created.body.item_id as string;
    expect(await api.ok('get', `/stock/find/${item}`)).toEqual({ item_id: item, stock: 0, price: 25 });
  });

  it('GET /stock/find shows {item_id, stock, price}', async () => {
    const { api } = ctx;
    const item = await api.createItem(9, 4);
    const found = await api.get(`/stock/find/${item}`);
    expect(found.status).toBe(200);
    expect(found.body).toEqual({ item_id: item, stock: 4, price: 9 });
  });

  it('GET /stock/availability shows {item_id, stock}', async () => {
    const { api } = ctx;
    const item = await api.createItem(9, 6);
    const found = await api.get(`/stock/availability/${item}`);
    expect(found.status).toBe(200);
    expect(found.body).toEqual({ item_id: item, stock: 6 });
  });

  it('POST /stock/add adds stock and answers the stock level', async () => {
    const { api } = ctx;
    const item = await api.createItem(3);
    expect(await api.ok('post', `/stock/add/${item}/5`)).toEqual({ item_id: item, stock: 5 });
    expect(await api.ok('post', `/stock/add/${item}/7`)).toEqual({ item_id: item, stock: 12 });
    expect(await api.ok('get', `/stock/find/${item}`)).toEqual({ item_id: item, stock: 12, price: 3 });
  });

  it('POST /stock/subtract takes stock, down to exactly zero', async () => {
    const { api } = ctx;
    const item = await api.createItem(3, 10);
    expect(await api.ok('post', `/stock/subtract/${item}/4`)).toEqual({ item_id: item, stock: 6 });
    expect(await api.ok('post', `/stock/subtract/${item}/6`)).toEqual({ item_id: item, stock: 0 });
    expect(await api.stock(item)).toBe(0);
  });

  it('subtracting more stock than available is refused with 409 and changes nothing', async () => {
    const { api } = ctx;
    const item = await api.createItem(3, 5);
    expectError(await api.post(`/stock/subtract/${item}/6`), 409, 'SHOP_ERR_OUT_OF_STOCK');
    expect(await api.stock(item)).toBe(5);
    const empty = await api.createItem(3);
    expectError(await api.post(`/stock/subtract/${empty}/1`), 409, 'SHOP_ERR_OUT_OF_STOCK');
    expect(await api.ok('get', `/stock/find/${empty}`)).toEqual({ item_id: empty, stock: 0, price: 3 });
  });

  it('stock and price can reach 2^53 - 1; adding stock past it is refused with 409', async () => {
    const { api } = ctx;
    const item = await api.createItem(MAX);
    expect(await api.ok('post', `/stock/add/${item}/${MAX}`)).toEqual({ item_id: item, stock: MAX });
    expectError(await api.post(`/stock/add/${item}/1`), 409, 'SHOP_ERR_LIMIT_EXCEEDED');
    expect(await api.ok('get', `/stock/find/${item}`)).toEqual({ item_id: item, stock: MAX, price: MAX });
  });

  const unknownItemCases: [Method, string][] = [
    ['get', '/stock/find/{id}'],
    ['get', '/stock/availability/{id}'],
    ['post', '/stock/add/{id}/5'],
    ['post', '/stock/subtract/{id}/5'],
  ];
  it.each(unknownItemCases)(
    '%s %s of an unknown item is 404 and creates nothing',
    async (method, template) => {
      const { api } = ctx;
      for (const id of [unknownId(), '9999999999999999']) {
        expectError(await api.call(method, template.replace('{id}', id)), 404, 'SHOP_ERR_ITEM_NOT_FOUND');
        expectError(await api.get(`/stock/find/${id}`), 404, 'SHOP_ERR_ITEM_NOT_FOUND');
      }
    },
  );
});
