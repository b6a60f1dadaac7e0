import { MAX_BATCH } from '@shop/protos';
import { externalShopUrl } from '../support/shop-under-test';
import { expectError, raw, useShop } from './helpers';

// A batch_init of the largest n, started and left running: it takes the embedded shop a minute or more,
// so every check here happens while it runs, and the shop is closed under it. Only against a shop of
// this file's own: on a shared one (SHOP_URL) it would overwrite a million users of everyone's.
const describeEmbedded = externalShopUrl() === undefined ? describe : describe.skip;

describeEmbedded('api > batch_init > while a batch of 1 000 000 runs', () => {
  // A short wait for replies: the big batch answers 202 at once and stays pending.
  const ctx = useShop({ replyTimeoutMs: 200 });

  it('the shop keeps answering, a second batch of the same kind is refused, another kind runs', async () => {
    const { api, shop } = ctx;
    const userId = await api.createUser(7);

    const started = await raw(shop.url, 'post', `/payment/batch_init/${MAX_BATCH}/5`);
    expect(started.status).toBe(202);
    const location = started.headers.location as string;
    expect(location).toMatch(/^\/replies\//);

    for (let round = 0; round < 3; round++) {
      const health = await raw(shop.url, 'get', '/healthz');
      expect({ status: health.status, body: health.body as unknown }).toEqual({
        status: 200,
        body: { status: 'ok' },
      });
      expect(await api.ok('get', `/users/find/${userId}`)).toEqual({ user_id: userId, credit: 7 });
    }

    expectError(await api.post('/payment/batch_init/10/5'), 409, 'SHOP_ERR_BATCH_RUNNING');
    const items = await api.post('/stock/batch_init/10/3/2');
    expect({ status: items.status, body: items.body }).toEqual({
      status: 200,
      body: { success: true, count: 10 },
    });
    expect(await api.ok('get', '/stock/find/9')).toEqual({ item_id: '9', stock: 3, price: 2 });

    // All of the above was answered before the big batch was done.
    const polled = await raw(shop.url, 'get', location);
    expect(polled.status).toBe(202);
    expectError(await api.post('/payment/batch_init/1/5'), 409, 'SHOP_ERR_BATCH_RUNNING');
  });
});
