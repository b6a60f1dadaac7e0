import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  mergeHistory,
  parseCheckpoints,
  percentile,
  runningJobId,
  summariseCheckpoints,
  type CheckpointEntry,
} from './flink';

/** `GET /jobs/<id>/checkpoints` of the stack's Flink 1.16.2, checkpoint 320 turned into a failure. */
const FIXTURE: unknown = JSON.parse(
  readFileSync(join(__dirname, 'fixtures', 'flink-checkpoints.json'), 'utf8'),
);
const T = 1796359170000;

describe('bench > stack > flink', () => {
  it('picks the RUNNING job of /jobs/overview, the latest started', () => {
    expect(
      runningJobId({
        jobs: [
          { jid: 'old', name: 'statefun-shop', state: 'CANCELED', 'start-time': 3 },
          { jid: 'a', name: 'statefun-shop', state: 'RUNNING', 'start-time': 1 },
          { jid: 'b', name: 'statefun-shop', state: 'RUNNING', 'start-time': 2 },
        ],
      }),
    ).toBe('b');
    expect(runningJobId({ jobs: [{ jid: 'x', state: 'RESTARTING' }] })).toBeUndefined();
    expect(runningJobId({ errors: ['Not found'] })).toBeUndefined();
    expect(runningJobId(null)).toBeUndefined();
  });

  it('reads counts and history from the checkpoints answer', () => {
    const { counts, history } = parseCheckpoints(FIXTURE);
    expect(counts).toEqual({ completed: 322, failed: 18, inProgress: 1 });
    expect(history.map((e) => `${e.id} ${e.status}`)).toEqual([
      '324 IN_PROGRESS',
      '323 COMPLETED',
      '322 COMPLETED',
      '321 COMPLETED',
      '320 FAILED',
      '319 COMPLETED',
      '318 COMPLETED',
      '317 COMPLETED',
      '316 COMPLETED',
      '315 COMPLETED',
    ]);
    expect(history[1]).toEqual({
      id: 323,
      status: 'COMPLETED',
      triggerMs: T + 9501,
      ackMs: T + 9646,
      endToEndMs: 145,
      checkpointedBytes: 313979,
      stateBytes: 2804734,
    });
    expect(() => parseCheckpoints({ errors: ['Job not found'] })).toThrow(/no counts or history/);
  });

  it('summarises the checkpoints of a phase: counts, interval between completions, durations, sizes', () => {
    const { history } = parseCheckpoints(FIXTURE);
    expect(summariseCheckpoints(history, 0, Number.MAX_SAFE_INTEGER)).toEqual({
      completed: 8,
      failed: 1,
      inProgress: 1,
      // Completions at …5643, 6142, 6649, 7140, 7637, 8712, 9143, 9646: the gap over the failed 320 is 1075.
      intervalMs: { avg: 572, max: 1075 },
      // 136 139 141 142 142 145 148 211
      endToEndMs: { p50: 142, p99: 211, max: 211 },
      checkpointedBytes: { avg: 283716, max: 313979 },
      stateBytes: { avg: 1351984, max: 2804734 },
    });
  });

  it('counts only the checkpoints triggered within the phase', () => {
    const { history } = parseCheckpoints(FIXTURE);
    const summary = summariseCheckpoints(history, T + 7001, T + 9001);
    expect(summary).toMatchObject({ completed: 4, failed: 1, inProgress: 0 });
    expect(summary.endToEndMs).toEqual({ p50: 139, p99: 211, max: 211 });
    const none = summariseCheckpoints(history, T + 20_000, T + 30_000);
    expect(none).toEqual({
      completed: 0,
      failed: 0,
      inProgress: 0,
      intervalMs: null,
      endToEndMs: null,
      checkpointedBytes: null,
      stateBytes: null,
    });
  });

  it('collects history by id over several answers, the latest answer about a checkpoint winning', () => {
    const collected = new Map<number, CheckpointEntry>();
    const entry = (id: number, status: string): CheckpointEntry => ({
      id,
      status,
      triggerMs: id * 500,
      ackMs: id * 500 + 100,
      endToEndMs: 100,
      checkpointedBytes: 1,
      stateBytes: 1,
    });
    mergeHistory(collected, [entry(2, 'IN_PROGRESS'), entry(1, 'COMPLETED')]);
    mergeHistory(collected, [entry(3, 'IN_PROGRESS'), entry(2, 'COMPLETED')]);
    expect([...collected.values()].map((e) => `${e.id} ${e.status}`).sort()).toEqual([
      '1 COMPLETED',
      '2 COMPLETED',
      '3 IN_PROGRESS',
    ]);
    expect(summariseCheckpoints(collected.values(), 0, 10_000)).toMatchObject({
      completed: 2,
      inProgress: 1,
    });
  });

  it('takes percentiles by nearest rank', () => {
    const values = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(percentile(values, 0.5)).toBe(50);
    expect(percentile(values, 0.99)).toBe(99);
    expect(percentile([7], 0.99)).toBe(7);
    expect(percentile([], 0.5)).toBe(0);
  });
});
