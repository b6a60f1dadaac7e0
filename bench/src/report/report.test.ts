import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Collector, type PhaseResult } from '../load';
import { passed, ratiosOf, type BenchReport } from '../results';
import { SoakCounter, soakResult } from '../soak';
import type { ResourceFigures } from '../stack/monitor';
import { verifyConsistency } from '../verifier';
import { renderHtml, reportStem, writeReports } from './report';
import { formatResources } from './resources';
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
    options: {
      scenario: 'all',
      quick: true,
      durationS: 5,
      warmupS: 1,
      concurrency: 8,
      stressSize: 100,
      soakMinutes: null,
      flinkRest: null,
      prometheus: null,
    },
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
    resources: [],
    soak: undefined,
    shopErrors: { count: 0, first: [] },
    failures: [],
  };
}

/** The watch of a phase against the stack: the gateway and a worker, and Flink's checkpoints. */
function stackResources(scenario: string): ResourceFigures {
  const series = (base: number) =>
    Array.from({ length: 8 }, (_, t) => ({ t, cpuPercent: t === 0 ? null : base + t, rssMB: 100 + base }));
  return {
    scenario,
    target: 'shop',
    intervalS: 1,
    measured: { fromS: 2, toS: 7 },
    processes: [
      {
        name: 'gateway',
        pid: 4533,
        descendant: false,
        samples: 6,
        cpuPercent: 3.5,
        rssMB: 58.5,
        peakRssMB: 60,
        series: series(3),
      },
      {
        name: 'gateway/worker 4551',
        pid: 4551,
        descendant: true,
        samples: 6,
        cpuPercent: 45.2,
        rssMB: 74.3,
        peakRssMB: 80.1,
        series: series(45),
      },
    ],
    note: null,
    checkpoints: {
      rest: 'http://127.0.0.1:8081',
      jobId: 'fb65',
      unavailable: null,
      failedRequests: 0,
      lastError: null,
      summary: {
        completed: 9,
        failed: 1,
        inProgress: 1,
        intervalMs: { avg: 512, max: 1075 },
        endToEndMs: { p50: 142, p99: 211, max: 211 },
        checkpointedBytes: { avg: 307200, max: 314000 },
        stateBytes: { avg: 1144448, max: 1144448 },
      },
      countsAtStart: { completed: 300, failed: 17, inProgress: 1 },
      countsAtEnd: { completed: 309, failed: 18, inProgress: 1 },
      checkpoints: [],
    },
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

  it("links the stack's Prometheus graphs over the run's time window, only when the shop was the stack", () => {
    const report = sampleReport();
    expect(renderHtml(report)).not.toContain('/graph?');
    const html = renderHtml({
      ...report,
      options: { ...report.options, prometheus: 'http://127.0.0.1:9090' },
    });
    const href = /<a href="([^"]+)">The stack's Prometheus over this run<\/a>/.exec(html)?.[1];
    expect(href).toBeDefined();
    // the & of the query string is escaped in the attribute, as HTML wants
    const url = new URL(href!.replace(/&#38;/g, '&'));
    expect(url.origin + url.pathname).toBe('http://127.0.0.1:9090/graph');
    // the run (03:04:05 to 03:05:05) with 30 s on each side
    expect(url.searchParams.get('g0.end_input')).toBe('2025-01-02 03:05:35');
    expect(url.searchParams.get('g0.range_input')).toBe('120s');
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

  it("shows each phase's processes and Flink's checkpoints as tables, and CPU and RSS over time as plots", () => {
    const report = { ...sampleReport(), resources: [stackResources('find'), stackResources('stress')] };
    const text = formatResources(report.resources);
    expect(text[0]).toMatch(/^processes/);
    expect(text[1]).toMatch(/^phase\s+process\s+pid\s+CPU % of a core\s+RSS MB avg\s+RSS MB peak\s+samples$/);
    expect(text).toContain(
      text.find((line) =>
        /^find @ shop\s+gateway\/worker 4551\s+4551\s+45\.2\s+74\.3\s+80\.1\s+6$/.test(line),
      ),
    );
    expect(
      text.some((line) =>
        /^stress @ shop\s+9\s+1\s+512\s+1075\s+142\s+211\s+211\s+300\s+307\s+1118$/.test(line),
      ),
    ).toBe(true);
    const html = renderHtml(report);
    expect(html).toContain('<h2>Processes</h2>');
    expect(html).toContain('<h2>Flink checkpoints</h2>');
    expect(html).toContain('gateway/worker 4551');
    // 5 as before, and a CPU and an RSS plot for each of the two phases.
    expect(html.match(/<svg [^>]*xmlns="http:\/\/www\.w3\.org\/2000\/svg"/g)).toHaveLength(9);
    expect(html).toContain('find @ shop: CPU');
    expect(html).toContain('stress @ shop: RSS');
    expect(html.match(/<svg/g)).toHaveLength((html.match(/<\/svg>/g) ?? []).length);
  });

  it('says when Flink gave no figures', () => {
    const figures = stackResources('find');
    const silent = {
      ...figures,
      checkpoints: {
        ...figures.checkpoints!,
        summary: null,
        unavailable:
          "Flink's REST API at http://127.0.0.1:8081 gave no checkpoint figures: fetch failed (ECONNREFUSED)",
      },
    };
    const text = formatResources([silent]);
    expect(text.some((line) => line.startsWith("Flink's checkpoints"))).toBe(false);
    expect(text.at(-1)).toBe(
      "note: find @ shop: Flink's REST API at http://127.0.0.1:8081 gave no checkpoint figures: fetch failed (ECONNREFUSED)",
    );
  });

  it('shows the soak: its verdict, its buckets, throughput and RSS plots; a soak not flat fails the run', () => {
    const counter = new SoakCounter();
    counter.answers.push(...Array(25).fill(100), ...Array(5).fill(50));
    counter.errors.push(...Array(30).fill(0));
    const resources: ResourceFigures = {
      ...stackResources('soak'),
      measured: { fromS: 0, toS: 30 },
      processes: [
        {
          name: 'shop',
          pid: 1,
          descendant: false,
          samples: 31,
          cpuPercent: 90,
          rssMB: 200,
          peakRssMB: 200,
          series: Array.from({ length: 31 }, (_, t) => ({ t, cpuPercent: 90, rssMB: 200 })),
        },
      ],
      checkpoints: null,
    };
    const soak = soakResult(0.5, counter, resources);
    const report: BenchReport = { ...sampleReport(), resources: [resources], soak };
    expect(soak.verdict.notFlat).toEqual(['throughput (−42.9 % from its mean of 87.5 req/s)']);
    expect(passed(report)).toBe(false);
    const html = renderHtml(report);
    expect(html).toContain('<h2>Soak</h2>');
    expect(html).toContain('soak: NOT FLAT: throughput');
    expect(html).toContain('soak: throughput per 5 s bucket');
    expect(html).toContain('soak: RSS per 5 s bucket');
    expect(html).toContain('<p class="verdict">FAILED</p>');
    const steady = new SoakCounter();
    steady.answers.push(...Array(30).fill(100));
    steady.errors.push(...Array(30).fill(0));
    const flat = { ...report, soak: soakResult(0.5, steady, resources) };
    expect(passed(flat)).toBe(true);
  });

  it('names the reports of a run after its start time', () => {
    expect(reportStem(new Date(2025, 0, 2, 3, 4, 5))).toBe('bench-20250102-030405');
  });
});
