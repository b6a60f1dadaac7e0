import pino from 'pino';
import { createMetricsRegistry, metricsHandler, registrySource } from '@shop/observability';
import { createFunctionServer, listen } from '@shop/statefun';
import { createShopHandler, functionObservers } from './index';

/**
 * The functions' HTTP server, as StateFun's `io.statefun.endpoints.v2/http` endpoint calls it
 * (statefun/module.yaml). FUNCTIONS_PORT (default 8001) and FUNCTIONS_HOST (default 0.0.0.0).
 */
async function main(): Promise<void> {
  const log = pino({ level: process.env.LOG_LEVEL || 'info' });
  const rawPort = process.env.FUNCTIONS_PORT || '8001';
  if (!/^\d+$/.test(rawPort) || Number(rawPort) > 65535)
    throw new Error(`FUNCTIONS_PORT must be a port number, got "${rawPort}"`);
  const registry = createMetricsRegistry();
  const server = createFunctionServer(
    createShopHandler({ observers: functionObservers(registry, log) }),
    (error) => log.error({ err: error }, 'invocation failed'),
    // Beside StateFun's endpoint, on the same port: one port to open and scrape per functions process.
    metricsHandler(registrySource(registry)),
  );
  const port = await listen(server, Number(rawPort), process.env.FUNCTIONS_HOST || '0.0.0.0');
  log.info({ port }, 'shop functions serving the StateFun request-reply protocol, and GET /metrics');
  const stop = () => server.close(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error: unknown) => {
  process.stderr.write(
    `shop functions failed to start: ${error instanceof Error ? error.message : String(error)}\n`,
  );
  process.exit(1);
});
