import pino from 'pino';
import { createMetricsRegistry } from '@shop/observability';
import { readConfig } from './config';
import { startEmbeddedShop } from './embedded-shop';

async function main(): Promise<void> {
  const config = readConfig();
  const log = pino({ level: config.logLevel });
  const shop = await startEmbeddedShop({
    ...config,
    onError: (message, error) => log.error({ err: error }, message),
    log,
    registry: createMetricsRegistry(),
  });
  log.info({ url: shop.url, mode: 'embedded' }, 'statefun-shop ready');
  process.stdout.write(`statefun-shop (embedded mode) serving on ${shop.url}\n`);
  process.stdout.write(`HTTP ingress on ${shop.httpIngressUrl}/${config.httpIngress.pathPrefix}\n`);
  if (shop.metricsUrl) process.stdout.write(`metrics on ${shop.metricsUrl}\n`);
  const stop = (signal: string) => {
    log.info({ signal }, 'stopping');
    // Whatever close() waits for, the process ends by the deadline: an orchestrator's SIGKILL comes next.
    setTimeout(() => {
      log.error({ signal, shutdownTimeoutMs: config.shutdownTimeoutMs }, 'not closed in time; exiting');
      process.exit(1);
    }, config.shutdownTimeoutMs).unref();
    shop.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error: unknown) => {
  process.stderr.write(
    `statefun-shop failed to start: ${error instanceof Error ? error.message : String(error)}\n`,
  );
  process.exit(1);
});
