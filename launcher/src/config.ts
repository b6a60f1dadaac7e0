import { readHttpIngressConfig, type HttpIngressConfig } from '@shop/gateway';
import { LOG_LEVELS, READ_REPLIES, envInt, envOneOf, envString, type ReadReplies } from '@shop/service-kit';

/** The embedded shop's configuration: read once at start, from the environment, with local defaults. */
export interface ShopConfig {
  /** PORT: where the REST API listens (default 8000). */
  port: number;
  /** HOST: the interface to bind (default 0.0.0.0). */
  host: string;
  /** REPLY_TIMEOUT_MS: how long a request waits for its reply before answering 202 (default 10000). */
  replyTimeoutMs: number;
  /** REPLY_TTL_SECONDS: how long every reply stays pollable under /replies/<id> (default 600). */
  replyTtlSeconds: number;
  /**
   * SHUTDOWN_TIMEOUT_MS: after SIGTERM or SIGINT, how long the shop may take to close before the process
   * exits anyway, with status 1 (default 10000).
   */
  shutdownTimeoutMs: number;
  /** LOG_LEVEL: pino level (default info). */
  logLevel: string;
  /** READ_REPLIES: `fast` (default) or `committed`; both answer at once here, there is no checkpoint. */
  readReplies: ReadReplies;
  /** METRICS_PORT: where `GET /metrics` is served on HOST (default 9464; 0: not served). */
  metricsPort: number;
  /** HTTP_INGRESS_*: the HTTP ingress's listener (default 0.0.0.0:5555, path prefix `in`). */
  httpIngress: HttpIngressConfig;
}

export function readConfig(env: NodeJS.ProcessEnv = process.env): ShopConfig {
  const config: Omit<ShopConfig, 'httpIngress'> = {
    port: envInt(env, 'PORT', 8000, 0, 65535),
    host: envString(env, 'HOST', '0.0.0.0'),
    replyTimeoutMs: envInt(env, 'REPLY_TIMEOUT_MS', 10_000, 1, 600_000),
    replyTtlSeconds: envInt(env, 'REPLY_TTL_SECONDS', 600, 1, 7 * 24 * 3600),
    shutdownTimeoutMs: envInt(env, 'SHUTDOWN_TIMEOUT_MS', 10_000, 1, 600_000),
    logLevel: envOneOf(env, 'LOG_LEVEL', LOG_LEVELS, 'info'),
    readReplies: envOneOf(env, 'READ_REPLIES', READ_REPLIES, 'fast'),
    metricsPort: envInt(env, 'METRICS_PORT', 9464, 0, 65535),
  };
  return { ...config, httpIngress: readHttpIngressConfig(env, config) };
}
