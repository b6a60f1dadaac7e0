import { readFile } from 'node:fs/promises';
import { basename, resolve } from 'node:path';

/** The parts of a V8 `.cpuprofile` (what `node --cpu-prof` writes) that the summary reads. */
export interface CpuProfile {
  nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number } }[];
  samples: number[];
  timeDeltas: number[];
}

export interface CostLine {
  name: string;
  selfMs: number;
  /** Share of the busy (non-idle) time. */
  percent: number;
}

export interface ProfileSummary {
  file: string;
  /** Sampled time, and the part of it the process was not idle. */
  totalMs: number;
  busyMs: number;
  /** Self time by area: a package, a workspace of this repository, Node's core, GC, V8. */
  areas: CostLine[];
  /** Self time by function. */
  functions: CostLine[];
}

const REPO_ROOT = resolve(__dirname, '..', '..');

/** Where a function's code lives, in the words of someone reading the profile: `express`, `libs/statefun` ... */
export function areaOf(url: string, functionName: string, repoRoot: string = REPO_ROOT): string {
  if (url === '') {
    if (functionName === '(garbage collector)') return 'garbage collection';
    if (functionName === '(program)') return 'V8 and native code (program)';
    if (functionName === '(idle)') return 'idle';
    return functionName || 'native';
  }
  const path = url.startsWith('file://') ? decodeURIComponent(url.slice('file://'.length)) : url;
  const modules = path.lastIndexOf('/node_modules/');
  if (modules !== -1) {
    const [scope, name] = path.slice(modules + '/node_modules/'.length).split('/');
    return scope?.startsWith('@') ? `${scope}/${name ?? ''}` : (scope ?? path);
  }
  if (path.startsWith('node:')) {
    const parts = path.slice('node:'.length).split('/');
    return `node:${parts[0] === 'internal' ? (parts[1] ?? 'internal').replace(/\.js$/, '') : (parts[0] ?? '')}`;
  }
  if (path.startsWith(`${repoRoot}/`)) {
    const inRepo = path.slice(repoRoot.length + 1);
    const dist = inRepo.search(/\/(dist|src)\//);
    return dist === -1 ? inRepo : inRepo.slice(0, dist);
  }
  return path;
}

/** The `top` costliest areas and functions by self time. */
export function summariseProfile(
  profile: CpuProfile,
  file: string,
  top = 15,
  repoRoot: string = REPO_ROOT,
): ProfileSummary {
  const byId = new Map(profile.nodes.map((node) => [node.id, node.callFrame]));
  const selfById = new Map<number, number>();
  let totalUs = 0;
  for (let i = 0; i < profile.samples.length; i++) {
    const id = profile.samples[i] ?? -1;
    // The delta before the next sample is the time spent where this one was taken.
    const us = Math.max(0, profile.timeDeltas[i + 1] ?? 0);
    selfById.set(id, (selfById.get(id) ?? 0) + us);
    totalUs += us;
  }
  const areas = new Map<string, number>();
  const functions = new Map<string, number>();
  let idleUs = 0;
  for (const [id, us] of selfById) {
    const frame = byId.get(id);
    if (!frame) continue;
    const area = areaOf(frame.url, frame.functionName, repoRoot);
    if (area === 'idle') {
      idleUs += us;
      continue;
    }
    areas.set(area, (areas.get(area) ?? 0) + us);
    const where = frame.url ? ` (${area} ${basename(frame.url)}:${frame.lineNumber + 1})` : '';
    const name = `${frame.functionName || '(anonymous)'}${where}`;
    functions.set(name, (functions.get(name) ?? 0) + us);
  }
  const busyUs = totalUs - idleUs;
  const lines = (costs: Map<string, number>): CostLine[] =>
    [...costs]
      .sort(([, a], [, b]) => b - a)
      .slice(0, top)
      .map(([name, us]) => ({
        name,
        selfMs: Math.round(us / 1000),
        percent: busyUs > 0 ? Math.round((1000 * us) / busyUs) / 10 : 0,
      }));
  return {
    file,
    totalMs: Math.round(totalUs / 1000),
    busyMs: Math.round(busyUs / 1000),
    areas: lines(areas),
    functions: lines(functions),
  };
}

export async function summariseProfileFile(file: string, top = 15): Promise<ProfileSummary> {
  return summariseProfile(JSON.parse(await readFile(file, 'utf8')) as CpuProfile, file, top);
}

export function formatProfile(summary: ProfileSummary): string[] {
  const percent = (line: CostLine) =>
    `${line.percent.toFixed(1).padStart(5)} %  ${String(line.selfMs).padStart(6)} ms  ${line.name}`;
  return [
    `profile ${summary.file}: ${summary.busyMs} ms busy of ${summary.totalMs} ms sampled`,
    '  self time by area:',
    ...summary.areas.map((line) => `    ${percent(line)}`),
    '  self time by function:',
    ...summary.functions.map((line) => `    ${percent(line)}`),
  ];
}
