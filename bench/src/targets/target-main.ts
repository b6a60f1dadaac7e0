import http from 'node:http';
import type { AddressInfo } from 'node:net';
import pino from 'pino';
import { startEmbeddedShop } from '@shop/launcher';
import { createMetricsRegistry } from '@shop/observability';
import { TARGET_ROLES, type TargetMessage, type TargetRole } from './protocol';
import { bareNodeServer, expressBaseline } from './baseline-servers';

/**
 * A server under test, in a process of its own so that it has a core to itself and the load generator
 * the other: `node target-main.js <role>`, started by `startTarget`, which it tells its URL over IPC.
 */
const HOST = '127.0.0.1';
/** An embedded shop's internal failures are sent to the bench, up to this many; the rest are counted. */
const MAX_ERRORS_SENT = 20;

function tell(message: TargetMessage): void {
  process.send?.(message);
}

function listen(server: http.Server): Promise<string> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, HOST, () => {
      // Keep-alive sockets idle past Node's default 5 s would be closed under a load generator's feet.
      server.keepAliveTimeout = 65_000;
      resolve(`http://${HOST}:${(server.address() as AddressInfo).port}`);
    });
  });
}

function closeServer(server: http.Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}

async function start(role: TargetRole): Promise<{ url: string; close: () => Promise<void> }> {
  switch (role) {
    case 'node-http': {
      const server = bareNodeServer();
      return { url: await listen(server), close: () => closeServer(server) };
    }
    case 'express': {
      const server = http.createServer(expressBaseline());
      return { url: await listen(server), close: () => closeServer(server) };
    }
    case 'shop': {
      let errors = 0;
      const shop = await startEmbeddedShop({
        port: 0,
        host: HOST,
        replyTimeoutMs: 10_000,
        replyTtlSeconds: 600,
        // As `npm start` runs it: every metric recorded, and lines at LOG_LEVEL (the bench sets warn).
        log: pino({ level: process.env.LOG_LEVEL ?? 'info' }),
        registry: createMetricsRegistry(),
        onError: (message, error) => {
          if (++errors <= MAX_ERRORS_SENT) {
            tell({ type: 'error', message: error === undefined ? message : `${message}: ${String(error)}` });
          } else {
            tell({ type: 'error', message: '' });
          }
        },
      });
      return { url: shop.url, close: () => shop.close() };
    }
  }
}

async function main(): Promise<void> {
  const role = process.argv[2] as TargetRole;
  if (!TARGET_ROLES.includes(role)) throw new Error(`unknown target "${process.argv[2]}"`);
  const target = await start(role);
  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    // A normal exit, so that --cpu-prof writes its profile.
    target.close().finally(() => process.exit(0));
  };
  process.on('message', (message: TargetMessage) => {
    if (message.type === 'stop') stop();
  });
  // The bench is gone (crashed or killed): nothing will load this server any more.
  process.on('disconnect', stop);
  tell({ type: 'ready', url: target.url });
}

main().catch((error: unknown) => {
  tell({ type: 'failed', message: error instanceof Error ? error.message : String(error) });
  process.exit(1);
});
