import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { PhaseResult } from '../load';
import type { BenchReport } from '../results';
import { passed } from '../results';
import { formatSoak, type SoakResult } from '../soak';
import type { ResourceFigures } from '../stack/monitor';
import { formatVerdict } from '../verifier';
import { prometheusGraphUrl } from './prometheus';
import { CHECKPOINT_COLUMNS, checkpointRows, PROCESS_COLUMNS, processRows, resourceNotes } from './resources';
import { SUMMARY_COLUMNS, summaryRows } from './summary';
import { escapeXml, latencyHistogramSvg, lineChartSvg, throughputSvg } from './svg';

/** `bench-20250101-120000`: the reports of one run share this stem. */
export function reportStem(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return (
    `bench-${date.getFullYear()}${pad(date.getMonth() + 1)}${pad(date.getDate())}` +
    `-${pad(date.getHours())}${pad(date.getMinutes())}${pad(date.getSeconds())}`
  );
}

/** Writes `<stem>.json` and `<stem>.html` into `dir` (created if missing); returns their paths. */
export async function writeReports(
  report: BenchReport,
  dir: string,
  stem: string = reportStem(new Date(report.startedAt)),
): Promise<{ json: string; html: string }> {
  await mkdir(dir, { recursive: true });
  const json = join(dir, `${stem}.json`);
  const html = join(dir, `${stem}.html`);
  await writeFile(json, `${JSON.stringify(report, null, 2)}\n`);
  await writeFile(html, renderHtml(report));
  return { json, html };
}

const label = (phase: PhaseResult) => `${phase.scenario} @ ${phase.target}`;
/** Whole seconds only: the last, partial second would show as a drop that never happened. */
const fullSeconds = (phase: PhaseResult) => phase.timeline.slice(0, Math.max(1, Math.floor(phase.seconds)));

function table(head: readonly string[], rows: readonly (readonly string[])[]): string {
  const cells = (tag: string, values: readonly string[]) =>
    `<tr>${values.map((v) => `<${tag}>${escapeXml(v)}</${tag}>`).join('')}</tr>`;
  return `<table>\n<thead>${cells('th', head)}</thead>\n<tbody>\n${rows.map((r) => cells('td', r)).join('\n')}\n</tbody>\n</table>`;
}

/** Each phase's processes (a table, CPU and RSS over time) and Flink's checkpoints. */
function resourceSections(resources: readonly ResourceFigures[]): string[] {
  const sections: string[] = [];
  if (resources.length === 0) return sections;
  const notes = resourceNotes(resources);
  const plots = resources
    .filter((r) => r.processes.length > 0)
    .map((r) => {
      const title = `${r.scenario} @ ${r.target}`;
      const band = [r.measured.fromS, r.measured.toS] as const;
      const cpu = r.processes.map((p) => ({
        label: p.name,
        points: p.series.flatMap((s) => (s.cpuPercent === null ? [] : [[s.t, s.cpuPercent] as const])),
      }));
      const rss = r.processes.map((p) => ({
        label: p.name,
        points: p.series.map((s) => [s.t, s.rssMB] as const),
      }));
      return (
        `<figure>${lineChartSvg(`${title}: CPU`, 'second (measured part shaded)', '% of one core', cpu, { band })}</figure>` +
        `<figure>${lineChartSvg(`${title}: RSS`, 'second (measured part shaded)', 'MB', rss, { band })}</figure>`
      );
    });
  sections.push(
    `<h2>Processes</h2>\n<p>Sampled every second from /proc: CPU as % of one core and resident memory (RSS), ` +
      `averaged over each phase's measured part (setup and warm-up excluded).</p>\n` +
      table([...PROCESS_COLUMNS], processRows(resources)) +
      (notes.length > 0 ? `\n<ul>${notes.map((n) => `<li>${escapeXml(n)}</li>`).join('')}</ul>` : '') +
      `\n${plots.join('\n')}`,
  );
  const checkpoints = checkpointRows(resources);
  if (checkpoints.length > 0) {
    sections.push(
      `<h2>Flink checkpoints</h2>\n<p>The checkpoints triggered in each measured phase, from Flink's REST API ` +
        `(interval: between completions; sizes: what each checkpoint wrote, and the whole state).</p>\n` +
        table([...CHECKPOINT_COLUMNS], checkpoints),
    );
  }
  return sections;
}

