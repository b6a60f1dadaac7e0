import { execFileSync } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';

/** The fields of one `/proc/<pid>/stat` line that the bench uses (see proc(5)). */
export interface ProcStat {
  pid: number;
  /** The executable's name as the kernel keeps it (field 2), at most 15 characters. */
  comm: string;
  /** R, S, D, Z ... (field 3). */
  state: string;
  ppid: number;
  /** utime + stime (fields 14 and 15): CPU time in clock ticks, the process's own threads only. */
  cpuTicks: number;
  /** starttime (field 22), in clock ticks after boot: with the pid, names one process even if its pid is reused. */
  startTicks: number;
  /** rss (field 24), in pages. */
  rssPages: number;
}

/**
 * Parses the text of `/proc/<pid>/stat`. The name (field 2) sits in parentheses and may itself hold
 * spaces and parentheses, so the fields after it are counted from the last `)`.
 */
export function parseProcStat(text: string): ProcStat {
  const open = text.indexOf('(');
  const close = text.lastIndexOf(')');
  if (open < 1 || close < open) throw new Error(`not a /proc/<pid>/stat line: "${text.slice(0, 80)}"`);
  const pid = Number(text.slice(0, open).trim());
  // rest[0] is field 3 (state), so field n is rest[n − 3].
  const rest = text
    .slice(close + 1)
    .trim()
    .split(/\s+/);
  const field = (n: number): number => {
    const raw = rest[n - 3];
    const value = Number(raw);
    if (raw === undefined || raw === '' || !Number.isFinite(value)) {
      throw new Error(`/proc/<pid>/stat line without field ${n}: "${text.slice(0, 80)}"`);
    }
    return value;
  };
  if (!Number.isSafeInteger(pid) || pid <= 0)
    throw new Error(`/proc/<pid>/stat line without a pid: "${text.slice(0, 80)}"`);
  return {
    pid,
    comm: text.slice(open + 1, close),
    state: rest[0] ?? '?',
    ppid: field(4),
    cpuTicks: field(14) + field(15),
    startTicks: field(22),
    rssPages: field(24),
  };
}

/** Is this a process that runs (or could): not a zombie, not dead. */
export const isAlive = (stat: ProcStat): boolean => stat.state !== 'Z' && stat.state !== 'X';

/** Where process facts come from: `/proc` on Linux, anything alike in tests. */
export interface ProcSource {
  /** Every pid listed now. */
  pids(): Promise<number[]>;
  /** The text of `/proc/<pid>/stat`, or undefined when there is no such process (any more). */
  stat(pid: number): Promise<string | undefined>;
}

/** The real `/proc` (or a copy of its layout at `root`). Reads only. */
export function procfs(root = '/proc'): ProcSource {
  return {
    async pids() {
      const names = await readdir(root);
      return names.filter((name) => /^[0-9]+$/.test(name)).map(Number);
    },
    async stat(pid) {
      try {
        return await readFile(join(root, String(pid), 'stat'), 'utf8');
      } catch {
        return undefined;
      }
    },
  };
}

/** One process's stat, or undefined when it is gone, a zombie, or its stat cannot be read. */
export async function readStat(source: ProcSource, pid: number): Promise<ProcStat | undefined> {
  const text = await source.stat(pid);
  if (text === undefined) return undefined;
  try {
    const stat = parseProcStat(text);
    return isAlive(stat) ? stat : undefined;
  } catch {
    return undefined;
  }
}

/** Every live process the source lists now. */
export async function scanProcesses(source: ProcSource): Promise<ProcStat[]> {
  const stats = await Promise.all((await source.pids()).map((pid) => readStat(source, pid)));
  return stats.filter((stat): stat is ProcStat => stat !== undefined);
}

/**
 * Every descendant of `root` in `processes` (children, their children ...), by pid; not `root` itself,
 * and nothing at or under a pid of `exclude`.
 */
export function descendantsOf(
  root: number,
  processes: readonly ProcStat[],
  exclude: ReadonlySet<number> = new Set(),
): ProcStat[] {
  const children = new Map<number, ProcStat[]>();
  for (const stat of processes) {
    const list = children.get(stat.ppid);
    if (list) list.push(stat);
    else children.set(stat.ppid, [stat]);
  }
  const found: ProcStat[] = [];
  const seen = new Set<number>([root]);
  const queue = [root];
  while (queue.length > 0) {
    const parent = queue.shift() as number;
    for (const child of children.get(parent) ?? []) {
      if (seen.has(child.pid) || exclude.has(child.pid)) continue;
      seen.add(child.pid);
      found.push(child);
      queue.push(child.pid);
    }
  }
  return found.sort((a, b) => a.pid - b.pid);
}

