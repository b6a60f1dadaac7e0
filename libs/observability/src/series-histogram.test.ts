import { AggregatorRegistry, Histogram, Registry } from 'prom-client';
import { SeriesHistogram } from './series-histogram';

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

describe('observability > series histogram', () => {
  it("exports exactly what prom-client's own Histogram exports for the same observations", async () => {
    const boundRegistry = new Registry();
    const plainRegistry = new Registry();
    const bound = new SeriesHistogram({
      ...config(boundRegistry),
      labelNames: [...config(boundRegistry).labelNames],
    });
    const plain = new Histogram({
      ...config(plainRegistry),
      labelNames: [...config(plainRegistry).labelNames],
    });
    for (const [route, status, value] of observations) {
      bound.series(route, status).observe(value);
      plain.observe({ route, status }, value);
    }
    expect(await boundRegistry.metrics()).toBe(await plainRegistry.metrics());
    // Exemplars aside (the shop records none), the JSON that cluster workers send is the same too.
    const withoutExemplars = async (registry: Registry) =>
      JSON.parse(
        JSON.stringify(await registry.getMetricsAsJSON(), (key, v: unknown) =>
          key === 'exemplar' ? undefined : v,
        ),
      ) as unknown;
    expect(await withoutExemplars(boundRegistry)).toEqual(await withoutExemplars(plainRegistry));
  });

  it('adds up across cluster workers', async () => {
    const workers = [new Registry(), new Registry()];
    for (const registry of workers) {
      const bound = new SeriesHistogram({ ...config(registry), labelNames: ['route', 'status'] });
      bound.series('/a', '200').observe(0.05);
    }
    const sum = AggregatorRegistry.aggregate(await Promise.all(workers.map((r) => r.getMetricsAsJSON())));
    const text = await sum.metrics();
    expect(text).toMatch(/^shop_test_seconds_count\{route="\/a",status="200"\} 2$/m);
    expect(text).toMatch(/^shop_test_seconds_bucket\{le="0.1",route="\/a",status="200"\} 2$/m);
  });

  it('refuses label values that do not match its label names', () => {
    const bound = new SeriesHistogram({ ...config(new Registry()), labelNames: ['route', 'status'] });
    expect(() => bound.series('/a')).toThrow(/label/i);
  });

  it('keeps counting into a bound series after a reset', async () => {
    const registry = new Registry();
    const bound = new SeriesHistogram({ ...config(registry), labelNames: ['route', 'status'] });
    const series = bound.series('/a', '200');
    series.observe(0.05);
    bound.reset();
    series.observe(0.05);
    expect(await registry.metrics()).toMatch(/^shop_test_seconds_count\{route="\/a",status="200"\} 1$/m);
  });
});
