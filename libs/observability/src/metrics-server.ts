import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { AggregatorRegistry, type Registry } from 'prom-client';

/** What a scrape gets: the Prometheus text exposition and its content type. */
export type MetricsSource = () => Promise<{ contentType: string; body: string }>;

export function registrySource(registry: Registry): MetricsSource {
  return async () => ({ contentType: registry.contentType, body: await registry.metrics() });
}

/**
 * A Node cluster's primary: every worker's registry, asked over IPC at each scrape and added up
 * (counters and histograms summed, gauges by each metric's aggregator). Workers answer once
 * `serveClusterScrapes` has been called in them.
 */
export function clusterSource(): MetricsSource {
  const aggregator = new AggregatorRegistry();
  return async () => ({ contentType: aggregator.contentType, body: await aggregator.clusterMetrics() });
}

/** In a cluster worker: answers the primary's scrapes with this registry. */
export function serveClusterScrapes(registry: Registry): void {
  AggregatorRegistry.setRegistries([registry]);
  // prom-client answers the primary only once an AggregatorRegistry exists in the worker too.
  new AggregatorRegistry();
}

/** Answers `GET /metrics` (and HEAD) from `source`; any other request gets a JSON 404 or 405. */
export function metricsHandler(source: MetricsSource): http.RequestListener {
  return (req, res) => {
    const path = (req.url ?? '').split('?')[0];
    if (path !== '/metrics') {
      json(res, 404, {
        error: `no route ${req.method} ${path}: this port serves GET /metrics`,
        code: 'SHOP_ERR_ROUTE_NOT_FOUND',
      });
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.setHeader('Allow', 'GET, HEAD');
      json(res, 405, {
        error: `${req.method} is not allowed on /metrics`,
        code: 'SHOP_ERR_METHOD_NOT_ALLOWED',
      });
      return;
    }
    source().then(
      ({ contentType, body }) => {
        res.writeHead(200, { 'Content-Type': contentType, 'Content-Length': Buffer.byteLength(body) });
        res.end(req.method === 'HEAD' ? undefined : body);
      },
      (error: unknown) => {
        // A worker that did not answer in time: the scrape fails, and Prometheus marks the target down.
        json(res, 503, { error: `metrics unavailable: ${String(error)}`, code: 'SHOP_ERR_UNAVAILABLE' });
      },
    );
  };
}

function json(res: http.ServerResponse, status: number, body: object): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(text),
  });
  res.end(text);
}

export interface MetricsServer {
  /** e.g. `http://127.0.0.1:9464/metrics` (a wildcard host shown as 127.0.0.1). */
  readonly url: string;
  close(): Promise<void>;
}

/** `GET /metrics` on a listener of its own (METRICS_PORT), apart from the API and its route tests. */
export async function listenMetrics(
  source: MetricsSource,
  port: number,
  host: string,
): Promise<MetricsServer> {
  const server = http.createServer(metricsHandler(source));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const shown = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host;
  return {
    url: `http://${shown}:${(server.address() as AddressInfo).port}/metrics`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
      }),
  };
}
