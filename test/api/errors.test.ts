import { expectError, unknownId, useShop, type Answer, type Method, type ShopClient } from './helpers';

/** Ids the API must refuse with 400 before sending anything (valid: a UUID, or 0 and 1..16-digit decimals). */
const MALFORMED_IDS = [
  'abc',
  '1.5',
  '-1',
  '0x10',
  '01',
  '1e3',
  '+1',
  '12345678901234567',
  '6f1c2c3e-8a8b-4c3d-9e0f-1a2b3c4d5e6', // one hex digit short
  '6f1c2c3e8a8b4c3d9e0f1a2b3c4d5e6f7', // no dashes
  'a%2Fb', // "a/b" once decoded
  '%20', // " "
  '%ZZ', // cannot be decoded
];

/** Amounts, prices and quantities the API must refuse with 400: positive integers up to 2^53 - 1 only. */
const MALFORMED_AMOUNTS = [
  '0',
  '-1',
  '-0',
  '1.5',
  '1.0',
  'abc',
  '1e3',
  '+1',
  '0x10',
  '01',
  'Infinity',
  'NaN',
  '9007199254740992', // 2^53
  '9007199254740993',
  '99999999999999999999',
  '%20',
];

/** A refusal as one comparable value: which request, its status, body and content type. */
function refusal(path: string, answer: Answer) {
  return { path, status: answer.status, body: answer.body, type: answer.headers['content-type'] };
}

const badRequest = (path: string) => ({
  path,
  status: 400,
  body: { error: expect.stringMatching(/\S/), code: 'SHOP_ERR_BAD_REQUEST' },
  type: expect.stringMatching(/^application\/json/),
});

interface Fixture {
  user: string;
  item: string;
  order: string;
  /** An order id the user has paid for through /payment/pay. */
  paidFor: string;
}

/** Everything the fixture holds, read back through the API: no refusal may change any of it. */
async function state(api: ShopClient, f: Fixture) {
  return {
    user: await api.ok('get', `/users/find/${f.user}`),
    item: await api.ok('get', `/stock/find/${f.item}`),
    order: await api.order(f.order),
    orderPaymentRecorded: await api.paymentStatus(f.user, f.order),
    otherPaymentRecorded: await api.paymentStatus(f.user, f.paidFor),
  };
}

