import type { AddressInfo } from 'node:net';
import { MemoryBroker, type Broker } from '@shop/broker';
import { EmbeddedRuntime, loadModule } from '@shop/embedded-runtime';
import { createShopHandler, functionObservers } from '@shop/functions';
import {
  MemoryCorrelationStore,
  createGateway,
  gatewayMetrics,
  httpIngressRoutes,
  listenHttp,
  listenHttpIngress,
  type HttpIngressConfig,
  type HttpIngressServer,
} from '@shop/gateway';
import type { ReadReplies } from '@shop/service-kit';
import {
  Registry,
  listenMetrics,
  registrySource,
  type Logger,
  type MetricsServer,
} from '@shop/observability';
import pino from 'pino';
import { version } from '../package.json';

export interface EmbeddedShopOptions {
  port: number;
  host: string;
  replyTimeoutMs: number;
  replyTtlSeconds: number;
  /** Where replies to reads come from (default `fast`): the same in process, as there is no checkpoint. */
  readReplies?: ReadReplies;
  /**
   * Holds every reply this long before the gateway sees it (default 0): a slow shop on demand, so the
   * late-reply path (202, then polling /replies/{id}) can be tried and tested without racing a timer.
   */
  replyDelayMs?: number;
  /** The HTTP ingress (POST /in/<namespace>/<type>/<id>); none when absent. */
  httpIngress?: HttpIngressConfig;
  onError?: (message: string, error: unknown) => void;
  /** Request lines, refusals, checkouts, the runtime's steps (default silent). */
  log?: Logger;
  /** Where the gateway's and the functions' metrics go (default a registry nobody reads). */
  registry?: Registry;
  /** Serves the registry at `GET /metrics` on this port of `host` (0 or absent: not served). */
  metricsPort?: number;
}

export interface RunningShop {
  readonly url: string;
  /** The HTTP ingress's base URL (its path prefix not included); undefined when it has none. */
  readonly httpIngressUrl: string | undefined;
  readonly runtime: EmbeddedRuntime;
  /** Where `GET /metrics` answers; undefined when not served. */
  readonly metricsUrl: string | undefined;
  close(): Promise<void>;
}

/**
 * The whole shop in this process: the gateway on an in-memory broker and correlation map, and the
 * functions run by the embedded runtime through the same request-reply bytes StateFun would send.
 */
export async function startEmbeddedShop(options: EmbeddedShopOptions): Promise<RunningShop> {
  const onError = options.onError ?? (() => undefined);
  const broker = new MemoryBroker((error, record) => onError(`handler failed on ${record.topic}`, error));
  const log = options.log ?? pino({ level: 'silent' });
  const registry = options.registry ?? new Registry();
  const metrics = gatewayMetrics(registry);
  const handler = createShopHandler({
    observers: functionObservers(registry, log.child({ part: 'functions' })),
  });
  const runtime = new EmbeddedRuntime({
    module: loadModule(),
    broker,
    call: (_typename, bytes) => handler(bytes),
    onError,
    log: log.child({ part: 'runtime' }),
  });
  const store = new MemoryCorrelationStore(options.replyTtlSeconds * 1000);
  const ingressConfig = options.httpIngress;
  const ingressRoutes = ingressConfig
    ? httpIngressRoutes({
        broker,
        store,
        pathPrefix: ingressConfig.pathPrefix,
        version,
        onError: (error) => onError('HTTP ingress request failed', error),
        metrics,
      })
    : undefined;
  const gateway = createGateway({
    broker: options.replyDelayMs ? withDelayedDeliveries(broker, options.replyDelayMs) : broker,
    store,
    replyTimeoutMs: options.replyTimeoutMs,
    readReplies: options.readReplies,
    mode: 'embedded',
    version,
    onError: (error) => onError('request failed', error),
    metrics,
    timeTransport: false,
    log: log.child({ part: 'gateway' }),
    routes: ingressRoutes && ingressConfig?.sharesRestPort ? [ingressRoutes] : [],
  });
  await runtime.start();
  await gateway.start();
  const server = await listenHttp(gateway.app, options.port, options.host);
  const { port } = server.address() as AddressInfo;
  const host = options.host === '0.0.0.0' || options.host === '::' ? '127.0.0.1' : options.host;
  const url = `http://${host}:${port}`;
  let ingress: HttpIngressServer | undefined;
  if (ingressRoutes && ingressConfig && !ingressConfig.sharesRestPort) {
    try {
      ingress = await listenHttpIngress(ingressRoutes, ingressConfig, {
        metrics,
        log: log.child({ part: 'http-ingress' }),
      });
    } catch (error) {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      throw error;
    }
  }
  let metricsServer: MetricsServer | undefined;
  if (options.metricsPort) {
    try {
      metricsServer = await listenMetrics(registrySource(registry), options.metricsPort, options.host);
    } catch (error) {
      await ingress?.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      throw error;
    }
  }
  return {
    url,
    metricsUrl: metricsServer?.url,
    httpIngressUrl: ingress?.url ?? (ingressRoutes ? url : undefined),
    runtime,
    async close() {
      // No new connections; then the runtime stops, whatever it runs (a batch_init of a million), and
      // the gateway answers every parked request 202, so that no open request holds the server up.
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      await runtime.stop();
      await gateway.stop();
      await ingress?.close();
      await metricsServer?.close();
      server.closeAllConnections();
      await closed;
      await broker.close();
    },
  };
}

/** The same broker, except that a subscriber gets each record `delayMs` after it was published. */
function withDelayedDeliveries(broker: Broker, delayMs: number): Broker {
  return {
    publish: (topic, key, value) => broker.publish(topic, key, value),
    subscribe: (groupId, topics, handler) =>
      broker.subscribe(groupId, topics, async (record) => {
        await new Promise((resolve) => setTimeout(resolve, delayMs));
        await handler(record);
      }),
    check: () => broker.check(),
    close: () => broker.close(),
  };
}
