import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { PhaseResult } from '../load';
import type { BenchReport } from '../results';
import { passed } from '../results';
import { formatVerdict } from '../verifier';
import { SUMMARY_COLUMNS, summaryRows } from './summary';
import { escapeXml, latencyHistogramSvg, throughputSvg } from './svg';

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
Scenario ${escapeXml(o.scenario)}${o.quick ? ' (quick)' : ''}: ${o.durationS} s per timed phase after ${o.warmupS} s of warm-up, ${o.concurrency} requests in flight, stress data set ${o.stressSize}.
Node ${escapeXml(m.node)} on ${escapeXml(m.platform)}, ${m.cpus} × ${escapeXml(m.cpuModel)}, ${m.memoryGiB} GiB.</p>
${sections.join('\n')}
</body>
</html>
`;
}
