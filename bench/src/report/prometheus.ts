/**
 * A link from the HTML report to the stack's Prometheus, showing the run's time window: the report holds
 * what the bench measured itself, Prometheus what every process of the stack said meanwhile (the
 * dashboard's metrics, deploy/grafana/dashboards/statefun-shop.json).
 */

/** What the link opens, one graph each: what the shop answered, what Flink and the processes did. */
export const RUN_GRAPHS: readonly string[] = [
  'sum by (route) (rate(shop_http_request_duration_seconds_count[30s]))',
  'histogram_quantile(0.99, sum by (le, route) (rate(shop_http_request_duration_seconds_bucket[30s])))',
  'max by (job_name) (flink_jobmanager_job_lastCheckpointDuration)',
  'sum by (job) (rate(process_cpu_seconds_total[30s]))',
];

/** Margin shown on each side of the run, so its start and end are visible as edges. */
const MARGIN_S = 30;

/** `2025-01-02 03:04:05`: the UTC time format of the Prometheus UI's `end_input`. */
function utc(date: Date): string {
  return date.toISOString().slice(0, 19).replace('T', ' ');
}

/**
 * The Prometheus graph page (`/graph`) with one graph per expression, each over the window from `from`
 * to `to` (plus a margin), as the UI encodes it in its query string: `g<i>.expr`, `g<i>.tab=0` (graph),
 * `g<i>.range_input` (seconds) and `g<i>.end_input` (UTC).
 */
export function prometheusGraphUrl(
  base: string,
  window: { from: Date; to: Date },
  exprs: readonly string[] = RUN_GRAPHS,
): string {
  const end = new Date(window.to.getTime() + MARGIN_S * 1000);
  const rangeS = Math.max(1, Math.ceil((end.getTime() - window.from.getTime()) / 1000) + MARGIN_S);
  // encodeURIComponent, not URLSearchParams: that one writes a space as +, which not every reader of a
  // query string takes for a space, and PromQL has its own +.
  const params = exprs.flatMap((expr, i) => [
    [`g${i}.expr`, expr],
    [`g${i}.tab`, '0'],
    [`g${i}.range_input`, `${rangeS}s`],
    [`g${i}.end_input`, utc(end)],
  ]);
  const query = params.map(([k, v]) => `${k}=${encodeURIComponent(v ?? '')}`).join('&');
  return `${base.replace(/\/+$/, '')}/graph?${query}`;
}
