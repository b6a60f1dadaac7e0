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
  const baselines: PhaseResult[] = [];
  for (const baseline of BASELINES) {
    const target = await startTarget(baseline.role, { profileDir });
    const http = new HttpTarget(target.url, options.concurrency);
    try {
      progress.log(`baseline: ${baseline.name} on ${target.url}`);
      baselines.push(await findLoad(http, baseline.role, 'baseline', [FIXED_BODY.item_id], timed));
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
  let mode = 'unknown';
  const http = new HttpTarget(url, options.concurrency);
  try {
    mode = await shopMode(http, url);
    progress.log(`shop: ${mode} mode on ${url}${shopTarget ? ' (started by the bench)' : ''}`);
    const wanted = (name: string) => options.scenario === 'all' || options.scenario === name;
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
      consistency = await runConsistency(url, { concurrency: options.concurrency, progress });
      phases.push(consistency.phase);
    });
    await attempt('find', async () => {
      phases.push(await runFind(http, timed));
    });
    await attempt('stress', async () => {
      stress = await runStress(http, options.stressSize, timed);
      phases.push(stress.phase);
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
      scenario: options.scenario,
      quick: options.quick,
      durationS: options.durationS,
      warmupS: timed.warmupS,
      concurrency: options.concurrency,
      stressSize: options.stressSize,
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
