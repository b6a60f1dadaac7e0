import { performance } from 'node:perf_hooks';
import { round } from '../load';
import {
  mergeHistory,
  summariseCheckpoints,
  type CheckpointCounts,
  type CheckpointEntry,
  type CheckpointSummary,
  type FlinkRest,
} from './flink';
import {
  processesToSample,
  readStat,
  scanProcesses,
  type ProcessRoot,
  type ProcFacts,
  type ProcSource,
  type ProcStat,
} from './proc';

/**
 * One sample of one process: RSS, and CPU (% of one core) since the latest sample at least half a
 * second older — null when there is none — so that the extra samples taken where a phase's measured part
 * begins and ends do not show as spikes of a few ticks.
 */
export interface SeriesPoint {
  /** Seconds since the watch began. */
  t: number;
  cpuPercent: number | null;
  rssMB: number;
}

/** One process over one phase: averages over the measured part, and the whole series. */
export interface ProcessFigures {
  name: string;
  pid: number;
  /** A descendant of a watched process (`gateway/worker 4551`), not a process watched by name. */
  descendant: boolean;
  /** Samples taken in the measured part. */
  samples: number;
  /** Average CPU over the measured part, as % of one core (200 = two cores busy); null under 2 samples. */
  cpuPercent: number | null;
  rssMB: number | null;
  peakRssMB: number | null;
  series: SeriesPoint[];
}

/** Flink's checkpoints over one phase. */
export interface CheckpointFigures {
  /** The REST API asked. */
  rest: string;
  jobId: string | null;
  /** Why there are no figures (nothing answered, no running job), or null. */
  unavailable: string | null;
  /** Requests that failed although others did not, and the last reason. */
  failedRequests: number;
  lastError: string | null;
  /** The checkpoints triggered in the measured part. */
  summary: CheckpointSummary | null;
  /** Flink's own counters from the first answers asked for after the measured part began and ended. */
  countsAtStart: CheckpointCounts | null;
  countsAtEnd: CheckpointCounts | null;
  checkpoints: CheckpointEntry[];
}

/** What the watch of one phase gives: its processes, and Flink's checkpoints against the stack. */
export interface ResourceFigures {
  scenario: string;
  target: string;
  intervalS: number;
  /** The measured part (warm-up and setup excluded), in seconds since the watch began. */
  measured: { fromS: number; toS: number };
  processes: ProcessFigures[];
  /** Why some processes are not there, or null. */
  note: string | null;
  /** Null when no Flink was asked (the embedded shop). */
  checkpoints: CheckpointFigures | null;
}

/** One process's raw samples: CPU ticks and RSS pages at times since the watch began. */
export interface RawSeries {
  name: string;
  pid: number;
  descendant: boolean;
  points: { tMs: number; cpuTicks: number; rssPages: number }[];
}

const MB = 1024 * 1024;
/** The shortest time a point of the CPU series is measured over: a clock tick is 10 ms. */
const MIN_CPU_SPAN_MS = 500;

/** Per-second CPU and RSS of each process, and its averages over the window `fromMs … toMs` (inclusive). */
export function processFigures(
  raw: readonly RawSeries[],
  window: { fromMs: number; toMs: number },
  facts: ProcFacts,
): ProcessFigures[] {
  const rssMB = (pages: number) => round((pages * facts.pageSize) / MB, 1);
  const cpu = (ticks: number, ms: number) =>
    ms > 0 ? round((100 * ticks) / facts.clockTicks / (ms / 1000), 1) : 0;
  return raw.map((series) => {
    const points = series.points;
    const inWindow = points.filter((p) => p.tMs >= window.fromMs && p.tMs <= window.toMs);
    const first = inWindow[0];
    const last = inWindow[inWindow.length - 1];
    const rss = inWindow.map((p) => p.rssPages);
    // The latest point at least MIN_CPU_SPAN_MS before the current one, found by walking forward.
    let back = 0;
    return {
      name: series.name,
      pid: series.pid,
      descendant: series.descendant,
      samples: inWindow.length,
      cpuPercent:
        first && last && inWindow.length >= 2
          ? cpu(last.cpuTicks - first.cpuTicks, last.tMs - first.tMs)
          : null,
      rssMB: rss.length > 0 ? rssMB(rss.reduce((sum, p) => sum + p, 0) / rss.length) : null,
      peakRssMB: rss.length > 0 ? rssMB(Math.max(...rss)) : null,
      series: points.map((p) => {
        while (points[back + 1] && p.tMs - (points[back + 1]?.tMs ?? 0) >= MIN_CPU_SPAN_MS) back++;
        const before =
          points[back] && p.tMs - (points[back]?.tMs ?? 0) >= MIN_CPU_SPAN_MS ? points[back] : undefined;
        return {
          t: round(p.tMs / 1000, 2),
          cpuPercent: before ? cpu(p.cpuTicks - before.cpuTicks, p.tMs - before.tMs) : null,
          rssMB: rssMB(p.rssPages),
        };
      }),
    };
  });
}

