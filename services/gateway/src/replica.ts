import pino from 'pino';
import { KafkaBroker } from '@shop/broker';
import type { Registry } from '@shop/observability';
import { version } from '../package.json';
import { createGateway } from './app';
import { gatewayMetrics } from './gateway-metrics';
import type { GatewayConfig } from './config';
import { RedisCorrelationStore } from './correlation/redis-correlation-store';
import { httpIngressRoutes } from './http-ingress/http-ingress';
import { listenHttpIngress, type HttpIngressServer } from './http-ingress/server';
import { listenHttp } from './http-server';

/** One gateway replica on the real engines: commands to Kafka, replies from Kafka, correlation in Redis. */
export async function startReplica(
  config: GatewayConfig,
  registry: Registry,
): Promise<{ close(): Promise<void> }> {
  const log = pino({ level: config.logLevel }).child({ replica: config.replicaId });
  const metrics = gatewayMetrics(registry);
  const broker = new KafkaBroker({
    brokers: config.kafkaBrokers,
    clientId: `gateway-${config.replicaId}`,
    onHandlerError: (error, topic) => log.error({ err: error, topic }, 'reply handling failed'),
  });
  const store = await RedisCorrelationStore.connect({
    redis: config.redisUrl,
    replicaId: config.replicaId,
    ttlMs: config.replyTtlSeconds * 1000,
    onError: (error) => log.warn({ err: error }, 'redis connection'),
  });
  const ingressRoutes = httpIngressRoutes({
    broker,
    store,
    pathPrefix: config.httpIngress.pathPrefix,
    version,
    onError: (error) => log.error({ err: error }, 'HTTP ingress request failed'),
    metrics,
  });
  const gateway = createGateway({
    broker,
    store,
    replyTimeoutMs: config.replyTimeoutMs,
    readReplies: config.readReplies,
    mode: 'stack',
    version,
    onError: (error) => log.error({ err: error }, 'request failed'),
    metrics,
    log,
    routes: config.httpIngress.sharesRestPort ? [ingressRoutes] : [],
    domains: config.domains,
    replyMaxAgeMs: config.replyTtlSeconds * 1000,
    readiness: { kafka: () => broker.check(), redis: () => store.check() },
  });
  await gateway.start();
  // Before the REST port, so that a replica answering /healthz serves the ingress too.
  const ingress: HttpIngressServer | undefined = config.httpIngress.sharesRestPort
    ? undefined
    : await listenHttpIngress(ingressRoutes, config.httpIngress, { metrics, log });
  const server = await listenHttp(gateway.app, config.port, config.host);
  log.info(
    { port: config.port, httpIngressPort: config.httpIngress.port, domains: config.domains },
    'gateway replica ready',
  );
  return {
    async close() {
      gateway.drain();
      await ingress?.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await gateway.stop();
      await broker.close();
    },
  };
}
