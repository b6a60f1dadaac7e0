import { startEmbeddedShop, type RunningShop } from '@shop/launcher';
import { HttpTarget } from '../http-target';
import { silentProgress } from '../progress';
import { runConsistency } from './consistency';
import { runStress, stressRequest, STRESS_MIX } from './stress';

describe('bench > scenarios', () => {
  let shop: RunningShop;
  const failures: string[] = [];
  beforeAll(async () => {
    shop = await startEmbeddedShop({
      port: 0,
      host: '127.0.0.1',
      replyTimeoutMs: 10_000,
      replyTtlSeconds: 60,
      onError: (message, error) => failures.push(`${message}: ${String(error)}`),
    });
  });
  afterAll(async () => {
    await shop.close();
    expect(failures).toEqual([]);
  });

  it('consistency: concurrent checkouts against the embedded shop verify with no violation', async () => {
    const size = { initialStock: 20, price: 3, creditPerUser: 5, users: 120 };
    const result = await runConsistency(shop.url, { concurrency: 16, progress: silentProgress, size });
    expect(result.verdict.figures).toMatchObject({ checkouts: 120, succeeded: 20, refused: 100, unknown: 0 });
    expect(result.verdict.violations).toBe(0);
    expect(result.phase.overall.statuses).toEqual({ '200': 20, '409': 100 });
  });

  it('stress: batch_init then the mix, every answer a 200 or a 409', async () => {
    const http = new HttpTarget(shop.url, 4);
    try {
      const result = await runStress(http, 50, {
        concurrency: 4,
        warmupS: 0,
        durationS: 1,
        progress: silentProgress,
      });
      expect(Object.keys(result.phase.overall.statuses).sort()).toEqual(expect.arrayContaining(['200']));
      for (const status of Object.keys(result.phase.overall.statuses))
        expect(['200', '409']).toContain(status);
      expect(result.phase.endpoints.length).toBeGreaterThan(1);
    } finally {
      await http.close();
    }
  });

  it('stress: draws the mix by weight, on ids in range', () => {
    let seed = 1;
    // A fixed sequence, so the draw is the same on every run.
    const random = () => ((seed = (seed * 16807) % 2147483647) - 1) / 2147483646;
    const counts = new Map<string, number>();
    for (let i = 0; i < 4000; i++) {
      const request = stressRequest(10, random);
      const id = Number(request.path.split('/').at(-1));
      expect(id).toBeGreaterThanOrEqual(0);
      expect(id).toBeLessThan(10);
      counts.set(request.endpoint, (counts.get(request.endpoint) ?? 0) + 1);
    }
    expect([...counts.keys()].sort()).toEqual(STRESS_MIX.map((entry) => entry.endpoint).sort());
    for (const n of counts.values()) expect(n).toBeGreaterThan(800);
  });
});
