import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import request from 'supertest';
import { MAX_BATCH } from '@shop/protos';

// The built launcher, as `npm start` runs it: `npm test` builds before jest runs.
const MAIN = path.resolve(__dirname, '..', 'dist', 'main.js');

/** Starts the launcher on ephemeral loopback ports; resolves with its URL once it serves. */
function startLauncher(): Promise<{ child: ChildProcess; url: string; exited: Promise<number | null> }> {
  const child = spawn(process.execPath, [MAIN], {
    env: {
      ...process.env,
      PORT: '0',
      HOST: '127.0.0.1',
      // Equal to PORT (both ephemeral): the REST listener serves the HTTP ingress too.
      HTTP_INGRESS_PORT: '0',
      HTTP_INGRESS_HOST: '127.0.0.1',
      REPLY_TIMEOUT_MS: '200',
      SHUTDOWN_TIMEOUT_MS: '10000',
      LOG_LEVEL: 'warn',
      // No metrics listener: 9464 may be in use by another shop on this machine.
      METRICS_PORT: '0',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const url = /serving on (http:\/\/\S+)/.exec(out)?.[1];
      if (url) resolve({ child, url, exited });
    });
    child.stderr!.on('data', (chunk: Buffer) => process.stderr.write(chunk));
    void exited.then((code) => reject(new Error(`the launcher exited (${code}) before serving: ${out}`)));
  });
}

describe('launcher > shutdown', () => {
  let child: ChildProcess | undefined;
  afterEach(() => {
    // Only if the test failed before the process ended.
    if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });

  it('SIGTERM ends the process while a batch_init of 1 000 000 runs', async () => {
    if (!existsSync(MAIN)) throw new Error(`${MAIN} is missing: run npm run build first`);
    const launcher = await startLauncher();
    child = launcher.child;

    const started = await request(launcher.url).post(`/payment/batch_init/${MAX_BATCH}/5`);
    expect(started.status).toBe(202);
    // The batch has begun (its first users exist) and has not ended. A read may be late behind the
    // batch's creates (202 at the 200 ms reply timeout): asked again, it is answered.
    let first = await request(launcher.url).get('/users/find/0');
    while (first.status === 404 || first.status === 202)
      first = await request(launcher.url).get('/users/find/0');
    expect(first.status).toBe(200);
    expect((await request(launcher.url).get(started.headers.location as string)).status).toBe(202);

    launcher.child.kill('SIGTERM');
    // Closed cleanly, not cut off by the shutdown deadline (exit status 1).
    expect(await launcher.exited).toBe(0);
  });
});
