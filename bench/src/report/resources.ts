import type { ResourceFigures } from '../stack/monitor';

const phaseOf = (r: Pick<ResourceFigures, 'scenario' | 'target'>) => `${r.scenario} @ ${r.target}`;
const fixed = (value: number | null | undefined, digits: number) =>
  value === null || value === undefined ? '–' : value.toFixed(digits);
const kb = (bytes: number | undefined) => (bytes === undefined ? '–' : (bytes / 1024).toFixed(0));

export const PROCESS_COLUMNS = [
  'phase',
  'process',
  'pid',
  'CPU % of a core',
  'RSS MB avg',
  'RSS MB peak',
  'samples',
] as const;

/** One row per process of every phase: averages over its measured part. */
export function processRows(resources: readonly ResourceFigures[]): string[][] {
  return resources.flatMap((r) =>
    r.processes.map((p) => [
      phaseOf(r),
      p.name,
      String(p.pid),
      fixed(p.cpuPercent, 1),
      fixed(p.rssMB, 1),
      fixed(p.peakRssMB, 1),
      String(p.samples),
    ]),
  );
}

export const CHECKPOINT_COLUMNS = [
  'phase',
  'completed',
  'failed',
  'interval ms avg',
  'interval ms max',
  'end-to-end ms p50',
  'p99',
  'max',
  'checkpointed KB avg',
  'max',
  'state KB max',
] as const;

/** One row per phase that asked Flink and got an answer. */
export function checkpointRows(resources: readonly ResourceFigures[]): string[][] {
  const rows: string[][] = [];
  for (const r of resources) {
    const s = r.checkpoints?.summary;
    if (!s) continue;
    rows.push([
      phaseOf(r),
      String(s.completed),
      String(s.failed),
      fixed(s.intervalMs?.avg, 0),
      fixed(s.intervalMs?.max, 0),
      fixed(s.endToEndMs?.p50, 0),
      fixed(s.endToEndMs?.p99, 0),
      fixed(s.endToEndMs?.max, 0),
      kb(s.checkpointedBytes?.avg),
      kb(s.checkpointedBytes?.max),
      kb(s.stateBytes?.max),
    ]);
  }
  return rows;
}

/** What could not be measured, one line each: a missing /proc or pid files, a Flink that did not answer. */
export function resourceNotes(resources: readonly ResourceFigures[]): string[] {
  const notes: string[] = [];
  for (const r of resources) {
    if (r.note) notes.push(`${phaseOf(r)}: ${r.note}`);
    const c = r.checkpoints;
    if (c?.unavailable) notes.push(`${phaseOf(r)}: ${c.unavailable}`);
    else if (c && c.failedRequests > 0) {
      notes.push(
        `${phaseOf(r)}: ${c.failedRequests} request(s) to Flink failed (${c.lastError ?? 'no reason'})`,
      );
    }
  }
  return notes;
}

/** An aligned text table: the first `left` columns to the left, the others (figures) to the right. */
export function textTable(head: readonly string[], rows: readonly (readonly string[])[], left = 2): string[] {
  const widths = head.map((title, i) => Math.max(title.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, i) => (i < left ? cell.padEnd(widths[i] ?? 0) : cell.padStart(widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  return [line(head), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)];
}

/** The process table, the checkpoint table (against the stack) and the notes, for the terminal. */
export function formatResources(resources: readonly ResourceFigures[]): string[] {
  const lines: string[] = [];
  const processes = processRows(resources);
  if (processes.length > 0) {
    lines.push('processes, over each measured phase (sampled every second from /proc):');
    lines.push(...textTable(PROCESS_COLUMNS, processes));
  }
  const checkpoints = checkpointRows(resources);
  if (checkpoints.length > 0) {
    if (lines.length > 0) lines.push('');
    lines.push("Flink's checkpoints triggered in each measured phase:");
    lines.push(...textTable(CHECKPOINT_COLUMNS, checkpoints, 1));
  }
  for (const note of resourceNotes(resources)) lines.push(`note: ${note}`);
  return lines;
}
