import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { ShopClient } from '../api/helpers';
import { freePort } from '../support/free-port';

// A domain service on its own, as docker-compose.yml and k8s/ run one: the gateway program with
// GATEWAY_REPLICAS=1 (one process, no cluster) and SHOP_DOMAINS=stock, beside the stack's gateway, on
// the same Kafka and Redis. What it creates is the same state the rest of the shop sees.

const repo = path.resolve(__dirname, '../..');

function shopUrl(): string {
  const url = process.env.SHOP_URL;
  if (!url) throw new Error('this test needs the real stack: run it with `npm run test:e2e`');
  return url;
}

async function waitUntilReady(url: string, child: ChildProcess, output: () => string): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`the domain service exited: ${output()}`);
    const ready = await fetch(`${url}/readyz`).then(
      (answer) => answer.status === 200,
      () => false,
    );
    if (ready) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`the domain service never became ready: ${output()}`);
}

describe('e2e > a domain service on its own', () => {
  const shop = new ShopClient(shopUrl());
  let child: ChildProcess;
  let output = '';
  let stock: ShopClient;

  beforeAll(async () => {
    const [port, ingressPort] = [await freePort(), await freePort()];
    child = spawn(process.execPath, ['services/gateway/dist/main.js'], {
      cwd: repo,
      env: {
        ...process.env,
        PORT: String(port),
        HOST: '127.0.0.1',
        HTTP_INGRESS_PORT: String(ingressPort),
        HTTP_INGRESS_HOST: '127.0.0.1',
        KAFKA_BROKERS: process.env.KAFKA_BOOTSTRAP ?? '127.0.0.1:9092',
        REDIS_URL: `redis://127.0.0.1:${process.env.REDIS_PORT ?? '6379'}`,
        GATEWAY_REPLICAS: '1',
        SHOP_DOMAINS: 'stock',
        LOG_LEVEL: 'warn',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const url = `http://127.0.0.1:${port}`;
    await waitUntilReady(url, child, () => output);
    stock = new ShopClient(url);
  });
  afterAll(() => {
    stock?.close();
    shop.close();
    if (child.exitCode === null) child.kill('SIGKILL');
  });

  it('runs as one process, reports Kafka and Redis ready, and serves only its domain', async () => {
    // No cluster workers under it: the orchestrator, not Node, runs the replicas.
    expect(() => execFileSync('pgrep', ['-P', String(child.pid)])).toThrow();
    const ready = await stock.get('/readyz');
    expect(ready.body).toEqual({ status: 'ready', checks: { kafka: 'ok', redis: 'ok' } });
    expect((await stock.post('/users/create')).status).toBe(404);
  });

  it('writes the same state the shop reads, and reads what the shop wrote', async () => {
    const { item_id: itemId } = await stock.ok('post', '/stock/item/create/7', 201);
    await stock.ok('post', `/stock/add/${String(itemId)}/3`);
    expect(await shop.ok('get', `/stock/find/${String(itemId)}`)).toEqual({
      item_id: itemId,
      stock: 3,
      price: 7,
    });

    const { item_id: other } = await shop.ok('post', '/stock/item/create/9', 201);
    expect(await stock.ok('get', `/stock/find/${String(other)}`)).toEqual({
      item_id: other,
      stock: 0,
      price: 9,
    });
  });

  it('exits 0 on SIGTERM', async () => {
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  });
});
