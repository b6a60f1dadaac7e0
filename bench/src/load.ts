import { performance } from 'node:perf_hooks';
import type { Answer, HttpTarget, Method } from './http-target';
import { LatencyRecorder, type LatencyBin, type LatencySummary } from './latency';
import { silentProgress, type Progress } from './progress';

/** One request a phase sends: `endpoint` groups requests for the statistics (`GET /stock/find`). */
export interface RequestSpec {
  endpoint: string;
  method: Method;
  path: string;
}

/** The statistics of one endpoint (or of a whole phase) over one phase. */
export interface EndpointStats {
  endpoint: string;
  requests: number;
  /** Answers per second over the phase's measured time. */
  throughput: number;
  latency: LatencySummary;
  /** Answers by HTTP status; `network` for requests that got none. */
  statuses: Record<string, number>;
  /** Share of requests answered with anything but a 2xx. */
  non2xxRate: number;
  histogram: LatencyBin[];
}

/** What one measured phase of load against one server gave. */
export interface PhaseResult {
  /** `find`, `stress`, `consistency` ... */
  scenario: string;
  /** `shop`, `node-http` or `express`. */
  target: string;
  concurrency: number;
  /** Measured time, warm-up excluded. */
  seconds: number;
  overall: EndpointStats;
  endpoints: EndpointStats[];
  /** Answers completed in each second of the phase. */
  timeline: number[];
}

/** Collects answers as they come: a latency histogram and status counts per endpoint, a per-second count. */
export class Collector {
  private readonly recorders = new Map<string, LatencyRecorder>();
  private readonly statuses = new Map<string, Map<string, number>>();
  private readonly timeline: number[] = [];
  private readonly startedAt = performance.now();
  private endedAt: number | undefined;
  count = 0;

  record(endpoint: string, answer: Answer): void {
    let recorder = this.recorders.get(endpoint);
    let statuses = this.statuses.get(endpoint);
    if (!recorder || !statuses) {
      recorder = new LatencyRecorder();
      statuses = new Map();
      this.recorders.set(endpoint, recorder);
      this.statuses.set(endpoint, statuses);
    }
    recorder.recordMs(answer.ms);
    const status = answer.status === 0 ? 'network' : String(answer.status);
    statuses.set(status, (statuses.get(status) ?? 0) + 1);
    const second = Math.floor((performance.now() - this.startedAt) / 1000);
    while (this.timeline.length <= second) this.timeline.push(0);
    this.timeline[second] = (this.timeline[second] ?? 0) + 1;
    this.count++;
  }

  /** Ends the measured time; `result` uses it. */
  end(): void {
    this.endedAt ??= performance.now();
  }

  result(scenario: string, target: string, concurrency: number): PhaseResult {
    this.end();
    const seconds = ((this.endedAt ?? performance.now()) - this.startedAt) / 1000;
    const all = new LatencyRecorder();
    const allStatuses = new Map<string, number>();
    const endpoints: EndpointStats[] = [];
    for (const [endpoint, recorder] of [...this.recorders].sort(([a], [b]) => a.localeCompare(b))) {
      const statuses = this.statuses.get(endpoint) ?? new Map<string, number>();
      all.add(recorder);
      for (const [status, n] of statuses) allStatuses.set(status, (allStatuses.get(status) ?? 0) + n);
      endpoints.push(stats(endpoint, recorder, statuses, seconds));
    }
    return {
      scenario,
      target,
      concurrency,
      seconds: round(seconds, 3),
      overall: stats('all', all, allStatuses, seconds),
      endpoints,
      timeline: [...this.timeline],
    };
  }
}

function stats(
  endpoint: string,
  recorder: LatencyRecorder,
  statuses: ReadonlyMap<string, number>,
  seconds: number,
): EndpointStats {
  const requests = recorder.count;
  let non2xx = 0;
  for (const [status, n] of statuses) if (!/^2\d\d$/.test(status)) non2xx += n;
  return {
    endpoint,
    requests,
    throughput: seconds > 0 ? round(requests / seconds, 1) : 0,
    latency: recorder.summary(),
    statuses: Object.fromEntries([...statuses].sort(([a], [b]) => a.localeCompare(b))),
    non2xxRate: requests > 0 ? round(non2xx / requests, 6) : 0,
    histogram: recorder.bins(),
  };
}

