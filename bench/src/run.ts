import { mkdir, readdir } from 'node:fs/promises';
import os from 'node:os';
import { join } from 'node:path';
import type { BenchOptions } from './args';
import { HttpTarget } from './http-target';
import type { PhaseResult } from './load';
import { formatProfile, summariseProfileFile, type ProfileSummary } from './profile';
import type { Progress } from './progress';
import { reportStem } from './report/report';
import { ratiosOf, type BenchReport } from './results';
import { runConsistency, type ConsistencyResult } from './scenarios/consistency';
import { FIXED_BODY } from './targets/baseline-servers';
import { findLoad, runFind, type TimedOptions } from './scenarios/find';
import { runStress, type StressResult } from './scenarios/stress';
import { SoakCounter, soakResult, type SoakResult } from './soak';
import { FlinkRest } from './stack/flink';
import { Watch, type ResourceFigures } from './stack/monitor';
import { procFacts, procfs, readPidFiles, stackDir, type ProcessRoot } from './stack/proc';
import type { TargetRole } from './targets/protocol';
import { startTarget, type StartedTarget } from './targets/start-target';
import { formatVerdict } from './verifier';

const BASELINES: readonly { role: TargetRole; name: string }[] = [
  { role: 'node-http', name: 'bare Node http server' },
  { role: 'express', name: 'Express with a fixed body' },
];

