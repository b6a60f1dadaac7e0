import { performance } from 'node:perf_hooks';
import type { Answer } from './http-target';
import { round, type RequestSpec } from './load';
import type { ResourceFigures } from './stack/monitor';

/** How a soak is judged: buckets of 10 s at most, at least 6 of them, the first 20 % left out, ±10 %. */
export const SOAK_RULES = { maxBucketS: 10, minBuckets: 6, warmupShare: 0.2, tolerance: 0.1 };

/** Bucket length for a soak of `seconds`: 10 s, or less for a short soak so that it has at least 6 buckets. */
export function soakBucketSeconds(seconds: number): number {
  return Math.max(1, Math.min(SOAK_RULES.maxBucketS, Math.floor(seconds / SOAK_RULES.minBuckets)));
}

/**
 * Whether an answer counts as an error in a soak: no answer at all, or any status but a 2xx — except
 * the mix's expected 409, a checkout of an order already paid.
 */
export function isSoakError(endpoint: string, status: number): boolean {
  if (status === 0) return true;
  if (status >= 200 && status < 300) return false;
  return !(status === 409 && endpoint === 'POST /orders/checkout');
}

/** Answers and errors in each second of a soak's measured part, as they come. */
export class SoakCounter {
  readonly answers: number[] = [];
  readonly errors: number[] = [];
  /** The errors by endpoint and status (`network` for no answer). */
  readonly errorKinds: Record<string, number> = {};
  private startedAt: number | undefined;

  readonly measure = (event: 'start' | 'end'): void => {
    if (event === 'start') this.startedAt ??= performance.now();
  };

  readonly answer = (spec: RequestSpec, answer: Answer): void => {
    const second = Math.floor((performance.now() - (this.startedAt ?? performance.now())) / 1000);
    while (this.answers.length <= second) {
      this.answers.push(0);
      this.errors.push(0);
    }
    this.answers[second] = (this.answers[second] ?? 0) + 1;
    if (isSoakError(spec.endpoint, answer.status)) {
      this.errors[second] = (this.errors[second] ?? 0) + 1;
      const kind = `${spec.endpoint} ${answer.status === 0 ? 'network' : answer.status}`;
      this.errorKinds[kind] = (this.errorKinds[kind] ?? 0) + 1;
    }
  };
}

/** One bucket of a soak: throughput, errors and each process's mean RSS. */
export interface SoakBucket {
  /** Seconds since the soak's measured part began. */
  fromS: number;
  toS: number;
  requests: number;
  throughput: number;
  errors: number;
  /** Mean RSS of each process sampled in the bucket, by name. */
  rssMB: Record<string, number>;
}

/** A process's RSS samples, in seconds since the soak's measured part began. */
export interface SoakProcess {
  name: string;
  /** A descendant of a watched process (a worker, a fork): it may come and go. */
  descendant: boolean;
  points: readonly { t: number; rssMB: number }[];
}

/** The soak's samples, cut into whole buckets; a last partial bucket is left out. */
export function soakBuckets(input: {
  seconds: number;
  bucketS: number;
  /** Answers and errors in each second. */
  answers: readonly number[];
  errors: readonly number[];
  processes: readonly SoakProcess[];
}): SoakBucket[] {
  const { bucketS } = input;
  const count = Math.floor(input.seconds / bucketS + 1e-9);
  const sum = (values: readonly number[], from: number, to: number) =>
    values.slice(from, to).reduce((total, v) => total + v, 0);
  const buckets: SoakBucket[] = [];
  for (let k = 0; k < count; k++) {
    const fromS = k * bucketS;
    const toS = fromS + bucketS;
    const rss = new Map<string, number[]>();
    for (const process of input.processes) {
      for (const point of process.points) {
        if (point.t < fromS || point.t >= toS) continue;
        const list = rss.get(process.name);
        if (list) list.push(point.rssMB);
        else rss.set(process.name, [point.rssMB]);
      }
    }
    const requests = sum(input.answers, fromS, toS);
    buckets.push({
      fromS,
      toS,
      requests,
      throughput: round(requests / bucketS, 1),
      errors: sum(input.errors, fromS, toS),
      rssMB: Object.fromEntries(
        [...rss].map(([name, values]) => [name, round(values.reduce((t, v) => t + v, 0) / values.length, 1)]),
      ),
    });
  }
  return buckets;
}

/** One figure over the judged buckets: flat when every bucket is within the tolerance of their mean. */
export interface FlatnessCheck {
  /** `throughput` or `RSS of <process>`. */
  what: string;
  unit: string;
  mean: number;
  min: number;
  max: number;
  /** (min − mean) / mean and (max − mean) / mean, in %. */
  lowPercent: number;
  highPercent: number;
  flat: boolean;
}

export interface SoakVerdict {
  /** Flat and without errors: the soak passed. */
  flat: boolean;
  buckets: number;
  /** The first buckets, over the first 20 % of the soak, that are not judged. */
  warmupBuckets: number;
  /** Errors over the whole soak, warm-up included. */
  errors: number;
  checks: FlatnessCheck[];
  /** Descendant processes sampled in only some of the judged buckets: shown, not judged. */
  cameAndWent: string[];
  /** What was not flat, in words; empty when the soak passed. */
  notFlat: string[];
}

const percentOf = (value: number, mean: number) => (mean > 0 ? round((100 * (value - mean)) / mean, 1) : 0);

function check(what: string, unit: string, values: readonly number[], tolerance: number): FlatnessCheck {
  const mean = values.reduce((t, v) => t + v, 0) / values.length;
  const min = Math.min(...values);
  const max = Math.max(...values);
  return {
    what,
    unit,
    mean: round(mean, 1),
    min,
    max,
    lowPercent: percentOf(min, mean),
    highPercent: percentOf(max, mean),
    flat: mean > 0 && values.every((v) => Math.abs(v - mean) <= tolerance * mean),
  };
}

