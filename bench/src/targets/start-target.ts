import { fork, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import type { TargetMessage, TargetRole } from './protocol';

/** A server the bench started in a child process. */
export interface StartedTarget {
  readonly role: TargetRole;
  readonly url: string;
  /** Its process, for the CPU and memory figures. */
  readonly pid: number;
  /** Internal failures the embedded shop reported (always empty for the baselines). */
  readonly errors: string[];
  /** How many failures were reported in all, including those past the ones kept in `errors`. */
  errorCount(): number;
  /** Stops the server and waits for its process to exit (and write its CPU profile, if asked for). */
  stop(): Promise<void>;
}

const START_TIMEOUT_MS = 60_000;
const STOP_TIMEOUT_MS = 15_000;

/**
 * Starts a target in a process of its own: on 2 cores the server gets one and the load generator the
 * other, as a client and a server on two machines would. With `profileDir`, the process runs under
 * `node --cpu-prof` and writes `<role>-<time>.cpuprofile` there when stopped.
 */
export function startTarget(role: TargetRole, options: { profileDir?: string } = {}): Promise<StartedTarget> {
  const execArgv = options.profileDir
    ? [
        '--cpu-prof',
        `--cpu-prof-dir=${options.profileDir}`,
        `--cpu-prof-name=${role}-${Date.now()}.cpuprofile`,
      ]
    : [];
  const child = fork(join(__dirname, 'target-main.js'), [role], {
    execArgv,
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    env: { ...process.env, LOG_LEVEL: 'warn' },
  });
  const errors: string[] = [];
  let errorCount = 0;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));

  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`the ${role} server did not start within ${START_TIMEOUT_MS} ms`));
    }, START_TIMEOUT_MS);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`the ${role} server exited before it was ready (${signal ?? `code ${code}`})`));
    });
    child.on('message', (message: TargetMessage) => {
      switch (message.type) {
        case 'ready':
          clearTimeout(timer);
          resolve({
            role,
            url: message.url,
            pid: child.pid ?? 0,
            errors,
            errorCount: () => errorCount,
            stop: () => stop(child, exited),
          });
          return;
        case 'failed':
          clearTimeout(timer);
          reject(new Error(`the ${role} server failed to start: ${message.message}`));
          return;
        case 'error':
          errorCount++;
          if (message.message) errors.push(message.message);
          return;
        case 'stop':
          return;
      }
    });
  });
}

async function stop(child: ChildProcess, exited: Promise<void>): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const message: TargetMessage = { type: 'stop' };
  child.send(message);
  const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
  await exited;
  clearTimeout(timer);
}
