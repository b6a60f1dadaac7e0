import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { UnknownFunctionError, type RequestReplyHandler } from './handler';

function readBody(req: http.IncomingMessage): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/**
 * The HTTP binding StateFun's `io.statefun.endpoints.v2/http` endpoint calls: POST a ToFunction to any
 * path, get a FromFunction back. A failure answers 500, which makes the runtime retry the batch.
 * `GET /healthz` (liveness) and `GET /readyz` (readiness) answer 200 for probes: the server depends on
 * nothing else, since StateFun sends each function's state with the call.
 */
export function createFunctionServer(
  handler: RequestReplyHandler,
  onError: (error: unknown) => void = () => undefined,
  /** Answers `GET /metrics` when given (Prometheus scrapes the functions beside StateFun's endpoint). */
  metrics?: http.RequestListener,
): http.Server {
  return http.createServer((req, res) => {
    if (metrics && req.method === 'GET' && req.url === '/metrics') {
      metrics(req, res);
      return;
    }
    if (req.method === 'GET' && req.url === '/healthz') {
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"ok"}');
      return;
    }
    if (req.method === 'GET' && req.url === '/readyz') {
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"ready"}');
      return;
    }
    if (req.method !== 'POST') {
      res.writeHead(405, { allow: 'POST', 'content-type': 'text/plain' }).end('POST a ToFunction\n');
      return;
    }
    readBody(req)
      .then(handler)
      .then((reply) => {
        res.writeHead(200, { 'content-type': 'application/octet-stream' }).end(reply);
      })
      .catch((error: unknown) => {
        onError(error);
        const status = error instanceof UnknownFunctionError ? 404 : 500;
        res.writeHead(status, { 'content-type': 'text/plain' }).end(`${String(error)}\n`);
      });
  });
}

export async function listen(server: http.Server, port: number, host = '0.0.0.0'): Promise<number> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  return (server.address() as AddressInfo).port;
}
