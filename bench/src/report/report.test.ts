import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Collector, type PhaseResult } from '../load';
import { ratiosOf, type BenchReport } from '../results';
import { verifyConsistency } from '../verifier';
import { renderHtml, reportStem, writeReports } from './report';
import { formatTable, summaryRows } from './summary';

/** A phase with fixed answers: `n` per endpoint, latencies spread over 1–50 ms. */
function phase(scenario: string, target: string, endpoints: Record<string, number[]>): PhaseResult {
  const collector = new Collector();
  for (const [endpoint, statuses] of Object.entries(endpoints)) {
    statuses.forEach((status, i) => collector.record(endpoint, { status, body: '', ms: 1 + (i % 50) }));
  }
  return collector.result(scenario, target, 8);
}

function sampleReport(): BenchReport {
  const baselines = [
    phase('baseline', 'node-http', { 'GET /stock/find': Array(200).fill(200) }),
    phase('baseline', 'express', { 'GET /stock/find': Array(100).fill(200) }),
  ];
  const phases = [
    phase('find', 'shop', { 'GET /stock/find': Array(60).fill(200) }),
    phase('stress', 'shop', {
      'POST /orders/checkout': [...Array(30).fill(200), ...Array(10).fill(409), 0],
      'GET /orders/find': Array(40).fill(200),
    }),
  ];
  const verdict = verifyConsistency(
    { initialStock: 1, price: 1, creditPerUser: 1 },
    {
      stockAfter: 0,
      users: [{ user_id: 'u', credit: 0 }],
      orders: [{ order_id: 'o', user_id: 'u', paid: true, quantity: 1 }],
    },
    [{ order_id: 'o', status: 200 }],
  );
  return {
    startedAt: '2025-01-02T03:04:05.000Z',
    finishedAt: '2025-01-02T03:05:05.000Z',
    machine: { node: 'v20.0.0', platform: 'linux', cpus: 2, cpuModel: 'test <cpu>', memoryGiB: 24 },
    options: { scenario: 'all', quick: true, durationS: 5, warmupS: 1, concurrency: 8, stressSize: 100 },
    shop: { url: 'http://127.0.0.1:1', startedBy: 'bench', mode: 'embedded' },
    baselines,
    phases,
    ratios: ratiosOf(phases, baselines),
    consistency: {
      size: { initialStock: 1, price: 1, creditPerUser: 1, users: 1 },
      seconds: 1,
      setupSeconds: 0.5,
      checkoutSeconds: 0.25,
      verifySeconds: 0.25,
      verdict,
      log: [{ order_id: 'o', status: 200 }],
    },
    stress: { size: 100, initSeconds: { users: 0.1, items: 0.1, orders: 0.2 } },
    profiles: [
      {
        file: 'shop.cpuprofile',
        totalMs: 100,
        busyMs: 80,
        areas: [{ name: 'express', selfMs: 40, percent: 50 }],
        functions: [{ name: 'handle (express router.js:1)', selfMs: 20, percent: 25 }],
      },
    ],
    shopErrors: { count: 0, first: [] },
    failures: [],
  };
}

describe('bench > report', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'bench-report-'));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('writes a JSON report that reads back as the results it was given', async () => {
    const report = sampleReport();
    const files = await writeReports(report, join(dir, 'nested'), 'run');
    expect(files.json).toBe(join(dir, 'nested', 'run.json'));
    const read = JSON.parse(await readFile(files.json, 'utf8')) as BenchReport;
    expect(read).toEqual(report);
    expect(read.phases[1]?.overall.statuses).toEqual({ '200': 70, '409': 10, network: 1 });
  });

  it('writes an HTML report with the summary, the verdict, and SVG plots of latency and throughput', async () => {
    const files = await writeReports(sampleReport(), dir, 'run');
    const html = await readFile(files.html, 'utf8');
    expect(html).toMatch(/^<!doctype html>/);
    expect(html).toContain('<table>');
    expect(html).toContain('violations: 0');
    expect(html).toContain('inconsistencies in stock: 0');
    // One throughput plot, and a latency histogram per phase: 2 baselines + find + stress.
    const svgs = html.match(/<svg [^>]*xmlns="http:\/\/www\.w3\.org\/2000\/svg"/g) ?? [];
    expect(svgs).toHaveLength(5);
    expect(html).toContain('<polyline');
    expect(html).toContain('<rect x=');
    expect(html.match(/<svg/g)).toHaveLength((html.match(/<\/svg>/g) ?? []).length);
    // Text from the results is escaped, never markup.
    expect(html).toContain('test &#60;cpu&#62;');
    expect(html).not.toContain('test <cpu>');
  });

  it('says FAILED when the consistency check found violations', () => {
    const report = sampleReport();
    const verdict = verifyConsistency(
      { initialStock: 1, price: 1, creditPerUser: 1 },
      { stockAfter: 1, users: [{ user_id: 'u', credit: 0 }], orders: [] },
      [{ order_id: 'o', status: 200 }],
    );
    const html = renderHtml({ ...report, consistency: { ...report.consistency!, verdict } });
    expect(html).toContain('<p class="verdict">FAILED</p>');
  });

  it('shows the shop as a ratio of both baselines in the summary', () => {
    const report = sampleReport();
    const [nodeHttp, express] = report.baselines;
    const find = report.phases[0]!;
    expect(report.ratios[0]).toEqual({
      scenario: 'find',
      throughput: find.overall.throughput,
      vsNodeHttp: Math.round((1000 * find.overall.throughput) / nodeHttp!.overall.throughput) / 1000,
      vsExpress: Math.round((1000 * find.overall.throughput) / express!.overall.throughput) / 1000,
    });
    const rows = summaryRows(report);
    // 2 baselines, find (one endpoint), stress (all + 2 endpoints).
    expect(rows.map((r) => `${r.scenario}/${r.target}/${r.endpoint}`)).toEqual([
      'baseline/node-http/all',
      'baseline/express/all',
      'find/shop/GET /stock/find',
      'stress/shop/all',
      'stress/shop/GET /orders/find',
      'stress/shop/POST /orders/checkout',
    ]);
    expect(rows[2]?.vsExpress).toMatch(/^\d+\.\d\d×$/);
    expect(rows[5]?.non2xx).toBe('26.8% (409: 10, network: 1)');
    const table = formatTable(rows);
    expect(table[0]).toMatch(/^scenario\s+target\s+endpoint\s+requests\s+req\/s\s+p50 ms\s+p95 ms\s+p99 ms/);
    expect(table).toHaveLength(rows.length + 2);
  });

  it('names the reports of a run after its start time', () => {
    expect(reportStem(new Date(2025, 0, 2, 3, 4, 5))).toBe('bench-20250102-030405');
  });
});
