import type { PhaseResult } from './load';
import type { ProfileSummary } from './profile';
import type { ConsistencyResult } from './scenarios/consistency';
import type { StressResult } from './scenarios/stress';
import type { SoakResult } from './soak';
import type { ResourceFigures } from './stack/monitor';

/** The shop's throughput in one phase as a multiple of each baseline's. */
export interface Ratio {
  scenario: string;
  throughput: number;
  /** Shop ÷ bare Node `http` server; undefined when that baseline did not run. */
  vsNodeHttp: number | undefined;
  /** Shop ÷ Express with the fixed body. */
  vsExpress: number | undefined;
}

/** Everything one run measured: what the JSON report holds and the HTML report shows. */
export interface BenchReport {
  startedAt: string;
  finishedAt: string;
  machine: { node: string; platform: string; cpus: number; cpuModel: string; memoryGiB: number };
  options: {
    scenario: string;
    quick: boolean;
    durationS: number;
    warmupS: number;
    concurrency: number;
    stressSize: number;
    /** `--soak`, or null. */
    soakMinutes: number | null;
    /** Flink's REST API, asked when the shop is the stack; null otherwise. */
    flinkRest: string | null;
    /** The stack's Prometheus, linked from the HTML report when the shop is the stack; null otherwise. */
    prometheus: string | null;
  };
  shop: {
    url: string;
    /** `started by the bench` for the embedded shop it ran itself, `--url` otherwise. */
    startedBy: 'bench' | 'url';
    /** What `GET /` said: `embedded` or `stack`. */
    mode: string;
  };
  baselines: PhaseResult[];
  phases: PhaseResult[];
  ratios: Ratio[];
  consistency: Omit<ConsistencyResult, 'phase'> | undefined;
  stress: Omit<StressResult, 'phase'> | undefined;
  profiles: ProfileSummary[];
  /** CPU and memory of the processes, and Flink's checkpoints, sampled every second of each phase. */
  resources: ResourceFigures[];
  /** The soak's buckets and verdict (`--soak`). */
  soak: SoakResult | undefined;
  /** Internal failures the embedded shop reported (a function that threw, a dropped egress). */
  shopErrors: { count: number; first: string[] };
  /** Scenarios that could not finish, with the reason. */
  failures: string[];
}

const ratio = (shop: number, base: PhaseResult | undefined): number | undefined =>
  base && base.overall.throughput > 0
    ? Math.round((1000 * shop) / base.overall.throughput) / 1000
    : undefined;

export function ratiosOf(phases: readonly PhaseResult[], baselines: readonly PhaseResult[]): Ratio[] {
  const nodeHttp = baselines.find((phase) => phase.target === 'node-http');
  const express = baselines.find((phase) => phase.target === 'express');
  return phases.map((phase) => ({
    scenario: phase.scenario,
    throughput: phase.overall.throughput,
    vsNodeHttp: ratio(phase.overall.throughput, nodeHttp),
    vsExpress: ratio(phase.overall.throughput, express),
  }));
}

/**
 * Did the run pass: no consistency violation, no failed scenario, no internal failure of the shop, and
 * a soak (if any) flat and without errors.
 */
export function passed(report: BenchReport): boolean {
  return (
    (report.consistency?.verdict.violations ?? 0) === 0 &&
    report.failures.length === 0 &&
    report.shopErrors.count === 0 &&
    (report.soak?.verdict.flat ?? true)
  );
}
