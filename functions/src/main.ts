import cluster from 'node:cluster';
import pino from 'pino';
import {
  answerWorkerScrapes,
  clusterSource,
  createMetricsRegistry,
  metricsHandler,
  primarySource,
  registrySource,
  runClusterPrimary,
  serveClusterScrapes,
  type MetricsSource,
  type Registry,
} from '@shop/observability';
import { createFunctionServer, listen } from '@shop/statefun';
import { createShopHandler, functionObservers } from './index';

/**
 * The functions' HTTP server, as StateFun's `io.statefun.endpoints.v2/http` endpoint calls it
 * (statefun/module.yaml). FUNCTIONS_PORT (default 8001) and FUNCTIONS_HOST (default 0.0.0.0).
 *
 * FUNCTIONS_WORKERS (default 1) servers share the port through Node's cluster module, as replicas share a
 * Kubernetes Service: the functions keep no state between calls (StateFun sends each call its state), so
 * any server can answer any call. A server that dies is replaced; the calls it held fail, and StateFun
 * sends them again on another connection.
 */
async function main(): Promise<void> {
  const log = pino({ level: process.env.LOG_LEVEL || 'info' });
  const port = readPort(process.env.FUNCTIONS_PORT || '8001');
  const workers = readWorkers(process.env.FUNCTIONS_WORKERS || '1');
  if (cluster.isPrimary && workers > 1) {
    runClusterPrimary({
      workers,
      kind: 'functions server',
      shutdownTimeoutMs: 10_000,
      report: (message) => log.warn(message),
    });
    cluster.on('message', answerWorkerScrapes(clusterSource()));
    log.info({ pid: process.pid, workers }, 'shop functions: cluster primary');
  } else await serve(port, log);
}

async function serve(port: number, log: pino.Logger): Promise<void> {
  const registry = createMetricsRegistry();
  const metrics = cluster.isWorker ? clusterWideSource(registry) : registrySource(registry);
  const server = createFunctionServer(
    createShopHandler({ observers: functionObservers(registry, log) }),
    (error) => log.error({ err: error }, 'invocation failed'),
    // Beside StateFun's endpoint, on the same port: one port to open and scrape per functions process.
    metricsHandler(metrics),
  );
  const bound = await listen(server, port, process.env.FUNCTIONS_HOST || '0.0.0.0');
  log.info({ port: bound }, 'shop functions serving the StateFun request-reply protocol, and GET /metrics');
  const stop = () => server.close(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

/**
 * In a cluster a scrape lands on any server: that server answers with every server's metrics, which it asks
 * the primary for.
 */
function clusterWideSource(registry: Registry): MetricsSource {
  serveClusterScrapes(registry);
  return primarySource({
    send: (message) => process.send?.(message),
    on: (event, listener) => process.on(event, listener),
    off: (event, listener) => process.off(event, listener),
  });
}

function readPort(raw: string): number {
  if (!/^\d+$/.test(raw) || Number(raw) > 65535)
    throw new Error(`FUNCTIONS_PORT must be a port number, got "${raw}"`);
  return Number(raw);
}

function readWorkers(raw: string): number {
  if (!/^\d+$/.test(raw) || Number(raw) < 1 || Number(raw) > 64)
    throw new Error(`FUNCTIONS_WORKERS must be a whole number from 1 to 64, got "${raw}"`);
  return Number(raw);
}

main().catch((error: unknown) => {
  process.stderr.write(
    `shop functions failed to start: ${error instanceof Error ? error.message : String(error)}\n`,
  );
  process.exit(1);
});
