/**
 * Flink's checkpoint figures, from its REST API (`GET /jobs/overview`, `GET /jobs/<id>/checkpoints`):
 * the parsing and the summary are pure functions over the JSON; `FlinkRest` only ever sends GETs.
 */

/** One checkpoint as `history` lists it, in milliseconds and bytes. */
export interface CheckpointEntry {
  id: number;
  /** COMPLETED, FAILED or IN_PROGRESS. */
  status: string;
  triggerMs: number;
  /** When the last task acknowledged it: for a completed checkpoint, when it completed. */
  ackMs: number;
  endToEndMs: number;
  /** What this checkpoint wrote (incremental RocksDB checkpoints write less than the whole state). */
  checkpointedBytes: number;
  /** The whole state it covers. */
  stateBytes: number;
}

/** Flink's counters since the job started. */
export interface CheckpointCounts {
  completed: number;
  failed: number;
  inProgress: number;
}

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const numberIn = (object: Json, key: string): number => {
  const value = object[key];
  return typeof value === 'number' && Number.isFinite(value) ? value : 0;
};

/** The id of the RUNNING job in `GET /jobs/overview`, the latest started if there are several. */
export function runningJobId(overview: unknown): string | undefined {
  if (!isObject(overview) || !Array.isArray(overview.jobs)) return undefined;
  const running = overview.jobs
    .filter(isObject)
    .filter((job) => job.state === 'RUNNING' && typeof job.jid === 'string')
    .sort((a, b) => numberIn(b, 'start-time') - numberIn(a, 'start-time'));
  const jid = running[0]?.jid;
  return typeof jid === 'string' ? jid : undefined;
}

/** `counts` and `history` of `GET /jobs/<id>/checkpoints`; throws when the answer is not of that shape. */
export function parseCheckpoints(body: unknown): { counts: CheckpointCounts; history: CheckpointEntry[] } {
  if (!isObject(body) || !isObject(body.counts) || !Array.isArray(body.history)) {
    throw new Error('not an answer of GET /jobs/<id>/checkpoints (no counts or history)');
  }
  const counts = body.counts;
  const history: CheckpointEntry[] = [];
  for (const entry of body.history) {
    if (!isObject(entry) || typeof entry.id !== 'number' || typeof entry.status !== 'string') continue;
    history.push({
      id: entry.id,
      status: entry.status,
      triggerMs: numberIn(entry, 'trigger_timestamp'),
      ackMs: numberIn(entry, 'latest_ack_timestamp'),
      endToEndMs: numberIn(entry, 'end_to_end_duration'),
      checkpointedBytes: numberIn(entry, 'checkpointed_size'),
      stateBytes: numberIn(entry, 'state_size'),
    });
  }
  return {
    counts: {
      completed: numberIn(counts, 'completed'),
      failed: numberIn(counts, 'failed'),
      inProgress: numberIn(counts, 'in_progress'),
    },
    history,
  };
}

/** Adds a `history` to what was collected before, by id: the latest answer about a checkpoint wins. */
export function mergeHistory(
  collected: Map<number, CheckpointEntry>,
  history: readonly CheckpointEntry[],
): void {
  for (const entry of history) collected.set(entry.id, entry);
}

/** The checkpoints of one phase, summarised. Durations in ms, sizes in bytes; null when there were none. */
export interface CheckpointSummary {
  completed: number;
  failed: number;
  /** Triggered in the phase and not finished when it was last seen. */
  inProgress: number;
  /** Between the completions of consecutive completed checkpoints. */
  intervalMs: { avg: number; max: number } | null;
  endToEndMs: { p50: number; p99: number; max: number } | null;
  checkpointedBytes: { avg: number; max: number } | null;
  stateBytes: { avg: number; max: number } | null;
}

/** The value at rank ⌈p · n⌉ of the sorted values (nearest rank). */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return 0;
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil(p * sorted.length)));
  return sorted[rank - 1] ?? 0;
}

const avgMax = (values: readonly number[]): { avg: number; max: number } | null =>
  values.length === 0
    ? null
    : {
        avg: Math.round(values.reduce((sum, v) => sum + v, 0) / values.length),
        max: Math.max(...values),
      };

/** The checkpoints triggered from `fromMs` to `toMs` (Flink's wall-clock timestamps), summarised. */
export function summariseCheckpoints(
  entries: Iterable<CheckpointEntry>,
  fromMs: number,
  toMs: number,
): CheckpointSummary {
  const inWindow = [...entries].filter((e) => e.triggerMs >= fromMs && e.triggerMs <= toMs);
  const completed = inWindow.filter((e) => e.status === 'COMPLETED').sort((a, b) => a.ackMs - b.ackMs);
  const intervals = completed.slice(1).map((e, i) => e.ackMs - (completed[i]?.ackMs ?? e.ackMs));
  const durations = completed.map((e) => e.endToEndMs).sort((a, b) => a - b);
  return {
    completed: completed.length,
    failed: inWindow.filter((e) => e.status === 'FAILED').length,
    inProgress: inWindow.filter((e) => e.status === 'IN_PROGRESS').length,
    intervalMs: avgMax(intervals),
    endToEndMs:
      durations.length === 0
        ? null
        : {
            p50: percentile(durations, 0.5),
            p99: percentile(durations, 0.99),
            max: durations[durations.length - 1] ?? 0,
          },
    checkpointedBytes: avgMax(completed.map((e) => e.checkpointedBytes)),
    stateBytes: avgMax(completed.map((e) => e.stateBytes)),
  };
}

const FLINK_TIMEOUT_MS = 2000;

/** GETs against Flink's REST API; nothing else. */
export class FlinkRest {
  constructor(readonly base: string) {}

  async get(path: string): Promise<unknown> {
    const response = await fetch(`${this.base}${path}`, {
      method: 'GET',
      signal: AbortSignal.timeout(FLINK_TIMEOUT_MS),
    });
    const text = await response.text();
    if (response.status !== 200) throw new Error(`GET ${path} answered ${response.status}`);
    return JSON.parse(text) as unknown;
  }

  async runningJob(): Promise<string | undefined> {
    return runningJobId(await this.get('/jobs/overview'));
  }

  async checkpoints(jobId: string): Promise<{ counts: CheckpointCounts; history: CheckpointEntry[] }> {
    return parseCheckpoints(await this.get(`/jobs/${encodeURIComponent(jobId)}/checkpoints`));
  }
}