/** The soak's verdict, its buckets, and throughput and RSS per bucket. */
function soakSection(soak: SoakResult): string {
  const names = [...new Set(soak.buckets.flatMap((b) => Object.keys(b.rssMB)))].sort((a, b) =>
    a.localeCompare(b),
  );
  const mid = (b: { fromS: number; toS: number }) => (b.fromS + b.toS) / 2;
  const throughput = lineChartSvg(
    `soak: throughput per ${soak.bucketS} s bucket`,
    'second of the soak (warm-up shaded)',
    'requests / s',
    [{ label: 'throughput', points: soak.buckets.map((b) => [mid(b), b.throughput] as const) }],
    { band: [0, soak.bucketS * soak.verdict.warmupBuckets] },
  );
  const rss = lineChartSvg(
    `soak: RSS per ${soak.bucketS} s bucket`,
    'second of the soak (warm-up shaded)',
    'MB',
    names.map((name) => ({
      label: name,
      points: soak.buckets.flatMap((b) => {
        const value = b.rssMB[name];
        return value === undefined ? [] : [[mid(b), value] as const];
      }),
    })),
    { band: [0, soak.bucketS * soak.verdict.warmupBuckets] },
  );
  return (
    `<h2>Soak</h2>\n<p class="verdict">${soak.verdict.flat ? 'flat, no errors' : 'NOT FLAT'}</p>\n` +
    `<pre>${escapeXml(formatSoak(soak).join('\n'))}</pre>\n` +
    `<figure>${throughput}</figure><figure>${rss}</figure>\n` +
    table(
      ['seconds', 'req/s', 'errors', ...names.map((n) => `${n} MB`)],
      soak.buckets.map((b) => [
        `${b.fromS}–${b.toS}`,
        b.throughput.toFixed(0),
        String(b.errors),
        ...names.map((n) => (b.rssMB[n] === undefined ? '–' : (b.rssMB[n] as number).toFixed(1))),
      ]),
    )
  );
}