export interface TimedLoad {
  scenario: string;
  target: string;
  concurrency: number;
  /** Seconds of unmeasured load first, so that the server's JIT and connections are warm. */
  warmupS: number;
  durationS: number;
  /** A hard bound on the requests sent, whatever the time. */
  maxRequests?: number;
  next: () => RequestSpec;
  progress?: Progress;
  /** Told when the measured part begins (after the warm-up) and when it ends. */
  onMeasure?: (event: 'start' | 'end') => void;
  /** Given every answer of the measured part, as it comes. */
  onAnswer?: (spec: RequestSpec, answer: Answer) => void;
}

const DEFAULT_MAX_REQUESTS = 50_000_000;

/**
 * Closed-loop load for a fixed time: `concurrency` workers, each sending its next request as soon as
 * the previous one is answered, over keep-alive connections. Stops by itself at the deadline or after
 * `maxRequests`, whichever comes first.
 */
export async function runTimed(http: HttpTarget, load: TimedLoad): Promise<PhaseResult> {
  const progress = load.progress ?? silentProgress;
  const maxRequests = load.maxRequests ?? DEFAULT_MAX_REQUESTS;
  if (load.warmupS > 0) {
    progress.start(`${load.scenario} @ ${load.target} warm-up`, load.warmupS, 's');
    await loop(http, load, load.warmupS, maxRequests, undefined, progress);
    progress.stop();
  }
  progress.start(`${load.scenario} @ ${load.target}`, load.durationS, 's');
  load.onMeasure?.('start');
  const collector = new Collector();
  await loop(http, load, load.durationS, maxRequests, collector, progress);
  collector.end();
  load.onMeasure?.('end');
  progress.stop();
  return collector.result(load.scenario, load.target, load.concurrency);
}

async function loop(
  http: HttpTarget,
  load: TimedLoad,
  seconds: number,
  maxRequests: number,
  collector: Collector | undefined,
  progress: Progress,
): Promise<void> {
  const start = performance.now();
  const deadline = start + seconds * 1000;
  let sent = 0;
  let done = 0;
  const ticker = setInterval(
    () => progress.update(Math.min(seconds, Math.floor((performance.now() - start) / 1000)), done),
    200,
  );
  const worker = async () => {
    while (performance.now() < deadline && sent < maxRequests) {
      sent++;
      const spec = load.next();
      const answer = await http.send(spec.method, spec.path);
      if (collector) {
        collector.record(spec.endpoint, answer);
        load.onAnswer?.(spec, answer);
      }
      done++;
    }
  };
  try {
    await Promise.all(Array.from({ length: load.concurrency }, worker));
  } finally {
    clearInterval(ticker);
  }
  progress.update(seconds, done);
}

/**
 * Sends one request per item with at most `concurrency` in flight, following late replies to their
 * final answer; answers come back in the items' order. Each answer is also given to `collector`.
 */
export async function runEach<T>(
  http: HttpTarget,
  items: readonly T[],
  concurrency: number,
  request: (item: T) => RequestSpec,
  options: { label?: string; progress?: Progress; collector?: Collector } = {},
): Promise<Answer[]> {
  const progress = options.progress ?? silentProgress;
  if (options.label) progress.start(options.label, items.length, 'requests');
  const answers = new Array<Answer>(items.length);
  let nextIndex = 0;
  let done = 0;
  const worker = async () => {
    while (nextIndex < items.length) {
      const index = nextIndex++;
      const spec = request(items[index] as T);
      const answer = await http.call(spec.method, spec.path);
      options.collector?.record(spec.endpoint, answer);
      answers[index] = answer;
      done++;
      if (options.label) progress.update(done, done);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
  if (options.label) progress.stop();
  return answers;
}

export function round(value: number, digits: number): number {
  const scale = 10 ** digits;
  return Math.round(value * scale) / scale;
}
