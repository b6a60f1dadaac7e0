import { Writable } from 'node:stream';
import pino from 'pino';
import request from 'supertest';
import { Registry } from '@shop/observability';
import { startEmbeddedShop, type RunningShop } from './embedded-shop';

/** A pino logger whose lines are kept, parsed, for the test to read. */
function capturedLog(): { log: pino.Logger; lines: Record<string, unknown>[] } {
  const lines: Record<string, unknown>[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString().split('\n'))
        if (line) lines.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  return { log: pino({ level: 'debug' }, sink), lines };
}

/** The value of one series of a metric in the registry (0 when it has no such series). */
async function valueOf(
  registry: Registry,
  name: string,
  labels: Record<string, string> = {},
): Promise<number> {
  const metrics = await registry.getMetricsAsJSON();
  const series = metrics.flatMap((m) =>
    m.values
      // Histograms name each value (`_bucket`, `_sum`, `_count`); other metrics' values are the metric's.
      .filter((v) => ((v as { metricName?: string }).metricName ?? m.name) === name)
      .map((v) => ({ ...v, labels: v.labels as Record<string, unknown> })),
  );
  if (!metrics.some((m) => name.startsWith(m.name))) throw new Error(`no metric ${name}`);
  const matches = series.filter((v) =>
    Object.entries(labels).every(([key, value]) => String(v.labels[key]) === value),
  );
  return matches.reduce((sum, v) => sum + v.value, 0);
}

