import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  descendantsOf,
  parsePidFiles,
  parseProcStat,
  processesToSample,
  procfs,
  readPidFiles,
  readStat,
  scanProcesses,
  stackDir,
  type ProcSource,
  type ProcStat,
} from './proc';

/** A /proc/<pid>/stat line as Linux writes it, with the fields the bench reads set. */
function statLine(p: {
  pid: number;
  comm: string;
  state?: string;
  ppid: number;
  utime?: number;
  stime?: number;
  rss?: number;
  start?: number;
}): string {
  const fields = [
    p.state ?? 'S',
    p.ppid, // 4 ppid
    p.pid, // 5 pgrp
    p.pid, // 6 session
    0, // 7 tty_nr
    -1, // 8 tpgid
    4194304, // 9 flags
    11916, // 10 minflt
    0,
    0,
    0, // 11-13
    p.utime ?? 0, // 14 utime
    p.stime ?? 0, // 15 stime
    0, // 16 cutime
    0, // 17 cstime
    20, // 18 priority
    0, // 19 nice
    7, // 20 num_threads
    0, // 21 itrealvalue
    p.start ?? 1000, // 22 starttime
    1023852544, // 23 vsize
    p.rss ?? 0, // 24 rss
    '18446744073709551615',
  ];
  return `${p.pid} (${p.comm}) ${fields.join(' ')} 0 0 0 0 0 0 0 0 0 17 1 0 0 0 0 0\n`;
}

function fakeProc(lines: Record<number, string>): ProcSource {
  return {
    pids: async () => Object.keys(lines).map(Number),
    stat: async (pid) => lines[pid],
  };
}

const stat = (pid: number, ppid: number, comm = 'node', state = 'S'): ProcStat => ({
  pid,
  ppid,
  comm,
  state,
  cpuTicks: 0,
  startTicks: pid,
  rssPages: 1,
});

