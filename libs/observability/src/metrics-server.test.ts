import cluster, { type Worker } from 'node:cluster';
import path from 'node:path';
import request from 'supertest';
import { Counter } from 'prom-client';
import { clusterSource, listenMetrics, registrySource, type MetricsServer } from './metrics-server';
import { createMetricsRegistry } from './registry';

describe('observability > metrics server', () => {
  let server: MetricsServer | undefined;
  afterEach(() => server?.close());

  test('GET /metrics serves the registry, default process metrics included; other paths are JSON 404s', async () => {
    const registry = createMetricsRegistry();
    new Counter({ name: 'shop_test_total', help: 'a test counter', registers: [registry] }).inc(3);
    server = await listenMetrics(registrySource(registry), 0, '127.0.0.1');
    const res = await request(server.url).get('').expect(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain/);
    expect(res.text).toMatch(/^shop_test_total 3$/m);
    expect(res.text).toMatch(/^process_resident_memory_bytes \d+/m);
    expect(res.text).toMatch(/^nodejs_eventloop_lag_seconds /m);
    const base = server.url.replace(/\/metrics$/, '');
    const missing = await request(base).get('/other').expect(404);
    expect(missing.body).toMatchObject({ code: 'SHOP_ERR_ROUTE_NOT_FOUND' });
    await request(base).post('/metrics').expect(405);
  });

  test("a cluster primary serves the sum of its workers' metrics", async () => {
    cluster.setupPrimary({
      exec: path.join(__dirname, '..', 'test-fixtures', 'cluster-worker.cjs'),
      silent: true,
    });
    const workers: Worker[] = [];
    try {
      for (const requests of [2, 5]) {
        const worker = cluster.fork({ WORKER_REQUESTS: String(requests) });
        workers.push(worker);
        await new Promise<void>((resolve) => worker.once('message', () => resolve()));
      }
      server = await listenMetrics(clusterSource(), 0, '127.0.0.1');
      const res = await request(server.url).get('').expect(200);
      expect(res.text).toMatch(/^test_requests_total 7$/m);
    } finally {
      for (const worker of workers) worker.kill();
    }
  });
});
