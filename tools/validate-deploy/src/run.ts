import { spawnSync } from 'node:child_process';

export interface RunResult {
  ok: boolean;
  stdout: string;
  stderr: string;
  seconds: number;
}

/** Runs a program to completion without a shell; a missing program is a failed run, not a throw. */
export function run(
  program: string,
  args: string[],
  options: { cwd?: string; env?: NodeJS.ProcessEnv } = {},
): RunResult {
  const started = process.hrtime.bigint();
  const result = spawnSync(program, args, {
    cwd: options.cwd,
    env: options.env ?? process.env,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  return {
    ok: result.status === 0,
    stdout: result.stdout ?? '',
    stderr: result.error ? result.error.message : (result.stderr ?? ''),
    seconds,
  };
}

/** An environment of only what a tool needs to find itself and its caches: no stray variables. */
export function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const keep = [
    'PATH',
    'HOME',
    // Maven: its JDK and options (a proxy, a mirror).
    'JAVA_HOME',
    'MAVEN_OPTS',
    'MAVEN_ARGS',
    'GOPATH',
    'GOMODCACHE',
    'GOCACHE',
    'GOPROXY',
    'GOFLAGS',
    'KUBECONFIG',
  ];
  const env: NodeJS.ProcessEnv = {};
  for (const key of keep) if (process.env[key] !== undefined) env[key] = process.env[key];
  return { ...env, ...extra };
}