describe('launcher > observability', () => {
  let shop: RunningShop;
  let registry: Registry;
  let lines: Record<string, unknown>[];

  beforeEach(async () => {
    registry = new Registry();
    const captured = capturedLog();
    lines = captured.lines;
    shop = await startEmbeddedShop({
      port: 0,
      host: '127.0.0.1',
      replyTimeoutMs: 5_000,
      replyTtlSeconds: 60,
      log: captured.log,
      registry,
      metricsPort: 0,
    });
  });
  afterEach(() => shop.close());

  const post = (path: string) =>
    request(shop.url)
      .post(path)
      .expect((res) => expect(res.status).toBeLessThan(300));

  async function orderOf(price: number, stock: number, credit: number): Promise<string> {
    const item = (await post(`/stock/item/create/${price}`)).body as { item_id: string };
    if (stock > 0) await post(`/stock/add/${item.item_id}/${stock}`);
    const user = (await post('/users/create')).body as { user_id: string };
    if (credit > 0) await post(`/users/credit/add/${user.user_id}/${credit}`);
    const order = (await post(`/orders/create/${user.user_id}`)).body as { order_id: string };
    await post(`/orders/addItem/${order.order_id}/${item.item_id}`);
    return order.order_id;
  }

  test('each request is one duration observation, under its route template and status', async () => {
    const created = await post('/stock/item/create/5');
    const item = created.body as { item_id: string };
    await request(shop.url).get(`/stock/find/${item.item_id}`).expect(200);
    await request(shop.url).get(`/stock/find/${item.item_id}`).expect(200);
    await request(shop.url).get('/no/such/path').expect(404);
    const count = (labels: Record<string, string>) =>
      valueOf(registry, 'shop_http_request_duration_seconds_count', labels);
    expect(
      await count({ method: 'GET', route: '/stock/find/{item_id}', status: '200', server: 'rest' }),
    ).toBe(2);
    expect(
      await count({ method: 'POST', route: '/stock/item/create/{price}', status: String(created.status) }),
    ).toBe(1);
    expect(await count({ route: 'unmatched', status: '404' })).toBe(1);
  });

  test('a request line names method, route template, status, duration and correlation ID', async () => {
    const item = (await post('/stock/item/create/5')).body as { item_id: string };
    const res = await request(shop.url).get(`/stock/find/${item.item_id}`).expect(200);
    const line = lines.find((l) => l.msg === 'request' && l.method === 'GET');
    expect(line).toMatchObject({
      server: 'rest',
      route: '/stock/find/{item_id}',
      status: 200,
      correlation_id: res.headers['x-correlation-id'],
    });
    expect(typeof line?.duration_ms).toBe('number');
  });

  test('checkouts are counted by result, and logged with the checkout request correlation ID', async () => {
    const paid = await orderOf(10, 5, 100);
    const noStock = await orderOf(10, 0, 100);
    const noCredit = await orderOf(10, 5, 1);
    const checkout = await post(`/orders/checkout/${paid}`);
    await request(shop.url).post(`/orders/checkout/${noStock}`).expect(409);
    await request(shop.url).post(`/orders/checkout/${noCredit}`).expect(409);
    expect(await valueOf(registry, 'shop_checkout_outcomes_total', { result: 'paid' })).toBe(1);
    expect(await valueOf(registry, 'shop_checkout_outcomes_total', { result: 'rejected_stock' })).toBe(1);
    expect(await valueOf(registry, 'shop_checkout_outcomes_total', { result: 'rejected_credit' })).toBe(1);
    expect(await valueOf(registry, 'shop_checkout_outcomes_total', { result: 'rolled_back' })).toBe(0);
    expect(lines).toContainEqual(
      expect.objectContaining({
        msg: 'checkout paid',
        order_id: paid,
        correlation_id: checkout.headers['x-correlation-id'],
      }),
    );
    expect(lines).toContainEqual(
      expect.objectContaining({
        msg: 'checkout rejected',
        order_id: noCredit,
        code: 'SHOP_ERR_INSUFFICIENT_CREDIT',
      }),
    );
    // Each refusal the gateway got is a line too.
    expect(lines.filter((l) => l.msg === 'refused' && l.function_type === 'shop/order')).toHaveLength(2);
  });

  test('function invocations, batches, handshakes and the egress are counted', async () => {
    await post('/users/create');
    // One create: the user function handles one message, after the state handshake of its first call.
    expect(await valueOf(registry, 'shop_function_invocations_total', { function_type: 'shop/user' })).toBe(
      1,
    );
    expect(
      await valueOf(registry, 'shop_function_state_handshakes_total', { function_type: 'shop/user' }),
    ).toBeGreaterThanOrEqual(1);
    expect(await valueOf(registry, 'shop_function_batch_size_sum', { function_type: 'shop/user' })).toBe(1);
    expect(
      await valueOf(registry, 'shop_function_handler_duration_seconds_count', { function_type: 'shop/user' }),
    ).toBe(1);
    expect(await valueOf(registry, 'shop_egress_records_consumed_total')).toBe(1);
    // In process, the store and the broker are maps: not timed (services/gateway times them on the stack).
    expect(await valueOf(registry, 'shop_broker_publish_duration_seconds_count')).toBe(0);
    expect(await valueOf(registry, 'shop_correlation_store_duration_seconds_count')).toBe(0);
    expect(await valueOf(registry, 'shop_requests_parked')).toBe(0);
    expect(await valueOf(registry, 'shop_egress_consumer_lag_records')).toBe(0);
    expect(lines).toContainEqual(
      expect.objectContaining({ msg: 'invocation batch', function_type: 'shop/user' }),
    );
  });
});

describe('launcher > observability > late replies', () => {
  test('a reply later than the timeout is a 202, counted late, and the request is no longer parked', async () => {
    const registry = new Registry();
    const shop = await startEmbeddedShop({
      port: 0,
      host: '127.0.0.1',
      replyTimeoutMs: 1_500,
      replyTtlSeconds: 60,
      replyDelayMs: 3_000,
      registry,
    });
    try {
      const parked = request(shop.url)
        .post('/users/create')
        .then((res) => res);
      // Parked while it waits: seen before the timeout answers it.
      let parkedNow = 0;
      for (let i = 0; i < 100 && parkedNow === 0; i++) {
        await new Promise((resolve) => setTimeout(resolve, 10));
        parkedNow = await valueOf(registry, 'shop_requests_parked');
      }
      expect(parkedNow).toBe(1);
      expect((await parked).status).toBe(202);
      expect(await valueOf(registry, 'shop_replies_late_total')).toBe(1);
      expect(await valueOf(registry, 'shop_requests_parked')).toBe(0);
    } finally {
      await shop.close();
    }
  });
});