describe('bench > stack > /proc', () => {
  it('reads pid, name, parent, CPU ticks (utime + stime), start time and RSS pages from a stat line', () => {
    // A line of the real gateway primary, as /proc/4533/stat had it.
    const real =
      '4533 (node) S 1 4533 4533 0 -1 4194304 11916 0 0 0 33 14 0 0 20 0 7 0 152891 1023852544 14971 ' +
      '18446744073709551615 11988992 39846385 140729523928256 0 0 0 0 16781312 83458 0 0 0 17 1 0 0 0 0 0 ' +
      '90418888 90555584 1111887872 140729523930491 140729523930526 140729523930526 140729523933162 0\n';
    expect(parseProcStat(real)).toEqual({
      pid: 4533,
      comm: 'node',
      state: 'S',
      ppid: 1,
      cpuTicks: 47,
      startTicks: 152891,
      rssPages: 14971,
    });
  });

  it('counts the fields after the last ")", so a name with spaces and parentheses does not shift them', () => {
    const parsed = parseProcStat(
      statLine({ pid: 77, comm: 'my (odd) name) x', ppid: 5, utime: 10, stime: 5, rss: 300, start: 42 }),
    );
    expect(parsed).toMatchObject({
      pid: 77,
      comm: 'my (odd) name) x',
      ppid: 5,
      cpuTicks: 15,
      rssPages: 300,
      startTicks: 42,
    });
  });

  it('refuses text that is not a stat line', () => {
    expect(() => parseProcStat('')).toThrow(/not a \/proc/);
    expect(() => parseProcStat('12 (node) S 1 2 3')).toThrow(/without field/);
    expect(() => parseProcStat('x (node) S 1')).toThrow();
  });

  it('finds every descendant of a pid, at any depth, and nothing else', () => {
    const listing = [
      stat(1, 0, 'init'),
      stat(4533, 1),
      stat(4551, 4533),
      stat(4552, 4533),
      stat(6000, 4551, 'sh'),
      stat(7000, 1),
      stat(7001, 7000),
    ];
    expect(descendantsOf(4533, listing).map((s) => s.pid)).toEqual([4551, 4552, 6000]);
    expect(descendantsOf(4552, listing)).toEqual([]);
    expect(descendantsOf(9999, listing)).toEqual([]);
    expect(descendantsOf(4533, listing, new Set([4551])).map((s) => s.pid)).toEqual([4552]);
  });

  it('names the processes to sample: the roots, their workers and other descendants, the dead left out', () => {
    const listing = [
      stat(2845, 1, 'redis-server'),
      stat(3466, 1, 'node'),
      stat(4533, 1, 'node'),
      stat(4551, 4533, 'node'),
      stat(4552, 4533, 'node'),
      stat(4560, 4533, 'sh'),
      stat(4561, 4533, 'node', 'Z'),
      stat(900, 1, 'node'),
    ];
    const named = processesToSample(
      [
        { name: 'load generator', pid: 900, withDescendants: false },
        { name: 'gateway', pid: 4533, withDescendants: true },
        { name: 'redis', pid: 2845, withDescendants: true },
        { name: 'kafka', pid: 2991, withDescendants: true }, // its pid file is stale: no such process
      ],
      listing,
    );
    expect(named.map((p) => [p.name, p.stat.pid, p.descendant])).toEqual([
      ['load generator', 900, false],
      ['gateway', 4533, false],
      ['gateway/worker 4551', 4551, true],
      ['gateway/worker 4552', 4552, true],
      ['gateway/sh 4560', 4560, true],
      ['redis', 2845, false],
    ]);
  });

  it("keeps a root that is another root's descendant under its own name", () => {
    const listing = [stat(10, 1, 'bash'), stat(11, 10, 'java'), stat(12, 11, 'java')];
    const named = processesToSample(
      [
        { name: 'wrapper', pid: 10, withDescendants: true },
        { name: 'flink', pid: 11, withDescendants: true },
      ],
      listing,
    );
    expect(named.map((p) => p.name)).toEqual(['wrapper', 'flink', 'flink/worker 12']);
  });

  it('reads the processes of an injected /proc, skipping the gone and the zombies', async () => {
    const source = fakeProc({
      1: statLine({ pid: 1, comm: 'init', ppid: 0 }),
      20: statLine({ pid: 20, comm: 'node', ppid: 1, utime: 7, stime: 3, rss: 100 }),
      21: statLine({ pid: 21, comm: 'node', ppid: 20, state: 'Z' }),
      22: 'garbage',
    });
    expect((await scanProcesses(source)).map((s) => s.pid)).toEqual([1, 20]);
    expect(await readStat(source, 20)).toMatchObject({ cpuTicks: 10, rssPages: 100 });
    expect(await readStat(source, 99)).toBeUndefined();
  });

  describe('on disk', () => {
    let dir: string;
    beforeEach(async () => {
      dir = await mkdtemp(join(tmpdir(), 'bench-proc-'));
    });
    afterEach(() => rm(dir, { recursive: true, force: true }));

    it('reads a /proc-like folder: numeric entries only', async () => {
      for (const [pid, ppid] of [
        [1, 0],
        [50, 1],
        [51, 50],
      ] as const) {
        await mkdir(join(dir, String(pid)));
        await writeFile(join(dir, String(pid), 'stat'), statLine({ pid, comm: 'node', ppid }));
      }
      await mkdir(join(dir, 'self'));
      await writeFile(join(dir, 'uptime'), '1 2\n');
      const source = procfs(dir);
      expect((await source.pids()).sort((a, b) => a - b)).toEqual([1, 50, 51]);
      expect(descendantsOf(50, await scanProcesses(source)).map((s) => s.pid)).toEqual([51]);
      expect(await source.stat(4242)).toBeUndefined();
    });

    it('reads the pid files of <STACK_DIR>/run, leaving out other files and bad contents', async () => {
      await writeFile(join(dir, 'gateway.pid'), '4533\n');
      await writeFile(join(dir, 'flink-jobmanager.pid'), '3627');
      await writeFile(join(dir, 'GET_JM_RESOURCE_PARAMS'), 'x');
      await writeFile(join(dir, 'broken.pid'), 'not a pid');
      await writeFile(join(dir, 'zero.pid'), '0');
      expect(await readPidFiles(dir)).toEqual([
        { name: 'flink-jobmanager', pid: 3627, withDescendants: true },
        { name: 'gateway', pid: 4533, withDescendants: true },
      ]);
      expect(await readPidFiles(join(dir, 'missing'))).toEqual([]);
      expect(parsePidFiles([{ file: '.pid', text: '5' }])).toEqual([]);
    });
  });

  it('finds the stack folder in STACK_DIR, else at the repository root', () => {
    expect(stackDir({ STACK_DIR: '/x/stack' })).toBe('/x/stack');
    expect(stackDir({})).toBe(join(__dirname, '..', '..', '..', '.stack'));
    expect(stackDir({})).toMatch(/[/\\]\.stack$/);
  });
});
