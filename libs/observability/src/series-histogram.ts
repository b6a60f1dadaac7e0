import { Histogram } from 'prom-client';

/** One series of a histogram: its label values bound once, observed many times. */
export type HistogramSeries = Histogram.Internal<string>;

/**
 * A prom-client Histogram whose series are bound once per set of label values and then reused. prom-client's
 * `observe(labels, value)` validates the labels on every call, and a request on the benchmarked path observes
 * several histograms; the shop's budget for its metrics is 5 % of a request. `labels(...)` (prom-client's own
 * API) validates once, so the bound series is kept: a label set seen before costs a Map lookup.
 */
export class SeriesHistogram<T extends string> extends Histogram<T> {
  private readonly bound = new Map<string, HistogramSeries>();

  /** The series for these label values, in `labelNames` order. */
  series(...values: string[]): HistogramSeries {
    const key = values.join('\u0000');
    let series = this.bound.get(key);
    if (!series) {
      series = this.labels(...values);
      this.bound.set(key, series);
    }
    return series;
  }
}
