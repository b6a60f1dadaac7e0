import { Int32Histogram } from 'hdr-histogram-js';

/** Percentiles of one set of latencies, in milliseconds. */
export interface LatencySummary {
  count: number;
  minMs: number;
  meanMs: number;
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
  p999Ms: number;
  maxMs: number;
}

/** One bar of a latency histogram plot: how many requests took from `fromMs` up to `toMs`. */
export interface LatencyBin {
  fromMs: number;
  toMs: number;
  count: number;
}

/** Latencies are recorded in microseconds, 1 µs to 10 min, to 3 significant digits. */
const LOWEST_US = 1;
const HIGHEST_US = 600_000_000;

/** An HDR histogram of request latencies: constant memory and 0.1 % precision at any count. */
export class LatencyRecorder {
  private readonly histogram = new Int32Histogram(LOWEST_US, HIGHEST_US, 3);

  recordMs(ms: number): void {
    this.histogram.recordValue(Math.min(HIGHEST_US, Math.max(LOWEST_US, Math.round(ms * 1000))));
  }

  get count(): number {
    return this.histogram.totalCount;
  }

  /** Adds every latency another recorder holds. */
  add(other: LatencyRecorder): void {
    this.histogram.add(other.histogram);
  }

  summary(): LatencySummary {
    const h = this.histogram;
    if (h.totalCount === 0) {
      return { count: 0, minMs: 0, meanMs: 0, p50Ms: 0, p95Ms: 0, p99Ms: 0, p999Ms: 0, maxMs: 0 };
    }
    const ms = (us: number) => Math.round(us) / 1000;
    return {
      count: h.totalCount,
      minMs: ms(h.minNonZeroValue),
      meanMs: ms(h.mean),
      p50Ms: ms(h.getValueAtPercentile(50)),
      p95Ms: ms(h.getValueAtPercentile(95)),
      p99Ms: ms(h.getValueAtPercentile(99)),
      p999Ms: ms(h.getValueAtPercentile(99.9)),
      maxMs: ms(h.maxValue),
    };
  }

  /** The recorded latencies in `n` bins of equal width on a log scale, from the smallest to the largest. */
  bins(n = 40): LatencyBin[] {
    const h = this.histogram;
    if (h.totalCount === 0) return [];
    const low = Math.max(LOWEST_US, h.minNonZeroValue);
    const high = Math.max(low + 1, h.maxValue);
    const ratio = Math.log(high / low) / n;
    const edge = (i: number) => low * Math.exp(ratio * i);
    const counts = new Array<number>(n).fill(0);
    const values = h.recordedValuesIterator;
    values.reset();
    while (values.hasNext()) {
      const step = values.next();
      const bin = Math.floor(Math.log(Math.max(low, step.valueIteratedTo) / low) / ratio);
      counts[Math.min(n - 1, Math.max(0, bin))] += step.countAtValueIteratedTo;
    }
    return counts.map((count, i) => ({
      fromMs: Math.round(edge(i)) / 1000,
      toMs: Math.round(edge(i + 1)) / 1000,
      count,
    }));
  }
}