export interface WatchOptions {
  scenario: string;
  target: string;
  /** The processes to watch, asked again at every sample (pid files change when the stack restarts). */
  roots: () => Promise<ProcessRoot[]>;
  proc: ProcSource;
  facts: ProcFacts;
  /** Flink's REST API, against the stack; undefined for the embedded shop. */
  flink?: FlinkRest;
  note?: string;
  intervalMs?: number;
}

const reason = (error: unknown): string => {
  if (!(error instanceof Error)) return String(error);
  const cause = (error as Error & { cause?: unknown }).cause;
  const code =
    cause instanceof Error ? ((cause as Error & { code?: unknown }).code ?? cause.message) : undefined;
  return code === undefined ? error.message : `${error.message} (${String(code)})`;
};

/**
 * Samples the processes of one phase every second, from `/proc`, and Flink's checkpoints from its
 * REST API, until stopped. Reads only. The phase tells it where its measured part begins and ends
 * (`measure`); without that the whole watch counts.
 */
export class Watch {
  private readonly startedAt = performance.now();
  private readonly wallStartedAt = Date.now();
  private readonly intervalMs: number;
  private readonly series = new Map<string, RawSeries>();
  private readonly timer: NodeJS.Timeout;
  private procQueue: Promise<void> = Promise.resolve();
  private procBusy = 0;
  private flinkQueue: Promise<void> = Promise.resolve();
  private flinkBusy = 0;
  private stopped = false;
  /** performance.now() and Date.now() when the phase said its measured part began and ended. */
  private measureFrom: { at: number; wall: number } | undefined;
  private measureTo: { at: number; wall: number } | undefined;
  /** The times of the first samples taken at or after those moments: the window the averages cover. */
  private windowFromMs: number | undefined;
  private windowToMs: number | undefined;
  private firstSampleMs: number | undefined;
  private lastSampleMs: number | undefined;
  // Flink
  private jobId: string | undefined;
  private readonly checkpoints = new Map<number, CheckpointEntry>();
  private flinkAnswered = false;
  private flinkFailures = 0;
  private flinkLastError: string | undefined;
  private countsAtStart: CheckpointCounts | undefined;
  private countsAtEnd: CheckpointCounts | undefined;
  private firstCounts: CheckpointCounts | undefined;
  private latestCounts: CheckpointCounts | undefined;
  private lastJobId: string | undefined;

  private constructor(private readonly options: WatchOptions) {
    this.intervalMs = options.intervalMs ?? 1000;
    this.timer = setInterval(() => this.tick(false), this.intervalMs);
    this.timer.unref();
    this.tick(true);
  }

  static start(options: WatchOptions): Watch {
    return new Watch(options);
  }

  /** For the phase: its measured part begins (after setup and warm-up) or ends. */
  readonly measure = (event: 'start' | 'end'): void => {
    const mark = { at: performance.now(), wall: Date.now() };
    if (event === 'start') this.measureFrom ??= mark;
    else this.measureTo ??= mark;
    this.tick(true);
    // The next samples a whole interval after this one.
    this.timer.refresh();
  };

  private tick(force: boolean): void {
    if (this.stopped) return;
    if (force || this.procBusy === 0) {
      this.procBusy++;
      this.procQueue = this.procQueue
        .then(() => this.sampleProcesses())
        .catch(() => undefined)
        .finally(() => this.procBusy--);
    }
    if (this.options.flink && (force || this.flinkBusy === 0)) {
      this.flinkBusy++;
      this.flinkQueue = this.flinkQueue
        .then(() => this.sampleFlink())
        .catch(() => undefined)
        .finally(() => this.flinkBusy--);
    }
  }

