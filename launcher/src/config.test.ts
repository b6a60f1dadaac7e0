import { readConfig } from './config';

describe('launcher > config', () => {
  it('defaults to port 8000 and a 10 s reply timeout on an empty environment', () => {
    expect(readConfig({})).toEqual({
      port: 8000,
      host: '0.0.0.0',
      replyTimeoutMs: 10_000,
      replyTtlSeconds: 600,
      shutdownTimeoutMs: 10_000,
      logLevel: 'info',
      readReplies: 'fast',
      metricsPort: 9464,
      httpIngress: { host: '0.0.0.0', port: 5555, sharesRestPort: false, pathPrefix: 'in', tls: undefined },
    });
  });

  it('reads every variable', () => {
    const config = readConfig({
      PORT: '9001',
      HOST: '127.0.0.1',
      REPLY_TIMEOUT_MS: '250',
      REPLY_TTL_SECONDS: '5',
      SHUTDOWN_TIMEOUT_MS: '1500',
      LOG_LEVEL: 'warn',
      READ_REPLIES: 'committed',
      METRICS_PORT: '9465',
    });
    expect(config).toEqual({
      port: 9001,
      host: '127.0.0.1',
      replyTimeoutMs: 250,
      replyTtlSeconds: 5,
      shutdownTimeoutMs: 1500,
      logLevel: 'warn',
      readReplies: 'committed',
      metricsPort: 9465,
      httpIngress: { host: '0.0.0.0', port: 5555, sharesRestPort: false, pathPrefix: 'in', tls: undefined },
    });
  });

  it('refuses a malformed value, naming the variable', () => {
    expect(() => readConfig({ PORT: 'eighty' })).toThrow(/PORT must be an integer/);
    expect(() => readConfig({ PORT: '70000' })).toThrow(/PORT/);
    expect(() => readConfig({ REPLY_TIMEOUT_MS: '0' })).toThrow(/REPLY_TIMEOUT_MS/);
    expect(() => readConfig({ SHUTDOWN_TIMEOUT_MS: '0' })).toThrow(/SHUTDOWN_TIMEOUT_MS/);
    expect(() => readConfig({ LOG_LEVEL: 'loud' })).toThrow(/LOG_LEVEL must be one of/);
    expect(() => readConfig({ READ_REPLIES: 'eventual' })).toThrow(
      /READ_REPLIES must be one of fast, committed/,
    );
  });
});
