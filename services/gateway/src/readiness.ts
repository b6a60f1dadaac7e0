/** One dependency's check: resolves when it is usable, rejects with what is wrong. */
export type ReadinessCheck = () => Promise<void>;

/** What `GET /readyz` reports: whether this replica should take traffic, and each dependency's state. */
export interface Readiness {
  ready: boolean;
  /** `ok`, or why the dependency is not usable. */
  checks: Record<string, string>;
}

/**
 * Runs every check at once, each bounded by `timeoutMs`: a probe that hangs is as bad as a failed one,
 * because the orchestrator would wait on it instead of taking the replica out of rotation.
 */
export async function checkReadiness(
  checks: Readonly<Record<string, ReadinessCheck>>,
  timeoutMs: number,
): Promise<Readiness> {
  const names = Object.keys(checks);
  const outcomes = await Promise.all(names.map((name) => bounded(checks[name], timeoutMs)));
  const result: Record<string, string> = {};
  names.forEach((name, i) => (result[name] = outcomes[i]));
  return { ready: outcomes.every((outcome) => outcome === 'ok'), checks: result };
}

async function bounded(check: ReadinessCheck, timeoutMs: number): Promise<string> {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      check(),
      new Promise<never>((_resolve, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer in ${timeoutMs} ms`)), timeoutMs);
      }),
    ]);
    return 'ok';
  } catch (error) {
    return error instanceof Error ? error.message || error.name : String(error);
  } finally {
    clearTimeout(timer);
  }
}

/** The sentence a 503 from /readyz carries: the failed checks, by name. */
export function notReadyMessage(readiness: Readiness): string {
  const failed = Object.entries(readiness.checks).filter(([, state]) => state !== 'ok');
  return `not ready: ${failed.map(([name, state]) => `${name}: ${state}`).join('; ')}`;
}
