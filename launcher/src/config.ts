/** The embedded shop's configuration: read once at start, from the environment, with local defaults. */
export interface ShopConfig {
  /** PORT: where the REST API listens (default 8000). */
  port: number;
  /** HOST: the interface to bind (default 0.0.0.0). */
  host: string;
  /** REPLY_TIMEOUT_MS: how long a request waits for its reply before answering 202 (default 10000). */
  replyTimeoutMs: number;
  /** REPLY_TTL_SECONDS: how long a late reply stays pollable under /replies/<id> (default 600). */
  replyTtlSeconds: number;
  /** LOG_LEVEL: pino level (default info). */
  logLevel: string;
}

function integer(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!/^\d+$/.test(raw) || value < min || value > max) {
    throw new Error(`${name} must be an integer from ${min} to ${max}, got "${raw}"`);
  }
  return value;
}

const LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

export function readConfig(env: NodeJS.ProcessEnv = process.env): ShopConfig {
  const logLevel = env.LOG_LEVEL || 'info';
  if (!LEVELS.includes(logLevel))
    throw new Error(`LOG_LEVEL must be one of ${LEVELS.join(', ')}, got "${logLevel}"`);
  return {
    port: integer(env, 'PORT', 8000, 0, 65535),
    host: env.HOST || '0.0.0.0',
    replyTimeoutMs: integer(env, 'REPLY_TIMEOUT_MS', 10_000, 1, 600_000),
    replyTtlSeconds: integer(env, 'REPLY_TTL_SECONDS', 600, 1, 7 * 24 * 3600),
    logLevel,
  };
}