  private async sampleProcesses(): Promise<void> {
    const roots = await this.options.roots();
    const { proc } = this.options;
    const listing: ProcStat[] = roots.some((root) => root.withDescendants)
      ? await scanProcesses(proc)
      : (await Promise.all(roots.map((root) => readStat(proc, root.pid)))).filter(
          (stat): stat is ProcStat => stat !== undefined,
        );
    const tMs = performance.now() - this.startedAt;
    for (const { name, descendant, stat } of processesToSample(roots, listing)) {
      const key = `${stat.pid}:${stat.startTicks}`;
      let series = this.series.get(key);
      if (!series) {
        series = { name, pid: stat.pid, descendant, points: [] };
        this.series.set(key, series);
      }
      series.points.push({ tMs, cpuTicks: stat.cpuTicks, rssPages: stat.rssPages });
    }
    this.firstSampleMs ??= tMs;
    this.lastSampleMs = tMs;
    if (this.measureFrom && this.windowFromMs === undefined) this.windowFromMs = tMs;
    if (this.measureTo && this.windowToMs === undefined) this.windowToMs = tMs;
  }

  private async sampleFlink(): Promise<void> {
    const flink = this.options.flink;
    if (!flink) return;
    const askedAt = performance.now();
    try {
      this.jobId ??= await flink.runningJob();
      if (this.jobId === undefined) throw new Error('no RUNNING job in GET /jobs/overview');
      const { counts, history } = await flink.checkpoints(this.jobId);
      this.flinkAnswered = true;
      this.lastJobId = this.jobId;
      mergeHistory(this.checkpoints, history);
      this.firstCounts ??= counts;
      this.latestCounts = counts;
      // Counters asked for after the moment, not answers that were on their way already.
      if (this.measureFrom && askedAt >= this.measureFrom.at) this.countsAtStart ??= counts;
      if (this.measureTo && askedAt >= this.measureTo.at) this.countsAtEnd ??= counts;
    } catch (error) {
      // The job may have been restarted under a new id: look it up again next time.
      this.jobId = undefined;
      this.flinkFailures++;
      this.flinkLastError = reason(error);
    }
  }

  /** Takes a last sample, stops, and gives the figures. */
  async stop(): Promise<ResourceFigures> {
    this.tick(true);
    this.stopped = true;
    clearInterval(this.timer);
    await Promise.all([this.procQueue, this.flinkQueue]);
    const fromMs = this.windowFromMs ?? this.firstSampleMs ?? 0;
    const toMs = this.windowToMs ?? this.lastSampleMs ?? 0;
    const processes = processFigures([...this.series.values()], { fromMs, toMs }, this.options.facts);
    let note = this.options.note ?? null;
    if (processes.length === 0) note ??= 'no process could be read from /proc';
    return {
      scenario: this.options.scenario,
      target: this.options.target,
      intervalS: this.intervalMs / 1000,
      measured: { fromS: round(fromMs / 1000, 2), toS: round(toMs / 1000, 2) },
      processes,
      note,
      checkpoints: this.options.flink ? this.checkpointFigures(this.options.flink) : null,
    };
  }

  private checkpointFigures(flink: FlinkRest): CheckpointFigures {
    const wallFrom = this.measureFrom?.wall ?? this.wallStartedAt;
    const wallTo = this.measureTo?.wall ?? Date.now();
    const summary = this.flinkAnswered
      ? summariseCheckpoints(this.checkpoints.values(), wallFrom, wallTo)
      : null;
    return {
      rest: flink.base,
      jobId: this.lastJobId ?? null,
      unavailable: this.flinkAnswered
        ? null
        : `Flink's REST API at ${flink.base} gave no checkpoint figures: ${this.flinkLastError ?? 'no answer'}`,
      failedRequests: this.flinkAnswered ? this.flinkFailures : 0,
      lastError: this.flinkAnswered ? (this.flinkLastError ?? null) : null,
      summary,
      countsAtStart: (this.measureFrom ? this.countsAtStart : this.firstCounts) ?? null,
      countsAtEnd: this.countsAtEnd ?? this.latestCounts ?? null,
      checkpoints: [...this.checkpoints.values()]
        .filter((e) => e.triggerMs >= wallFrom && e.triggerMs <= wallTo)
        .sort((a, b) => a.id - b.id),
    };
  }
}
