import { Histogram } from 'prom-client';

/** One series of a histogram: its label values bound once, observed many times. */
export type HistogramSeries = Histogram.Internal<string>;

/**
 * A prom-client Histogram whose series are bound once per set of label values (prom-client's own `labels()`)
 * and then reused, so that the request path neither builds a labels object nor binds a series per
 * observation: a label set seen before costs a Map lookup. prom-client still checks the labels and hashes
 * them on each observation.
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