describe('api > errors', () => {
  const ctx = useShop();
  let f: Fixture;
  let before: Awaited<ReturnType<typeof state>>;

  beforeAll(async () => {
    const { api } = ctx;
    const user = await api.createUser(50);
    const item = await api.createItem(4, 5);
    const order = await api.createOrder(user, [[item, 2]]);
    const paidFor = unknownId();
    await api.ok('post', `/payment/pay/${user}/${paidFor}/10`);
    f = { user, item, order, paidFor };
    before = await state(api, f);
    expect(before).toEqual({
      user: { user_id: user, credit: 40 },
      item: { item_id: item, stock: 5, price: 4 },
      order: { order_id: order, paid: false, items: [[item, 2]], user_id: user, total_cost: 8 },
      orderPaymentRecorded: false,
      otherPaymentRecorded: true,
    });
  });

  /** `{U}` `{I}` `{O}` `{P}`: the fixture's user, item, order, and the order id it paid for. */
  const fill = (template: string, bad: string): string =>
    template
      .replace('{bad}', bad)
      .replace('{U}', f.user)
      .replace('{I}', f.item)
      .replace('{O}', f.order)
      .replace('{P}', f.paidFor);

  describe('malformed ids are 400 and change nothing', () => {
    const routes: [Method, string][] = [
      ['get', '/users/find/{bad}'],
      ['get', '/users/credit/{bad}'],
      ['delete', '/users/remove/{bad}'],
      ['post', '/users/credit/add/{bad}/5'],
      ['post', '/users/credit/subtract/{bad}/5'],
      ['get', '/payment/find_user/{bad}'],
      ['post', '/payment/add_funds/{bad}/5'],
      ['post', '/payment/pay/{bad}/5'],
      ['post', '/payment/pay/{bad}/{O}/5'],
      ['post', '/payment/pay/{U}/{bad}/5'],
      ['post', '/payment/cancel/{bad}/{P}'],
      ['post', '/payment/cancel/{U}/{bad}'],
      ['get', '/payment/status/{bad}/{P}'],
      ['get', '/payment/status/{U}/{bad}'],
      ['get', '/stock/find/{bad}'],
      ['get', '/stock/availability/{bad}'],
      ['post', '/stock/add/{bad}/5'],
      ['post', '/stock/subtract/{bad}/1'],
      ['post', '/orders/create/{bad}'],
      ['get', '/orders/find/{bad}'],
      ['post', '/orders/addItem/{bad}/{I}/1'],
      ['post', '/orders/addItem/{bad}/{I}'],
      ['post', '/orders/addItem/{O}/{bad}/1'],
      ['post', '/orders/addItem/{O}/{bad}'],
      ['delete', '/orders/removeItem/{bad}/{I}'],
      ['delete', '/orders/removeItem/{O}/{bad}'],
      ['delete', '/orders/remove/{bad}'],
      ['post', '/orders/checkout/{bad}'],
    ];
    it.each(routes)('%s %s', async (method, template) => {
      const { api } = ctx;
      const paths = MALFORMED_IDS.map((bad) => fill(template, bad));
      const answers = await Promise.all(paths.map((path) => api.call(method, path)));
      expect(answers.map((answer, i) => refusal(paths[i]!, answer))).toEqual(
        paths.map((path) => badRequest(path)),
      );
      expect(await state(api, f)).toEqual(before);
    });
  });

  describe('malformed amounts, prices and quantities are 400 and change nothing', () => {
    const routes: [Method, string][] = [
      ['post', '/users/credit/add/{U}/{bad}'],
      ['post', '/users/credit/subtract/{U}/{bad}'],
      ['post', '/payment/add_funds/{U}/{bad}'],
      ['post', '/payment/pay/{U}/{bad}'],
      ['post', '/payment/pay/{U}/{O}/{bad}'],
      ['post', '/stock/item/create/{bad}'],
      ['post', '/stock/add/{I}/{bad}'],
      ['post', '/stock/subtract/{I}/{bad}'],
      ['post', '/orders/addItem/{O}/{I}/{bad}'],
    ];
    it.each(routes)('%s %s', async (method, template) => {
      const { api } = ctx;
      const paths = MALFORMED_AMOUNTS.map((bad) => fill(template, bad));
      const answers = await Promise.all(paths.map((path) => api.call(method, path)));
      expect(answers.map((answer, i) => refusal(paths[i]!, answer))).toEqual(
        paths.map((path) => badRequest(path)),
      );
      expect(await state(api, f)).toEqual(before);
    });

    it('the largest amount, 2^53 - 1, is accepted (the limit is not off by one)', async () => {
      const { api } = ctx;
      const user = await api.createUser(1);
      expectError(
        await api.post(`/users/credit/subtract/${user}/${Number.MAX_SAFE_INTEGER}`),
        409,
        'SHOP_ERR_INSUFFICIENT_CREDIT',
      );
      expect(await api.credit(user)).toBe(1);
    });
  });

  describe('unknown routes are 404 and change nothing', () => {
    const routes: [Method, string][] = [
      ['get', '/nope'],
      ['get', '/users'],
      ['post', '/users/create/extra'],
      ['post', '/users/create/'],
      ['post', '/USERS/create'],
      ['post', '/users/Create'],
      ['post', '/users/credit/add/{U}/1/'],
      ['post', '/USERS/credit/add/{U}/1'],
      ['get', '/users/find'],
      ['get', '/users/find/'],
      ['post', '/users/credit/add/{U}'],
      ['post', '/users/credit/add/{U}/5/5'],
      ['post', '/payment/pay/{U}'],
      ['post', '/stock/item/create'],
      ['post', '/orders/addItem/{O}/{I}/1/1'],
      ['post', '/orders/addItem/{O}'],
      ['delete', '/orders/removeItem/{O}'],
      ['post', '/orders/batch_init/1/1/1'],
      ['get', '/replies'],
      ['get', '/openapi.json/'],
    ];
    it.each(routes)('%s %s', async (method, template) => {
      const { api } = ctx;
      const path = fill(template, '');
      const answer = await api.call(method, path);
      expectError(answer, 404, 'SHOP_ERR_ROUTE_NOT_FOUND');
      expect(answer.body.error).toContain(path);
      expect(await state(api, f)).toEqual(before);
    });
  });

  describe('a known path with another method is 405 with Allow, and changes nothing', () => {
    const routes: [Method, string, string][] = [
      ['get', '/users/create', 'POST, OPTIONS'],
      ['put', '/users/create', 'POST, OPTIONS'],
      ['delete', '/users/find/{U}', 'GET, HEAD, OPTIONS'],
      ['post', '/users/remove/{U}', 'DELETE, OPTIONS'],
      ['patch', '/payment/add_funds/{U}/5', 'POST, OPTIONS'],
      ['get', '/payment/cancel/{U}/{P}', 'POST, OPTIONS'],
      ['get', '/stock/subtract/{I}/1', 'POST, OPTIONS'],
      ['get', '/orders/checkout/{O}', 'POST, OPTIONS'],
      ['post', '/openapi.json', 'GET, HEAD, OPTIONS'],
    ];
    it.each(routes)('%s %s', async (method, template, allow) => {
      const { api } = ctx;
      const path = fill(template, '');
      const answer = await api.call(method, path);
      expectError(answer, 405, 'SHOP_ERR_METHOD_NOT_ALLOWED');
      expect(answer.headers.allow).toBe(allow);
      expect(await state(api, f)).toEqual(before);
    });

    it('OPTIONS answers 204 with what the path allows, and changes nothing', async () => {
      const { api } = ctx;
      const answer = await api.call('options', fill('/users/credit/add/{U}/5', ''));
      expect(answer.status).toBe(204);
      expect(answer.headers.allow).toBe('POST, OPTIONS');
      expect(answer.body).toEqual({});
      expect(await state(api, f)).toEqual(before);
    });
  });
});
