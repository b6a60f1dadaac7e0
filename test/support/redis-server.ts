import { spawn, type ChildProcess } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createConnection } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { freePort } from './free-port';

/** A throwaway redis-server on a loopback port, with no persistence. */
export interface RedisServer {
  readonly port: number;
  readonly url: string;
  /** Kills the server and removes its directory. */
  stop(): Promise<void>;
}

const startTimeoutMs = 5_000;

/** Starts a real redis-server; fails (never skips) when it is not installed. */
export async function startRedisServer(): Promise<RedisServer> {
  const binary = findRedisServer();
  const dir = await mkdtemp(join(tmpdir(), 'redis-server-'));
  try {
    // The free port may be taken between probing and binding, so a lost race just tries another.
    for (let attempt = 1; ; attempt++) {
      const port = await freePort();
      try {
        return await launch(binary, dir, port);
      } catch (error) {
        if (attempt >= 3 || !String(error).includes('Address already in use')) throw error;
      }
    }
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
}

function findRedisServer(): string {
  const configured = process.env.REDIS_SERVER_BIN;
  // A configured binary is the one meant: falling back to another would hide the mistake.
  const candidates = configured
    ? [configured]
    : [
        ...(process.env.PATH ?? '').split(delimiter).map((dir) => join(dir, 'redis-server')),
        '/usr/bin/redis-server',
      ];
  const found = candidates.find((candidate) => {
    try {
      accessSync(candidate, constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
  if (found) return found;
  throw new Error(
    `redis-server not found (looked for ${configured ?? 'it on PATH and at /usr/bin/redis-server'}); the Redis ` +
      'tests need a real one: `apt-get install redis-server` (or point REDIS_SERVER_BIN at the binary)',
  );
}

async function launch(binary: string, dir: string, port: number): Promise<RedisServer> {
  const child = spawn(
    binary,
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir],
    { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  // A test run that dies without stopping its server must not leave it running.
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  child.once('exit', () => process.off('exit', killOnExit));
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<never>((_, reject) => {
    child.once('error', reject);
    // 'close' rather than 'exit': the output is complete only once the pipes are closed.
    child.once('close', (code, signal) =>
      reject(new Error(`redis-server exited early (${signal ?? code}):\n${output}`)),
    );
  });
  exited.catch(() => undefined);
  try {
    await Promise.race([waitForPong(port), exited]);
  } catch (error) {
    await kill(child);
    throw error;
  }
  return {
    port,
    url: `redis://127.0.0.1:${port}`,
    async stop() {
      await kill(child);
      await rm(dir, { recursive: true, force: true });
    },
  };
}

async function waitForPong(port: number): Promise<void> {
  const deadline = Date.now() + startTimeoutMs;
  while (!(await ping(port))) {
    if (Date.now() > deadline) throw new Error(`redis-server on port ${port} did not answer PING`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

function ping(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host: '127.0.0.1', port });
    let answer = '';
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(500, () => done(false));
    socket.once('error', () => done(false));
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.on('data', (chunk: Buffer) => {
      answer += chunk.toString();
      if (answer.includes('\r\n')) done(answer.startsWith('+PONG'));
    });
  });
}

function kill(child: ChildProcess): Promise<void> {
  // No pid: the spawn itself failed, so there is nothing to wait for.
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null)
    return Promise.resolve();
  return new Promise((resolve) => {
    // SIGKILL: nothing is persisted, so there is nothing for a graceful shutdown to save.
    child.once('exit', () => resolve());
    child.kill('SIGKILL');
  });
}
