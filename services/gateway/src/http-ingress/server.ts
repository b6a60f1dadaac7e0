import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import express, { type Router } from 'express';
import { ErrorCodes } from '@shop/protos';
import { observeRequests, type Logger } from '@shop/observability';
import type { GatewayMetrics } from '../gateway-metrics';
import type { HttpIngressConfig } from './config';
import { SERVER_OPTIONS, answerNodeRefusalsAsJson, strictRequests } from '../http-server';

/** The HTTP ingress on a listener of its own. */
export interface HttpIngressServer {
  /** Where it listens, e.g. `https://127.0.0.1:5555` (a wildcard host shown as 127.0.0.1). */
  readonly url: string;
  close(): Promise<void>;
}

/**
 * Serves the ingress routes on HTTP_INGRESS_HOST:HTTP_INGRESS_PORT, over HTTPS when a certificate is
 * configured. (When the ingress shares the REST port, the REST app mounts the routes instead.)
 */
export async function listenHttpIngress(
  routes: Router,
  config: HttpIngressConfig,
  /** Where its request lines and durations go; none when absent. */
  observed?: { metrics: GatewayMetrics; log: Logger },
): Promise<HttpIngressServer> {
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.set('case sensitive routing', true);
  app.set('strict routing', true);
  if (observed) {
    app.use(observeRequests({ server: 'ingress', durations: observed.metrics.requests, log: observed.log }));
  }
  app.use(strictRequests());
  app.use(routes);
  app.use((req, res) => {
    res.status(ErrorCodes.ROUTE_NOT_FOUND.status).json({
      error: `no route ${req.method} ${req.path}: this port serves the HTTP ingress under /${config.pathPrefix}/`,
      code: ErrorCodes.ROUTE_NOT_FOUND.code,
    });
  });
  const server = config.tls
    ? https.createServer({ ...SERVER_OPTIONS, cert: config.tls.cert, key: config.tls.key }, app)
    : http.createServer(SERVER_OPTIONS, app);
  answerNodeRefusalsAsJson(server);
  // Keep-alive sockets idle past the default 5 s confuse clients that reuse them (as on the REST port).
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const host = config.host === '0.0.0.0' || config.host === '::' ? '127.0.0.1' : config.host;
  return {
    url: `${config.tls ? 'https' : 'http'}://${host}:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        // Requests in flight finish; idle keep-alive connections close now.
        server.close(() => resolve());
        server.closeIdleConnections();
      }),
  };
}