const signed = (percent: number) => `${percent >= 0 ? '+' : '−'}${Math.abs(percent).toFixed(1)} %`;

/**
 * The soak's verdict: after the warm-up (the buckets over its first 20 %, at least one), throughput and
 * each process's RSS stay within ±10 % of their mean over the remaining buckets, and no request failed.
 * A watched process missing from a judged bucket (it stopped, or was replaced) is not flat either;
 * its descendants may come and go (a fork for a snapshot, say) and are only named.
 */
export function soakVerdict(
  buckets: readonly SoakBucket[],
  errors: number,
  processes: readonly Pick<SoakProcess, 'name' | 'descendant'>[],
  rules: { warmupShare: number; tolerance: number } = SOAK_RULES,
): SoakVerdict {
  const warmupBuckets = Math.max(1, Math.ceil(rules.warmupShare * buckets.length));
  const judged = buckets.slice(warmupBuckets);
  const notFlat: string[] = [];
  const checks: FlatnessCheck[] = [];
  const cameAndWent: string[] = [];
  if (judged.length < 2) {
    notFlat.push(`${buckets.length} bucket(s): too few to judge after a warm-up of ${warmupBuckets}`);
  } else {
    const throughput = check(
      'throughput',
      'req/s',
      judged.map((b) => b.throughput),
      rules.tolerance,
    );
    checks.push(throughput);
    const descendant = new Map(processes.map((p) => [p.name, p.descendant]));
    const names = [...new Set(buckets.flatMap((b) => Object.keys(b.rssMB)))].sort((a, b) =>
      a.localeCompare(b),
    );
    for (const name of names) {
      const values = judged.flatMap((b) => (b.rssMB[name] === undefined ? [] : [b.rssMB[name] as number]));
      if (values.length < judged.length) {
        if (descendant.get(name) === true) {
          cameAndWent.push(name);
          continue;
        }
        notFlat.push(
          `${name} was not running in ${judged.length - values.length} of ${judged.length} judged buckets`,
        );
        if (values.length === 0) continue;
      }
      checks.push(check(`RSS of ${name}`, 'MB', values, rules.tolerance));
    }
  }
  for (const c of checks) {
    if (c.flat) continue;
    const worst = Math.abs(c.lowPercent) > Math.abs(c.highPercent) ? c.lowPercent : c.highPercent;
    notFlat.push(
      c.mean > 0 ? `${c.what} (${signed(worst)} from its mean of ${c.mean} ${c.unit})` : `${c.what} (none)`,
    );
  }
  if (errors > 0) notFlat.push(`${errors} error(s)`);
  return {
    flat: notFlat.length === 0,
    buckets: buckets.length,
    warmupBuckets,
    errors,
    checks,
    cameAndWent,
    notFlat,
  };
}

/** The RSS samples of a phase's watched processes, in seconds since its measured part began. */
export function soakProcesses(resources: ResourceFigures | undefined): SoakProcess[] {
  if (!resources) return [];
  return resources.processes.map((p) => ({
    name: p.name,
    descendant: p.descendant,
    points: p.series.map((point) => ({ t: point.t - resources.measured.fromS, rssMB: point.rssMB })),
  }));
}

/** Everything a soak gives the report. */
export interface SoakResult {
  minutes: number;
  bucketS: number;
  buckets: SoakBucket[];
  errorKinds: Record<string, number>;
  verdict: SoakVerdict;
}

/** The soak's result from its counter and the watch of its phase. */
export function soakResult(
  minutes: number,
  counter: SoakCounter,
  resources: ResourceFigures | undefined,
): SoakResult {
  const seconds = minutes * 60;
  const bucketS = soakBucketSeconds(seconds);
  const processes = soakProcesses(resources);
  const buckets = soakBuckets({
    seconds,
    bucketS,
    answers: counter.answers,
    errors: counter.errors,
    processes,
  });
  const errors = counter.errors.reduce((t, v) => t + v, 0);
  return {
    minutes,
    bucketS,
    buckets,
    errorKinds: { ...counter.errorKinds },
    verdict: soakVerdict(buckets, errors, processes),
  };
}

/** The verdict in lines, for the terminal and the HTML report. */
export function formatSoak(soak: SoakResult): string[] {
  const v = soak.verdict;
  const lines = [
    `soak: ${soak.minutes} min in ${v.buckets} buckets of ${soak.bucketS} s; the first ${v.warmupBuckets} are the warm-up, ` +
      `the other ${Math.max(0, v.buckets - v.warmupBuckets)} are judged (±${SOAK_RULES.tolerance * 100} % of their mean)`,
  ];
  const width = Math.max(10, ...v.checks.map((c) => c.what.length));
  for (const c of v.checks) {
    lines.push(
      `  ${c.what.padEnd(width)}  mean ${String(c.mean).padStart(8)} ${c.unit.padEnd(5)} ` +
        `${signed(c.lowPercent).padStart(8)} … ${signed(c.highPercent).padEnd(8)}  ${c.flat ? 'flat' : 'NOT FLAT'}`,
    );
  }
  lines.push(
    `  ${'errors'.padEnd(width)}  ${v.errors}${
      v.errors > 0
        ? ` (${Object.entries(soak.errorKinds)
            .map(([k, n]) => `${k}: ${n}`)
            .join(', ')})`
        : ''
    }`,
  );
  if (v.cameAndWent.length > 0) lines.push(`  came and went, not judged: ${v.cameAndWent.join(', ')}`);
  lines.push(v.flat ? 'soak: flat, no errors' : `soak: NOT FLAT: ${v.notFlat.join('; ')}`);
  return lines;
}
