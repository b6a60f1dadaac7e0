import { useShop } from './helpers';

describe('api > service', () => {
  const ctx = useShop();

  it('GET / names the shop, its version and how it runs', async () => {
    const { api, shop } = ctx;
    const answer = await api.get('/');
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({
      name: 'statefun-shop',
      version: expect.stringMatching(/^\d+\.\d+\.\d+/),
      mode: expect.stringMatching(/^(embedded|stack)$/),
      read_replies: expect.stringMatching(/^(fast|committed)$/),
    });
    if (shop.exclusive) expect(answer.body.mode).toBe('embedded');
  });

  it('GET /healthz answers ok', async () => {
    const { api } = ctx;
    const answer = await api.get('/healthz');
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({ status: 'ok' });
  });

  it('GET /readyz answers ready, with every dependency it checked ok', async () => {
    const { api, shop } = ctx;
    const answer = await api.get('/readyz');
    expect(answer.status).toBe(200);
    expect(answer.body.status).toBe('ready');
    const checks = answer.body.checks as Record<string, string>;
    // On the real engines the replica checks Kafka and Redis; embedded, their in-process stand-ins.
    expect(Object.keys(checks).sort()).toEqual(
      shop.exclusive ? ['broker', 'correlation_store'] : ['kafka', 'redis'],
    );
    expect(Object.values(checks).every((state) => state === 'ok')).toBe(true);
  });
});
