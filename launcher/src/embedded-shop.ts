import type { AddressInfo } from 'node:net';
import type http from 'node:http';
import { MemoryBroker } from '@shop/broker';
import { EmbeddedRuntime, loadModule } from '@shop/embedded-runtime';
import { createShopHandler } from '@shop/functions';
import { MemoryCorrelationStore, createGateway } from '@shop/gateway';
import { version } from '../package.json';

export interface EmbeddedShopOptions {
  port: number;
  host: string;
  replyTimeoutMs: number;
  replyTtlSeconds: number;
  onError?: (message: string, error: unknown) => void;
}

export interface RunningShop {
  readonly url: string;
  readonly runtime: EmbeddedRuntime;
  close(): Promise<void>;
}

/**
 * The whole shop in this process: the gateway on an in-memory broker and correlation map, and the
 * functions run by the embedded runtime through the same request-reply bytes StateFun would send.
 */
export async function startEmbeddedShop(options: EmbeddedShopOptions): Promise<RunningShop> {
  const onError = options.onError ?? (() => undefined);
  const broker = new MemoryBroker((error, record) => onError(`handler failed on ${record.topic}`, error));
  const handler = createShopHandler();
  const runtime = new EmbeddedRuntime({
    module: loadModule(),
    broker,
    call: (_typename, bytes) => handler(bytes),
    onError,
  });
  const gateway = createGateway({
    broker,
    store: new MemoryCorrelationStore(options.replyTtlSeconds * 1000),
    replyTimeoutMs: options.replyTimeoutMs,
    mode: 'embedded',
    version,
    onError: (error) => onError('request failed', error),
  });
  await runtime.start();
  await gateway.start();
  const server: http.Server = await new Promise((resolve, reject) => {
    const s = gateway.app.listen(options.port, options.host, (error?: Error) =>
      error ? reject(error) : resolve(s),
    );
  });
  // Keep-alive sockets idle past the default 5 s confuse load generators that reuse them.
  server.keepAliveTimeout = 65_000;
  const { port } = server.address() as AddressInfo;
  const host = options.host === '0.0.0.0' || options.host === '::' ? '127.0.0.1' : options.host;
  return {
    url: `http://${host}:${port}`,
    runtime,
    async close() {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await gateway.stop();
      await runtime.stop();
      await broker.close();
    },
  };
}
