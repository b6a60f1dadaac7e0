import { AggregatorRegistry, Histogram, Registry } from 'prom-client';
import { LeanHistogram } from './lean-histogram';

const config = (registry: Registry) => ({
  name: 'shop_test_seconds',
  help: 'a test histogram',
  labelNames: ['route', 'status'] as const,
  buckets: [0.01, 0.1, 1],
  registers: [registry],
});
const observations: [string, string, number][] = [
  ['/a', '200', 0.005],
  ['/a', '200', 0.05],
  ['/a', '200', 0.1],
  ['/a', '404', 3],
  ['/b', '200', 0.5],
];

describe('observability > lean histogram', () => {
  it("exports exactly what prom-client's own Histogram exports for the same observations", async () => {
    const leanRegistry = new Registry();
    const plainRegistry = new Registry();
    const lean = new LeanHistogram({
      ...config(leanRegistry),
      labelNames: [...config(leanRegistry).labelNames],
    });
    const plain = new Histogram({
      ...config(plainRegistry),
      labelNames: [...config(plainRegistry).labelNames],
    });
    for (const [route, status, value] of observations) {
      lean.series(route, status).observe(value);
      plain.observe({ route, status }, value);
    }
    expect(await leanRegistry.metrics()).toBe(await plainRegistry.metrics());
    // Exemplars aside (the shop records none), the JSON that cluster workers send is the same too.
    const withoutExemplars = async (registry: Registry) =>
      JSON.parse(
        JSON.stringify(await registry.getMetricsAsJSON(), (key, v: unknown) =>
          key === 'exemplar' ? undefined : v,
        ),
      ) as unknown;
    expect(await withoutExemplars(leanRegistry)).toEqual(await withoutExemplars(plainRegistry));
  });

  it('adds up across cluster workers', async () => {
    const workers = [new Registry(), new Registry()];
    for (const registry of workers) {
      const lean = new LeanHistogram({ ...config(registry), labelNames: ['route', 'status'] });
      lean.series('/a', '200').observe(0.05);
    }
    const sum = AggregatorRegistry.aggregate(await Promise.all(workers.map((r) => r.getMetricsAsJSON())));
    const text = await sum.metrics();
    expect(text).toMatch(/^shop_test_seconds_count\{route="\/a",status="200"\} 2$/m);
    expect(text).toMatch(/^shop_test_seconds_bucket\{le="0.1",route="\/a",status="200"\} 2$/m);
  });

  it('refuses label values that do not match its label names', () => {
    const lean = new LeanHistogram({ ...config(new Registry()), labelNames: ['route', 'status'] });
    expect(() => lean.series('/a')).toThrow(/takes 2 label values/);
  });
});