/** Runs the baselines, then the chosen scenarios against the shop, and gathers everything measured. */
export async function runBench(
  options: BenchOptions,
  progress: Progress,
  out: (line: string) => void,
): Promise<{ report: BenchReport; stem: string }> {
  const startedAt = new Date();
  const stem = reportStem(startedAt);
  const profileDir = options.profile ? join(options.outDir, `${stem}-profiles`) : undefined;
  if (profileDir) await mkdir(profileDir, { recursive: true });
  const timed: TimedOptions = {
    concurrency: options.concurrency,
    warmupS: options.quick ? 1 : 3,
    durationS: options.durationS,
    progress,
  };
  const failures: string[] = [];
  const resources: ResourceFigures[] = [];
  const facts = procFacts();
  const proc = procfs();
  const loadGenerator: ProcessRoot = { name: 'load generator', pid: process.pid, withDescendants: false };
  /** Runs one phase under a watch of its processes (and Flink's checkpoints), keeping the figures if it ends well. */
  const watched = async <T>(
    scenario: string,
    target: string,
    what: WatchTargets,
    run: (measure: (event: 'start' | 'end') => void) => Promise<T>,
  ): Promise<{ result: T; figures: ResourceFigures }> => {
    const watch = Watch.start({ scenario, target, proc, facts, ...what });
    let figures: ResourceFigures | undefined;
    try {
      const result = await run(watch.measure);
      figures = await watch.stop();
      resources.push(figures);
      return { result, figures };
    } finally {
      if (!figures) await watch.stop();
    }
  };

  // A shop given by --url is checked before anything else runs: a wrong URL fails at once.
  if (options.url) {
    const probe = new HttpTarget(options.url, 1);
    try {
      await shopMode(probe, options.url);
    } finally {
      await probe.close();
    }
  }

  // The baselines first, each in a process of its own, with the very load `find` puts on the shop.
  // A soak has none: it compares the shop with itself over time.
  const baselines: PhaseResult[] = [];
  const baselinesToRun = options.soakMinutes === undefined && !options.noBaselines ? BASELINES : [];
  for (const baseline of baselinesToRun) {
    const target = await startTarget(baseline.role, { profileDir });
    const http = new HttpTarget(target.url, options.concurrency);
    try {
      progress.log(`baseline: ${baseline.name} on ${target.url}`);
      const roots = [loadGenerator, { name: baseline.role, pid: target.pid, withDescendants: false }];
      const { result } = await watched('baseline', baseline.role, { roots: async () => roots }, (onMeasure) =>
        findLoad(http, baseline.role, 'baseline', [FIXED_BODY.item_id], { ...timed, onMeasure }),
      );
      baselines.push(result);
    } finally {
      await http.close();
      await target.stop();
    }
  }

  let shopTarget: StartedTarget | undefined;
  const url = options.url ?? (shopTarget = await startTarget('shop', { profileDir })).url;
  const phases: PhaseResult[] = [];
  let consistency: ConsistencyResult | undefined;
  let stress: StressResult | undefined;
  let soak: SoakResult | undefined;
  let mode = 'unknown';
  let flinkRest: string | null = null;
  const http = new HttpTarget(url, options.concurrency);
  try {
    mode = await shopMode(http, url);
    progress.log(`shop: ${mode} mode on ${url}${shopTarget ? ' (started by the bench)' : ''}`);
    const shop = await shopTargets(shopTarget, mode, url, loadGenerator, options.flinkRest);
    flinkRest = shop.flink?.base ?? null;
    if (shop.note) progress.log(`shop: ${shop.note}`);
    const wanted = (name: string) =>
      options.soakMinutes === undefined
        ? name !== 'soak' && (options.scenario === 'all' || options.scenario === name)
        : name === 'soak';
    const attempt = async (name: string, run: () => Promise<void>) => {
      if (!wanted(name)) return;
      try {
        await run();
      } catch (error) {
        progress.stop();
        const message = `${name}: ${error instanceof Error ? error.message : String(error)}`;
        failures.push(message);
        out(`scenario failed: ${message}`);
      }
    };
    await attempt('consistency', async () => {
      const { result } = await watched('consistency', 'shop', shop, () =>
        runConsistency(url, { concurrency: options.concurrency, progress }),
      );
      consistency = result;
      phases.push(result.phase);
    });
    await attempt('find', async () => {
      const { result } = await watched('find', 'shop', shop, (onMeasure) =>
        runFind(http, { ...timed, onMeasure }),
      );
      phases.push(result);
    });
    await attempt('stress', async () => {
      const { result } = await watched('stress', 'shop', shop, (onMeasure) =>
        runStress(http, options.stressSize, { ...timed, onMeasure }),
      );
      stress = result;
      phases.push(result.phase);
    });
    await attempt('soak', async () => {
      const minutes = options.soakMinutes ?? 0;
      const counter = new SoakCounter();
      // No warm-up of its own: the verdict leaves out the soak's first 20 %.
      const soakTimed = { ...timed, warmupS: 0, durationS: minutes * 60, onAnswer: counter.answer };
      const { result, figures } = await watched('soak', 'shop', shop, (measure) =>
        runStress(
          http,
          options.stressSize,
          {
            ...soakTimed,
            onMeasure: (event) => {
              counter.measure(event);
              measure(event);
            },
          },
          'soak',
        ),
      );
      stress = result;
      phases.push(result.phase);
      soak = soakResult(minutes, counter, figures);
    });
  } finally {
    await http.close();
    await shopTarget?.stop();
  }

  const profiles: ProfileSummary[] = [];
  if (profileDir) {
    for (const file of (await readdir(profileDir)).filter((f) => f.endsWith('.cpuprofile')).sort()) {
      const summary = await summariseProfileFile(join(profileDir, file));
      profiles.push(summary);
      for (const line of formatProfile(summary)) out(line);
    }
  }

  const cpus = os.cpus();
  const report: BenchReport = {
    startedAt: startedAt.toISOString(),
    finishedAt: new Date().toISOString(),
    machine: {
      node: process.version,
      platform: `${os.platform()} ${os.release()} ${os.arch()}`,
      cpus: cpus.length,
      cpuModel: cpus[0]?.model.trim() ?? 'unknown',
      memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    },
    options: {
      scenario: options.soakMinutes === undefined ? options.scenario : 'soak',
      quick: options.quick,
      durationS: options.soakMinutes === undefined ? options.durationS : options.soakMinutes * 60,
      warmupS: options.soakMinutes === undefined ? timed.warmupS : 0,
      concurrency: options.concurrency,
      stressSize: options.stressSize,
      soakMinutes: options.soakMinutes ?? null,
      flinkRest,
      prometheus: mode === 'stack' ? options.prometheus : null,
    },
    shop: { url, startedBy: shopTarget ? 'bench' : 'url', mode },
    baselines,
    phases,
    ratios: ratiosOf(phases, baselines),
    consistency: consistency && {
      size: consistency.size,
      seconds: consistency.seconds,
      setupSeconds: consistency.setupSeconds,
      checkoutSeconds: consistency.checkoutSeconds,
      verifySeconds: consistency.verifySeconds,
      verdict: consistency.verdict,
      log: consistency.log,
    },
    stress: stress && { size: stress.size, initSeconds: stress.initSeconds },
    profiles,
    resources,
    soak,
    shopErrors: { count: shopTarget?.errorCount() ?? 0, first: shopTarget?.errors ?? [] },
    failures,
  };
  if (report.consistency) {
    const c = report.consistency;
    const f = c.verdict.figures;
    out(
      `consistency: ${f.checkouts} concurrent checkouts of 1 item (stock ${c.size.initialStock}, price ${c.size.price}) ` +
        `by ${c.size.users} users with credit ${c.size.creditPerUser}: ${f.succeeded} succeeded, ${f.refused} refused, ` +
        `${f.unknown} unknown; ${c.seconds} s (setup ${c.setupSeconds} s, checkouts ${c.checkoutSeconds} s, verify ${c.verifySeconds} s)`,
    );
    for (const line of formatVerdict(c.verdict)) out(line);
  }
  return { report, stem };
}

