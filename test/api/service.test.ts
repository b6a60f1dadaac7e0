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
    });
    if (shop.exclusive) expect(answer.body.mode).toBe('embedded');
  });

  it('GET /healthz answers ok', async () => {
    const { api } = ctx;
    const answer = await api.get('/healthz');
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({ status: 'ok' });
  });
});
