import type { CheckpointCounts, CheckpointEntry, FlinkRest } from './flink';
import { processFigures, Watch } from './monitor';
import type { ProcSource } from './proc';

const FACTS = { clockTicks: 100, pageSize: 4096 };

describe('bench > stack > monitor', () => {
  it('turns ticks and pages into CPU % of one core and MB, averaged over the measured window', () => {
    const [figures] = processFigures(
      [
        {
          name: 'shop',
          pid: 7,
          descendant: false,
          points: [
            // Setup: before the window.
            { tMs: 0, cpuTicks: 0, rssPages: 25_600 },
            // The window: 150 ticks in 2 s is 75 % of a core.
            { tMs: 1000, cpuTicks: 10, rssPages: 25_600 },
            { tMs: 2000, cpuTicks: 110, rssPages: 51_200 },
            { tMs: 3000, cpuTicks: 160, rssPages: 25_600 },
          ],
        },
      ],
      { fromMs: 1000, toMs: 3000 },
      FACTS,
    );
    expect(figures).toEqual({
      name: 'shop',
      pid: 7,
      descendant: false,
      samples: 3,
      cpuPercent: 75,
      rssMB: 133.3,
      peakRssMB: 200,
      series: [
        { t: 0, cpuPercent: null, rssMB: 100 },
        { t: 1, cpuPercent: 10, rssMB: 100 },
        { t: 2, cpuPercent: 100, rssMB: 200 },
        { t: 3, cpuPercent: 50, rssMB: 100 },
      ],
    });
  });

  it('measures each point of the CPU series over half a second at least', () => {
    const [figures] = processFigures(
      [
        {
          name: 'x',
          pid: 1,
          descendant: false,
          points: [
            { tMs: 0, cpuTicks: 0, rssPages: 256 },
            { tMs: 1000, cpuTicks: 50, rssPages: 256 },
            // An extra sample 70 ms later, where the measured part begins: 3 ticks are no 43 % of a core.
            { tMs: 1070, cpuTicks: 53, rssPages: 256 },
            { tMs: 2070, cpuTicks: 153, rssPages: 256 },
          ],
        },
      ],
      { fromMs: 1070, toMs: 2070 },
      FACTS,
    );
    expect(figures?.series.map((p) => p.cpuPercent)).toEqual([null, 50, 49.5, 100]);
    expect(figures?.cpuPercent).toBe(100);
  });

  it('gives no CPU figure from a single sample', () => {
    const [figures] = processFigures(
      [{ name: 'x', pid: 1, descendant: false, points: [{ tMs: 5, cpuTicks: 3, rssPages: 256 }] }],
      { fromMs: 0, toMs: 10 },
      FACTS,
    );
    expect(figures).toMatchObject({ samples: 1, cpuPercent: null, rssMB: 1, peakRssMB: 1 });
  });

  it('watches the roots and their descendants, and asks Flink for its checkpoints', async () => {
    let ticks = 0;
    const line = (pid: number, ppid: number) =>
      `${pid} (node) S ${ppid} 1 1 0 -1 0 0 0 0 0 ${(ticks += 10)} 0 0 0 20 0 1 0 ${pid} 0 2560 0`;
    const proc: ProcSource = {
      pids: async () => [1, 100, 101, 200],
      stat: async (pid) =>
        ({ 1: line(1, 0), 100: line(100, 1), 101: line(101, 100), 200: line(200, 1) })[pid],
    };
    const counts: CheckpointCounts = { completed: 5, failed: 0, inProgress: 0 };
    const now = Date.now();
    const checkpoint: CheckpointEntry = {
      id: 6,
      status: 'COMPLETED',
      triggerMs: now + 1,
      ackMs: now + 2,
      endToEndMs: 120,
      checkpointedBytes: 10,
      stateBytes: 20,
    };
    let asked = 0;
    const flink = {
      base: 'http://127.0.0.1:8081',
      get: async () => undefined,
      runningJob: async () => 'job-1',
      checkpoints: async () => {
        asked++;
        return { counts, history: asked > 1 ? [checkpoint] : [] };
      },
    } satisfies Pick<FlinkRest, keyof FlinkRest>;
    const watch = Watch.start({
      scenario: 'find',
      target: 'shop',
      roots: async () => [
        { name: 'load generator', pid: 200, withDescendants: false },
        { name: 'gateway', pid: 100, withDescendants: true },
      ],
      proc,
      facts: FACTS,
      flink: flink as FlinkRest,
    });
    watch.measure('start');
    await new Promise((resolve) => setTimeout(resolve, 5));
    watch.measure('end');
    const figures = await watch.stop();
    expect(figures.processes.map((p) => [p.name, p.descendant])).toEqual([
      ['load generator', false],
      ['gateway', false],
      ['gateway/worker 101', true],
    ]);
    for (const p of figures.processes) {
      expect(p.samples).toBeGreaterThanOrEqual(2);
      expect(p.rssMB).toBe(10);
    }
    expect(figures.note).toBeNull();
    expect(figures.checkpoints).toMatchObject({ jobId: 'job-1', unavailable: null, countsAtEnd: counts });
    expect(figures.checkpoints?.summary?.completed).toBe(1);
  });

  it('says so when Flink does not answer, and the watch goes on', async () => {
    const flink = {
      base: 'http://127.0.0.1:1',
      get: async () => undefined,
      runningJob: async () => {
        throw new Error('fetch failed');
      },
      checkpoints: async () => ({ counts: { completed: 0, failed: 0, inProgress: 0 }, history: [] }),
    } satisfies Pick<FlinkRest, keyof FlinkRest>;
    const watch = Watch.start({
      scenario: 'find',
      target: 'shop',
      roots: async () => [],
      proc: { pids: async () => [], stat: async () => undefined },
      facts: FACTS,
      flink: flink as FlinkRest,
    });
    const figures = await watch.stop();
    expect(figures.processes).toEqual([]);
    expect(figures.note).toMatch(/no process could be read/);
    expect(figures.checkpoints?.summary).toBeNull();
    expect(figures.checkpoints?.unavailable).toMatch(
      /http:\/\/127\.0\.0\.1:1 gave no checkpoint figures: fetch failed/,
    );
  });
});
