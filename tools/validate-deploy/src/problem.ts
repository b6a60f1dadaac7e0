/** One thing wrong in a deployment file: where it is, as precisely as the parsed data tells, and what. */
export interface Problem {
  /** The file, or the overlay directory for objects kustomize built. */
  file: string;
  /** `Kind/name` of the object, or `service <name>` in compose. */
  resource?: string;
  container?: string;
  message: string;
}

/** What one check found: a one-line summary of what it covered, its problems, and notes that do not fail. */
export interface CheckResult {
  name: string;
  summary: string;
  problems: Problem[];
  notes: string[];
}

export function formatProblem(p: Problem): string {
  const where = [p.file, p.resource, p.container === undefined ? undefined : `container ${p.container}`]
    .filter((part) => part !== undefined)
    .join(' ');
  return `${where}: ${p.message}`;
}

export function formatResult(result: CheckResult): string[] {
  const mark = result.problems.length === 0 ? '✓' : '✗';
  const count = result.problems.length === 0 ? '' : ` — ${result.problems.length} problem(s)`;
  return [
    `${mark} ${result.name}: ${result.summary}${count}`,
    ...result.problems.map((p) => `    ✗ ${formatProblem(p)}`),
    ...result.notes.map((n) => `    · ${n}`),
  ];
}