/** What a watch of the shop's phases samples: which processes, and Flink's REST API for the stack. */
interface WatchTargets {
  roots: () => Promise<ProcessRoot[]>;
  flink?: FlinkRest;
  note?: string;
}

/**
 * The processes of the shop: the embedded shop's child process; the stack's, from the pid files in
 * `<STACK_DIR>/run` (read again at every sample) with their descendants, and Flink's REST API; for
 * any other shop at --url, the load generator only.
 */
async function shopTargets(
  started: StartedTarget | undefined,
  mode: string,
  url: string,
  loadGenerator: ProcessRoot,
  flinkRest: string,
): Promise<WatchTargets> {
  if (started) {
    const roots = [loadGenerator, { name: 'shop', pid: started.pid, withDescendants: false }];
    return { roots: async () => roots };
  }
  const runDir = join(stackDir(), 'run');
  if (mode !== 'stack') {
    return {
      roots: async () => [loadGenerator],
      note: `the shop at ${url} is in ${mode} mode, not the stack: its processes are not known, only the load generator is sampled`,
    };
  }
  const pidFiles = await readPidFiles(runDir);
  return {
    roots: async () => [loadGenerator, ...(await readPidFiles(runDir))],
    flink: new FlinkRest(flinkRest),
    ...(pidFiles.length === 0
      ? {
          note: `no pid files in ${runDir} (set STACK_DIR to the stack's folder): only the load generator is sampled`,
        }
      : {}),
  };
}

/** What `GET /` says the shop is, and a clear error when nothing shop-like answers at `url`. */
async function shopMode(http: HttpTarget, url: string): Promise<string> {
  const answer = await http.send('GET', '/');
  if (answer.status !== 200) {
    throw new Error(
      `no shop answers at ${url} (GET / gave ${answer.status === 0 ? answer.body : answer.status})`,
    );
  }
  const body = JSON.parse(answer.body) as { name?: unknown; mode?: unknown };
  if (body.name !== 'statefun-shop')
    throw new Error(`${url} is not statefun-shop (GET / said ${answer.body})`);
  return typeof body.mode === 'string' ? body.mode : 'unknown';
}
