import type { EndpointStats, PhaseResult } from '../load';
import type { BenchReport, Ratio } from '../results';

export interface SummaryRow {
  scenario: string;
  target: string;
  endpoint: string;
  requests: string;
  throughput: string;
  p50: string;
  p95: string;
  p99: string;
  max: string;
  non2xx: string;
  vsNodeHttp: string;
  vsExpress: string;
}

const COLUMNS: readonly [keyof SummaryRow, string][] = [
  ['scenario', 'scenario'],
  ['target', 'target'],
  ['endpoint', 'endpoint'],
  ['requests', 'requests'],
  ['throughput', 'req/s'],
  ['p50', 'p50 ms'],
  ['p95', 'p95 ms'],
  ['p99', 'p99 ms'],
  ['max', 'max ms'],
  ['non2xx', 'non-2xx (by status)'],
  ['vsNodeHttp', '× node http'],
  ['vsExpress', '× express'],
];
const NUMERIC = new Set<keyof SummaryRow>([
  'requests',
  'throughput',
  'p50',
  'p95',
  'p99',
  'max',
  'vsNodeHttp',
  'vsExpress',
]);

const ms = (value: number) => value.toFixed(value >= 100 ? 0 : 2);
const times = (value: number | undefined) => (value === undefined ? '' : `${value.toFixed(2)}×`);

/** `3.2% (409: 120, 500: 2)`: the share of non-2xx answers and their count by status. */
export function non2xx(stats: EndpointStats): string {
  const other = Object.entries(stats.statuses).filter(([status]) => !/^2\d\d$/.test(status));
  if (other.length === 0) return '0%';
  return `${(stats.non2xxRate * 100).toFixed(1)}% (${other.map(([status, n]) => `${status}: ${n}`).join(', ')})`;
}

function row(phase: PhaseResult, stats: EndpointStats, ratio: Ratio | undefined): SummaryRow {
  return {
    scenario: phase.scenario,
    target: phase.target,
    endpoint: stats.endpoint,
    requests: String(stats.requests),
    throughput: stats.throughput.toFixed(0),
    p50: ms(stats.latency.p50Ms),
    p95: ms(stats.latency.p95Ms),
    p99: ms(stats.latency.p99Ms),
    max: ms(stats.latency.maxMs),
    non2xx: non2xx(stats),
    vsNodeHttp: times(ratio?.vsNodeHttp),
    vsExpress: times(ratio?.vsExpress),
  };
}

/** One row per endpoint of every phase; a phase of several endpoints also gets its `all` row, with the ratios. */
export function summaryRows(report: Pick<BenchReport, 'baselines' | 'phases' | 'ratios'>): SummaryRow[] {
  const rows: SummaryRow[] = [];
  for (const phase of report.baselines) rows.push(row(phase, phase.overall, undefined));
  report.phases.forEach((phase, i) => {
    const ratio = report.ratios[i];
    if (phase.endpoints.length === 1 && phase.endpoints[0]) {
      rows.push(row(phase, phase.endpoints[0], ratio));
      return;
    }
    rows.push(row(phase, phase.overall, ratio));
    for (const stats of phase.endpoints) rows.push(row(phase, stats, undefined));
  });
  return rows;
}

/** The rows as an aligned text table, for the terminal. */
export function formatTable(rows: readonly SummaryRow[]): string[] {
  const widths = COLUMNS.map(([key, title]) => Math.max(title.length, ...rows.map((r) => r[key].length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, i) => {
        const key = COLUMNS[i]?.[0];
        const width = widths[i] ?? 0;
        return key && NUMERIC.has(key) ? cell.padStart(width) : cell.padEnd(width);
      })
      .join('  ')
      .trimEnd();
  return [
    line(COLUMNS.map(([, title]) => title)),
    line(widths.map((w) => '-'.repeat(w))),
    ...rows.map((r) => line(COLUMNS.map(([key]) => r[key]))),
  ];
}

export const SUMMARY_COLUMNS = COLUMNS;
