import {
  formatSoak,
  isSoakError,
  SoakCounter,
  soakBucketSeconds,
  soakBuckets,
  soakProcesses,
  soakResult,
  soakVerdict,
  type SoakBucket,
} from './soak';
import type { ResourceFigures } from './stack/monitor';

/** Buckets of 10 s with the given throughputs and RSS series (one value per bucket, per process). */
function buckets(
  throughput: number[],
  rss: Record<string, (number | undefined)[]> = {},
  errors: number[] = [],
): SoakBucket[] {
  return throughput.map((value, k) => ({
    fromS: 10 * k,
    toS: 10 * k + 10,
    requests: value * 10,
    throughput: value,
    errors: errors[k] ?? 0,
    rssMB: Object.fromEntries(
      Object.entries(rss).flatMap(([name, values]) => (values[k] === undefined ? [] : [[name, values[k]]])),
    ),
  }));
}

const roots = (...names: string[]) => names.map((name) => ({ name, descendant: name.includes('/') }));

describe('bench > soak', () => {
  it('cuts a soak into 10 s buckets, or shorter ones so that there are at least 6', () => {
    expect(soakBucketSeconds(600)).toBe(10);
    expect(soakBucketSeconds(60)).toBe(10);
    expect(soakBucketSeconds(30)).toBe(5);
    expect(soakBucketSeconds(6)).toBe(1);
    expect(soakBucketSeconds(3)).toBe(1);
  });

  it('counts as errors the failures and non-2xx answers, but not a checkout of an order already paid', () => {
    expect(isSoakError('GET /stock/find', 200)).toBe(false);
    expect(isSoakError('POST /orders/checkout', 202)).toBe(false);
    expect(isSoakError('POST /orders/checkout', 409)).toBe(false);
    expect(isSoakError('GET /orders/find', 409)).toBe(true);
    expect(isSoakError('POST /orders/checkout', 500)).toBe(true);
    expect(isSoakError('GET /stock/find', 404)).toBe(true);
    expect(isSoakError('GET /stock/find', 0)).toBe(true);
  });

  it('counts answers and errors by second and by kind', () => {
    const counter = new SoakCounter();
    counter.measure('start');
    const spec = { endpoint: 'POST /orders/checkout', method: 'POST', path: '/orders/checkout/1' } as const;
    counter.answer(spec, { status: 200, body: '', ms: 1 });
    counter.answer(spec, { status: 409, body: '', ms: 1 });
    counter.answer(spec, { status: 0, body: 'reset', ms: 1 });
    counter.answer(spec, { status: 500, body: '', ms: 1 });
    expect(counter.answers.reduce((a, b) => a + b, 0)).toBe(4);
    expect(counter.errors.reduce((a, b) => a + b, 0)).toBe(2);
    expect(counter.errorKinds).toEqual({
      'POST /orders/checkout network': 1,
      'POST /orders/checkout 500': 1,
    });
  });

  it('adds up answers, errors and mean RSS per whole bucket, leaving out a last partial one', () => {
    const result = soakBuckets({
      seconds: 7,
      bucketS: 2,
      answers: [10, 20, 30, 40, 50, 60, 70, 80],
      errors: [0, 1, 0, 0, 0, 0, 2, 0],
      processes: [
        {
          name: 'shop',
          descendant: false,
          points: [
            { t: 0, rssMB: 100 },
            { t: 1, rssMB: 110 },
            { t: 2, rssMB: 120 },
            { t: 3.5, rssMB: 130 },
            { t: 5.9, rssMB: 140 },
          ],
        },
        { name: 'shop/worker 9', descendant: true, points: [{ t: 4.2, rssMB: 50 }] },
      ],
    });
    expect(result).toEqual([
      { fromS: 0, toS: 2, requests: 30, throughput: 15, errors: 1, rssMB: { shop: 105 } },
      { fromS: 2, toS: 4, requests: 70, throughput: 35, errors: 0, rssMB: { shop: 125 } },
      {
        fromS: 4,
        toS: 6,
        requests: 110,
        throughput: 55,
        errors: 0,
        rssMB: { shop: 140, 'shop/worker 9': 50 },
      },
    ]);
  });

  it('is flat when throughput and every RSS stay within ±10 % of their mean after the warm-up', () => {
    // The warm-up (2 of 6 buckets: the first 20 %) may be anything.
    const verdict = soakVerdict(
      buckets([100, 500, 1000, 1050, 980, 1010], { shop: [50, 150, 200, 205, 198, 202] }),
      0,
      roots('shop'),
    );
    expect(verdict).toMatchObject({ flat: true, buckets: 6, warmupBuckets: 2, errors: 0, notFlat: [] });
    expect(verdict.checks.map((c) => [c.what, c.flat])).toEqual([
      ['throughput', true],
      ['RSS of shop', true],
    ]);
    expect(verdict.checks[0]).toMatchObject({
      mean: 1010,
      min: 980,
      max: 1050,
      lowPercent: -3,
      highPercent: 4,
    });
  });

  it('leaves out at least one bucket, and 20 % of them', () => {
    expect(soakVerdict(buckets([1, 2, 2, 2, 2, 2, 2]), 0, []).warmupBuckets).toBe(2);
    expect(soakVerdict(buckets(Array(60).fill(5)), 0, []).warmupBuckets).toBe(12);
    expect(soakVerdict(buckets([0, 5, 5]), 0, []).warmupBuckets).toBe(1);
  });

  it('names what was not flat: a falling throughput, a growing RSS, errors', () => {
    const verdict = soakVerdict(
      buckets(
        [1000, 1000, 1000, 1000, 1000, 1000, 700],
        { shop: [100, 100, 100, 100, 100, 100, 100], 'load generator': [50, 60, 70, 80, 90, 100, 110] },
        [0, 3, 0, 0, 0, 0, 1],
      ),
      4,
      roots('shop', 'load generator'),
    );
    expect(verdict.flat).toBe(false);
    expect(verdict.notFlat).toEqual([
      'throughput (−25.5 % from its mean of 940 req/s)',
      'RSS of load generator (+22.2 % from its mean of 90 MB)',
      '4 error(s)',
    ]);
    expect(verdict.checks.find((c) => c.what === 'RSS of shop')?.flat).toBe(true);
  });

  it('is not flat with errors alone, nor with no throughput', () => {
    expect(soakVerdict(buckets([5, 5, 5, 5, 5, 5]), 1, []).notFlat).toEqual(['1 error(s)']);
    expect(soakVerdict(buckets([0, 0, 0, 0, 0, 0]), 0, []).notFlat).toEqual(['throughput (none)']);
    expect(soakVerdict(buckets([5]), 0, []).notFlat[0]).toMatch(/too few to judge/);
  });

  it('fails a watched process that stopped, and only names a descendant that came and went', () => {
    const verdict = soakVerdict(
      buckets([10, 10, 10, 10, 10, 10], {
        kafka: [300, 300, 300, 300, undefined, undefined],
        'redis/worker 77': [undefined, undefined, undefined, 5, undefined, undefined],
        'gateway/worker 5': [70, 70, 70, 70, 70, 70],
      }),
      0,
      roots('kafka', 'redis/worker 77', 'gateway/worker 5'),
    );
    expect(verdict.flat).toBe(false);
    expect(verdict.notFlat).toEqual(['kafka was not running in 2 of 4 judged buckets']);
    expect(verdict.cameAndWent).toEqual(['redis/worker 77']);
    expect(verdict.checks.map((c) => c.what)).toEqual([
      'throughput',
      'RSS of gateway/worker 5',
      'RSS of kafka',
    ]);
  });

  it('builds the result from the counter and the watch, in time since the measured part began', () => {
    const counter = new SoakCounter();
    counter.answers.push(...Array(30).fill(100));
    counter.errors.push(...Array(30).fill(0));
    const resources: ResourceFigures = {
      scenario: 'soak',
      target: 'shop',
      intervalS: 1,
      measured: { fromS: 12, toS: 42 },
      processes: [
        {
          name: 'shop',
          pid: 1,
          descendant: false,
          samples: 31,
          cpuPercent: 90,
          rssMB: 200,
          peakRssMB: 200,
          // 12 s of setup first, then the soak.
          series: Array.from({ length: 43 }, (_, t) => ({ t, cpuPercent: 90, rssMB: t < 12 ? 50 : 200 })),
        },
      ],
      note: null,
      checkpoints: null,
    };
    expect(soakProcesses(resources)[0]?.points[12]).toEqual({ t: 0, rssMB: 200 });
    const soak = soakResult(0.5, counter, resources);
    expect(soak.bucketS).toBe(5);
    expect(soak.buckets).toHaveLength(6);
    expect(soak.buckets.every((b) => b.throughput === 100 && b.rssMB.shop === 200)).toBe(true);
    expect(soak.verdict.flat).toBe(true);
    const text = formatSoak(soak);
    expect(text[0]).toMatch(
      /^soak: 0.5 min in 6 buckets of 5 s; the first 2 are the warm-up, the other 4 are judged/,
    );
    expect(text.at(-1)).toBe('soak: flat, no errors');
  });
});