/** A process the bench watches by pid: a pid file's, the load generator, a server it started. */
export interface ProcessRoot {
  name: string;
  pid: number;
  /** Watch its descendants too (a Node cluster primary's replicas, a wrapper script's child). */
  withDescendants: boolean;
}

/** One process to sample now, under the name the report gives it. */
export interface NamedProcess {
  name: string;
  /** Found as a descendant of a root, not named by one. */
  descendant: boolean;
  stat: ProcStat;
}

/**
 * The processes to sample: each live root, then (if asked) its descendants, named
 * `<root>/worker <pid>` when they run the root's executable (a cluster replica) and `<root>/<comm> <pid>`
 * otherwise. A root that is another root's descendant keeps its own name, and its descendants are its
 * own. `processes` is a listing of every live process (`scanProcesses`), or at least of the roots.
 */
export function processesToSample(
  roots: readonly ProcessRoot[],
  processes: readonly ProcStat[],
): NamedProcess[] {
  const byPid = new Map(processes.map((stat) => [stat.pid, stat]));
  const out: NamedProcess[] = [];
  const taken = new Set<number>();
  const rootPids = new Set(roots.map((root) => root.pid));
  for (const root of roots) {
    const stat = byPid.get(root.pid);
    if (!stat || !isAlive(stat) || taken.has(stat.pid)) continue;
    taken.add(stat.pid);
    out.push({ name: root.name, descendant: false, stat });
    if (!root.withDescendants) continue;
    for (const child of descendantsOf(root.pid, processes, rootPids)) {
      if (!isAlive(child) || taken.has(child.pid)) continue;
      taken.add(child.pid);
      const kind = child.comm === stat.comm ? 'worker' : child.comm;
      out.push({ name: `${root.name}/${kind} ${child.pid}`, descendant: true, stat: child });
    }
  }
  return out;
}

/** The roots named by pid files: `<name>.pid` holding a positive integer; anything else is left out. */
export function parsePidFiles(files: readonly { file: string; text: string }[]): ProcessRoot[] {
  const roots: ProcessRoot[] = [];
  for (const { file, text } of files) {
    const match = /^(.+)\.pid$/.exec(file);
    const raw = text.trim();
    if (!match?.[1] || !/^[0-9]+$/.test(raw)) continue;
    const pid = Number(raw);
    if (pid > 0 && Number.isSafeInteger(pid)) roots.push({ name: match[1], pid, withDescendants: true });
  }
  return roots.sort((a, b) => a.name.localeCompare(b.name));
}

/** The pid files in `dir` (`<STACK_DIR>/run`), read now; none when the folder is missing. */
export async function readPidFiles(dir: string): Promise<ProcessRoot[]> {
  let names: string[];
  try {
    names = (await readdir(dir)).filter((name) => name.endsWith('.pid'));
  } catch {
    return [];
  }
  const files = await Promise.all(
    names.map(async (file) => ({ file, text: await readFile(join(dir, file), 'utf8').catch(() => '') })),
  );
  return parsePidFiles(files);
}

/** Where the real stack keeps its runtime files: `STACK_DIR`, else `<repo root>/.stack`, as stack/bin does. */
export function stackDir(env: NodeJS.ProcessEnv = process.env): string {
  return env.STACK_DIR && env.STACK_DIR !== '' ? env.STACK_DIR : join(__dirname, '..', '..', '..', '.stack');
}

/** What turns `/proc` figures into seconds and bytes. */
export interface ProcFacts {
  /** Clock ticks per second (`getconf CLK_TCK`). */
  clockTicks: number;
  /** Bytes per page (`getconf PAGESIZE`). */
  pageSize: number;
}

/** This machine's clock ticks and page size, from `getconf`; Linux's usual 100 and 4096 when it cannot say. */
export function procFacts(): ProcFacts {
  const ask = (name: string, fallback: number): number => {
    try {
      const value = Number(execFileSync('getconf', [name], { encoding: 'utf8', timeout: 5000 }).trim());
      return Number.isSafeInteger(value) && value > 0 ? value : fallback;
    } catch {
      return fallback;
    }
  };
  return { clockTicks: ask('CLK_TCK', 100), pageSize: ask('PAGESIZE', 4096) };
}
