import os from 'node:os';
import { LOG_LEVELS, READ_REPLIES, envInt, envOneOf, envString, type ReadReplies } from '@shop/service-kit';
import { parseDomains, type Domain } from './domains';
import { readHttpIngressConfig, type HttpIngressConfig } from './http-ingress/config';

/** A gateway replica's configuration in the real stack, read once at start from the environment. */
export interface GatewayConfig {
  /** PORT: where the REST API listens (default 8000); replicas of one cluster share it. */
  port: number;
  /** HOST: the interface to bind (default 0.0.0.0). */
  host: string;
  /** KAFKA_BROKERS: comma-separated bootstrap servers (default 127.0.0.1:9092). */
  kafkaBrokers: string[];
  /** REDIS_URL: the correlation map (default redis://127.0.0.1:6379). */
  redisUrl: string;
  /**
   * GATEWAY_REPLICAS: how many replicas `gateway` runs behind PORT (default 2). With 1 the process is the
   * replica, without Node's cluster: what containers run, since the orchestrator scales them.
   */
  replicas: number;
  /** GATEWAY_REPLICA_ID: this replica's name in Redis (default <hostname>-<pid>). */
  replicaId: string;
  /** REPLY_TIMEOUT_MS: how long a request waits for its reply before answering 202 (default 10000). */
  replyTimeoutMs: number;
  /** REPLY_TTL_SECONDS: how long every reply stays pollable (default 600). */
  replyTtlSeconds: number;
  /**
   * SHUTDOWN_TIMEOUT_MS: after SIGTERM or SIGINT, how long a replica (or the cluster's primary) may take
   * to close before the process exits anyway, with status 1 (default 10000).
   */
  shutdownTimeoutMs: number;
  /** READ_REPLIES: `fast` (default) or `committed`, where replies to reads come from (see app.ts). */
  readReplies: ReadReplies;
  /** LOG_LEVEL: pino level (default info). */
  logLevel: (typeof LOG_LEVELS)[number];
  /** SHOP_DOMAINS: the domain services this process runs (default all four; see domains.ts). */
  domains: Domain[];
  /**
   * METRICS_PORT: where `GET /metrics` is served on HOST (default 9464; 0: not served). With several
   * replicas the cluster's primary serves it, every replica's metrics added up.
   */
  metricsPort: number;
  /** HTTP_INGRESS_*: the HTTP ingress's listener (default 0.0.0.0:5555, path prefix `in`). */
  httpIngress: HttpIngressConfig;
}

export function readGatewayConfig(env: NodeJS.ProcessEnv = process.env): GatewayConfig {
  const brokers = envString(env, 'KAFKA_BROKERS', '127.0.0.1:9092')
    .split(',')
    .map((b) => b.trim())
    .filter((b) => b !== '');
  if (brokers.length === 0 || brokers.some((b) => !/^[^:\s]+:\d+$/.test(b))) {
    throw new Error(`KAFKA_BROKERS must be host:port[,host:port...], got "${env.KAFKA_BROKERS ?? ''}"`);
  }
  const redisUrl = envString(env, 'REDIS_URL', 'redis://127.0.0.1:6379');
  if (!/^rediss?:\/\//.test(redisUrl)) throw new Error(`REDIS_URL must be a redis:// URL, got "${redisUrl}"`);
  const config: Omit<GatewayConfig, 'httpIngress'> = {
    port: envInt(env, 'PORT', 8000, 0, 65535),
    host: envString(env, 'HOST', '0.0.0.0'),
    kafkaBrokers: brokers,
    redisUrl,
    replicas: envInt(env, 'GATEWAY_REPLICAS', 2, 1, 64),
    replicaId: envString(env, 'GATEWAY_REPLICA_ID', `${os.hostname()}-${process.pid}`),
    replyTimeoutMs: envInt(env, 'REPLY_TIMEOUT_MS', 10_000, 1, 600_000),
    replyTtlSeconds: envInt(env, 'REPLY_TTL_SECONDS', 600, 1, 7 * 24 * 3600),
    shutdownTimeoutMs: envInt(env, 'SHUTDOWN_TIMEOUT_MS', 10_000, 1, 600_000),
    readReplies: envOneOf(env, 'READ_REPLIES', READ_REPLIES, 'fast'),
    logLevel: envOneOf(env, 'LOG_LEVEL', LOG_LEVELS, 'info'),
    domains: parseDomains(env.SHOP_DOMAINS),
    metricsPort: envInt(env, 'METRICS_PORT', 9464, 0, 65535),
  };
  return { ...config, httpIngress: readHttpIngressConfig(env, config) };
}
