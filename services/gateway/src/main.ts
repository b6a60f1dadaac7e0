import cluster from 'node:cluster';
import os from 'node:os';
import {
  clusterSource,
  createMetricsRegistry,
  listenMetrics,
  registrySource,
  runClusterPrimary,
  serveClusterScrapes,
  type MetricsSource,
} from '@shop/observability';
import { readGatewayConfig, type GatewayConfig } from './config';
import { startReplica } from './replica';

/**
 * `node services/gateway/dist/main.js`: GATEWAY_REPLICAS replicas sharing PORT through Node's cluster
 * module (each replica accepts from the one shared socket). A replica that dies is replaced; requests it
 * held are answered by polling /replies/<id> through any other replica. With GATEWAY_REPLICAS=1 (in a
 * container) the process is the one replica, and the orchestrator replaces it.
 */
function main(): void {
  const config = readGatewayConfig();
  if (cluster.isPrimary && config.replicas > 1) {
    runClusterPrimary({
      workers: config.replicas,
      kind: 'gateway replica',
      worker: (n) => {
        const name = `${os.hostname()}-gw${n}`;
        return { name, env: { GATEWAY_REPLICA_ID: name } };
      },
      shutdownTimeoutMs: config.shutdownTimeoutMs,
      report: (message) => process.stderr.write(`${message}\n`),
    });
    serveMetrics(config, clusterSource());
    const ingress = config.httpIngress;
    process.stdout.write(
      `gateway: ${config.replicas} replicas on http://${config.host}:${config.port} (pid ${process.pid}); ` +
        `HTTP ingress on ${ingress.tls ? 'https' : 'http'}://${ingress.host}:${ingress.port}/${ingress.pathPrefix}\n`,
    );
    return;
  }
  const registry = createMetricsRegistry();
  if (cluster.isWorker) serveClusterScrapes(registry);
  else serveMetrics(config, registrySource(registry));
  startReplica(config, registry).then(
    (replica) => {
      const stop = () => {
        // Whatever close() waits for (requests parked until their reply timeout), the process ends by the
        // deadline: an orchestrator's SIGKILL comes next.
        setTimeout(() => process.exit(1), config.shutdownTimeoutMs).unref();
        replica.close().then(
          () => process.exit(0),
          () => process.exit(1),
        );
      };
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    },
    (error: unknown) => {
      process.stderr.write(
        `gateway replica failed to start: ${error instanceof Error ? error.message : String(error)}\n`,
      );
      process.exit(1);
    },
  );
}

/** `GET /metrics` on METRICS_PORT, unless it is 0; a port in use is reported, not fatal: the shop still serves. */
function serveMetrics(config: GatewayConfig, source: MetricsSource): void {
  if (config.metricsPort === 0) return;
  listenMetrics(source, config.metricsPort, config.host).then(
    (server) => process.stdout.write(`gateway metrics on ${server.url}\n`),
    (error: unknown) =>
      process.stderr.write(
        `gateway metrics not served: ${error instanceof Error ? error.message : String(error)}\n`,
      ),
  );
}

main();