/** A self-contained page: the summary table, the consistency verdict, and the plots as inline SVG. */
export function renderHtml(report: BenchReport): string {
  const rows = summaryRows(report);
  const summary = table(
    SUMMARY_COLUMNS.map(([, title]) => title),
    rows.map((r) => SUMMARY_COLUMNS.map(([key]) => r[key])),
  );
  const timed = [...report.baselines, ...report.phases].filter((phase) => phase.scenario !== 'consistency');
  const sections: string[] = [];
  sections.push(`<h2>Summary</h2>\n${summary}`);
  if (report.options.prometheus !== null) {
    const window = { from: new Date(report.startedAt), to: new Date(report.finishedAt) };
    const href = prometheusGraphUrl(report.options.prometheus, window);
    sections.push(
      `<h2>Metrics</h2>\n<p><a href="${escapeXml(href)}">The stack's Prometheus over this run</a> ` +
        `(${escapeXml(report.startedAt)} to ${escapeXml(report.finishedAt)}): request rate and p99 by route, ` +
        `Flink's checkpoint duration, CPU per process. The Grafana dashboard ` +
        `(deploy/grafana/dashboards/statefun-shop.json) shows the rest.</p>`,
    );
  }
  if (report.consistency) {
    const c = report.consistency;
    const f = c.verdict.figures;
    sections.push(
      `<h2>Consistency</h2>\n<p>${c.size.users} users with credit ${c.size.creditPerUser} checked out one order each of one item ` +
        `(stock ${c.size.initialStock}, price ${c.size.price}), all at once: ${f.succeeded} succeeded, ${f.refused} were refused, ` +
        `${f.unknown} got no final answer. Setup ${c.setupSeconds} s, checkouts ${c.checkoutSeconds} s, ` +
        `verification ${c.verifySeconds} s; ${c.seconds} s in all.</p>\n` +
        table(
          ['counter', 'inconsistencies', 'what was compared'],
          c.verdict.counters.map((counter) => [counter.what, String(counter.count), counter.detail]),
        ) +
        `\n<pre>${escapeXml(formatVerdict(c.verdict).join('\n'))}</pre>`,
    );
  }
  if (report.stress) {
    const s = report.stress;
    sections.push(
      `<h2>Stress data set</h2>\n<p>batch_init of ${s.size} users, items and orders took ${s.initSeconds.users} s, ` +
        `${s.initSeconds.items} s and ${s.initSeconds.orders} s.</p>`,
    );
  }
  if (timed.length > 0) {
    sections.push(
      `<h2>Throughput over time</h2>\n<figure>${throughputSvg(
        'requests completed per second',
        timed.map((phase) => ({ label: label(phase), values: fullSeconds(phase) })),
      )}</figure>`,
    );
  }
  const all = [...report.baselines, ...report.phases];
  if (all.length > 0) {
    sections.push(
      `<h2>Latency histograms</h2>\n${all
        .map(
          (phase) =>
            `<figure>${latencyHistogramSvg(`${label(phase)}: latency`, phase.overall.histogram)}</figure>`,
        )
        .join('\n')}`,
    );
  }
  if (report.soak) sections.push(soakSection(report.soak));
  sections.push(...resourceSections(report.resources));
  for (const profile of report.profiles) {
    sections.push(
      `<h2>CPU profile ${escapeXml(profile.file)}</h2>\n<p>${profile.busyMs} ms busy of ${profile.totalMs} ms sampled.</p>\n` +
        table(
          ['area', 'self ms', '% of busy'],
          profile.areas.map((line) => [line.name, String(line.selfMs), line.percent.toFixed(1)]),
        ) +
        '\n' +
        table(
          ['function', 'self ms', '% of busy'],
          profile.functions.map((line) => [line.name, String(line.selfMs), line.percent.toFixed(1)]),
        ),
    );
  }
  if (report.failures.length > 0 || report.shopErrors.count > 0) {
    sections.push(
      `<h2>Failures</h2>\n<ul>${[...report.failures, ...report.shopErrors.first.map((e) => `shop: ${e}`)]
        .map((f) => `<li>${escapeXml(f)}</li>`)
        .join(
          '',
        )}</ul>${report.shopErrors.count > report.shopErrors.first.length ? `<p>${report.shopErrors.count} shop errors in all.</p>` : ''}`,
    );
  }
  const m = report.machine;
  const o = report.options;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>statefun-shop benchmark ${escapeXml(report.startedAt)}</title>
<style>
body { font-family: sans-serif; margin: 2em; color: #222; }
table { border-collapse: collapse; margin: 1em 0; font-size: 13px; }
th, td { border: 1px solid #ccc; padding: 3px 8px; text-align: right; }
th:nth-child(-n+3), td:nth-child(-n+3) { text-align: left; }
figure { display: inline-block; margin: 0.5em; }
.verdict { font-weight: bold; }
</style>
</head>
<body>
<h1>statefun-shop benchmark</h1>
<p class="verdict">${passed(report) ? 'passed' : 'FAILED'}</p>
<p>${escapeXml(report.startedAt)} – ${escapeXml(report.finishedAt)}. Shop at ${escapeXml(report.shop.url)} (${escapeXml(report.shop.mode)} mode, ${report.shop.startedBy === 'bench' ? 'started by the bench' : 'given by --url'}).
${o.soakMinutes ? `Soak of ${o.soakMinutes} min of the stress mix` : `Scenario ${escapeXml(o.scenario)}${o.quick ? ' (quick)' : ''}: ${o.durationS} s per timed phase after ${o.warmupS} s of warm-up`}, ${o.concurrency} requests in flight, stress data set ${o.stressSize}.
Node ${escapeXml(m.node)} on ${escapeXml(m.platform)}, ${m.cpus} × ${escapeXml(m.cpuModel)}, ${m.memoryGiB} GiB.</p>
${sections.join('\n')}
</body>
</html>
`;
}
