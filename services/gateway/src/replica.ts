import type http from 'node:http';
import pino from 'pino';
import { KafkaBroker } from '@shop/broker';
import { version } from '../package.json';
import { createGateway } from './app';
import type { GatewayConfig } from './config';
import { RedisCorrelationStore } from './correlation/redis-correlation-store';

/** One gateway replica on the real engines: commands to Kafka, replies from Kafka, correlation in Redis. */
export async function startReplica(config: GatewayConfig): Promise<{ close(): Promise<void> }> {
  const log = pino({ level: config.logLevel }).child({ replica: config.replicaId });
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
  const gateway = createGateway({
    broker,
    store,
    replyTimeoutMs: config.replyTimeoutMs,
    mode: 'stack',
    version,
    onError: (error) => log.error({ err: error }, 'request failed'),
  });
  await gateway.start();
  const server: http.Server = await new Promise((resolve, reject) => {
    const s = gateway.app.listen(config.port, config.host, (error?: Error) =>
      error ? reject(error) : resolve(s),
    );
  });
  server.keepAliveTimeout = 65_000;
  log.info({ port: config.port }, 'gateway replica ready');
  return {
    async close() {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await gateway.stop();
      await broker.close();
    },
  };
}
