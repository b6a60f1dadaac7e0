import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { HttpTarget } from './http-target';
import { runEach, runTimed } from './load';
import { bareNodeServer, expressBaseline, FIXED_BODY } from './targets/baseline-servers';

function listen(server: http.Server): Promise<string> {
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`),
    ),
  );
}

function close(server: http.Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}

describe('bench > load', () => {
  it('sends exactly maxRequests when that bound comes first, and counts every answer by endpoint and status', async () => {
    const server = bareNodeServer();
    const target = new HttpTarget(await listen(server), 4);
    try {
      let i = 0;
      const result = await runTimed(target, {
        scenario: 'test',
        target: 'node-http',
        concurrency: 4,
        warmupS: 0,
        durationS: 60,
        maxRequests: 200,
        next: () => ({ endpoint: i++ % 2 ? 'GET /a' : 'GET /b', method: 'GET', path: '/x' }),
      });
      expect(result.overall.requests).toBe(200);
      expect(result.overall.statuses).toEqual({ '200': 200 });
      expect(result.endpoints.map((e) => [e.endpoint, e.requests])).toEqual([
        ['GET /a', 100],
        ['GET /b', 100],
      ]);
      expect(result.timeline.reduce((a, b) => a + b, 0)).toBe(200);
      expect(result.overall.latency.count).toBe(200);
      expect(result.overall.latency.p50Ms).toBeLessThanOrEqual(result.overall.latency.p99Ms);
      expect(result.overall.latency.p99Ms).toBeLessThanOrEqual(result.overall.latency.maxMs);
      expect(result.overall.histogram.reduce((n, bin) => n + bin.count, 0)).toBe(200);
    } finally {
      await target.close();
      await close(server);
    }
  });

  it('keeps the answers of runEach in order, records refusals and unreachable servers without throwing', async () => {
    const server = http.createServer(expressBaseline());
    const target = new HttpTarget(await listen(server), 3);
    const nowhere = new HttpTarget('http://127.0.0.1:1', 1);
    try {
      const answers = await runEach(target, ['a', 'b', 'c', 'd', 'e'], 3, (id) => ({
        endpoint: 'find',
        method: id === 'c' ? 'POST' : 'GET',
        path: `/stock/find/${id}`,
      }));
      expect(answers.map((a) => a.status)).toEqual([200, 200, 404, 200, 200]);
      expect(JSON.parse(answers[0]!.body)).toEqual(FIXED_BODY);
      const [lost] = await runEach(nowhere, [1], 1, () => ({ endpoint: 'x', method: 'GET', path: '/' }));
      expect(lost?.status).toBe(0);
    } finally {
      await Promise.all([target.close(), nowhere.close()]);
      await close(server);
    }
  });
});
