import http from 'node:http';
import type { Duplex } from 'node:stream';
import type { RequestHandler } from 'express';
import { ErrorCodes } from '@shop/protos';

/**
 * The longest request target (path and query) answered; longer ones get 414. The API's longest real
 * path is under 200 bytes. Past Node's header limit (16 KiB in all) the request never reaches Express,
 * and the server's clientError handler answers 431.
 */
export const MAX_URL_BYTES = 4096;

/** Node's HTTP options for every listener of the shop: Host is checked by `strictRequests`, with a JSON answer. */
export const SERVER_OPTIONS: http.ServerOptions = { requireHostHeader: false };

const hostHeaders = (rawHeaders: readonly string[]): number =>
  rawHeaders.filter((value, i) => i % 2 === 0 && value.toLowerCase() === 'host').length;

/**
 * What every listener refuses before routing, each with a JSON error: a request target over
 * MAX_URL_BYTES (414), and a request without exactly one Host header (400, as RFC 9112 requires of
 * HTTP/1.1; HTTP/1.0 may leave it out).
 */
export function strictRequests(): RequestHandler {
  return (req, res, next) => {
    const length = Buffer.byteLength(req.originalUrl);
    if (length > MAX_URL_BYTES) {
      res
        .status(ErrorCodes.URI_TOO_LONG.status)
        .set('Connection', 'close')
        .json({
          error: `the request target is ${length} bytes; the most is ${MAX_URL_BYTES}`,
          code: ErrorCodes.URI_TOO_LONG.code,
        });
      return;
    }
    const hosts = hostHeaders(req.rawHeaders);
    if (hosts > 1 || (hosts === 0 && req.httpVersion !== '1.0')) {
      res
        .status(ErrorCodes.BAD_REQUEST.status)
        .set('Connection', 'close')
        .json({
          error: `an HTTP/1.1 request has exactly one Host header; this one has ${hosts}`,
          code: ErrorCodes.BAD_REQUEST.code,
        });
      return;
    }
    next();
  };
}

/** What Node's parser refused, as the status and error the client gets. */
function refusalOf(error: NodeJS.ErrnoException): { status: number; code: string; message: string } {
  if (error.code === 'HPE_HEADER_OVERFLOW') {
    return {
      status: ErrorCodes.HEADERS_TOO_LARGE.status,
      code: ErrorCodes.HEADERS_TOO_LARGE.code,
      message: `the request line and headers are over the server's limit of ${http.maxHeaderSize} bytes`,
    };
  }
  return { status: 400, code: ErrorCodes.BAD_REQUEST.code, message: 'the request is not valid HTTP/1.1' };
}

/** A whole response written straight to the socket, then closed: for requests Express never sees. */
function endWithJson(socket: Duplex, status: number, body: object, headers: string[] = []): void {
  const text = JSON.stringify(body);
  socket.end(
    [
      `HTTP/1.1 ${status} ${http.STATUS_CODES[status] ?? ''}`,
      'Content-Type: application/json; charset=utf-8',
      `Content-Length: ${Buffer.byteLength(text)}`,
      'Connection: close',
      ...headers,
      '',
      text,
    ].join('\r\n'),
  );
}

/**
 * Requests Node answers on its own, outside Express, answered like every other refusal: a JSON
 * `{error, code}`. By default Node sends a bare status line for what its parser refuses (too large
 * headers, broken syntax), a bodiless 417 for an unknown Expect, and closes a CONNECT without a word.
 */
export function answerNodeRefusalsAsJson(server: http.Server): void {
  server.on('clientError', (error: NodeJS.ErrnoException, socket: Duplex) => {
    // ECONNRESET and the like: the client is gone, there is nobody to answer.
    if (!socket.writable || error.code === 'ECONNRESET') {
      socket.destroy();
      return;
    }
    const refusal = refusalOf(error);
    endWithJson(socket, refusal.status, { error: refusal.message, code: refusal.code });
  });
  // Only 100-continue is an expectation HTTP defines; Node asks here about any other.
  server.on('checkExpectation', (req: http.IncomingMessage, res: http.ServerResponse) => {
    const body = JSON.stringify({
      error: `Expect: ${req.headers.expect} is not an expectation this server meets`,
      code: ErrorCodes.EXPECTATION_FAILED.code,
    });
    res.writeHead(ErrorCodes.EXPECTATION_FAILED.status, {
      'Content-Type': 'application/json; charset=utf-8',
      'Content-Length': Buffer.byteLength(body),
      Connection: 'close',
    });
    res.end(body);
  });
  server.on('connect', (_req: http.IncomingMessage, socket: Duplex) => {
    endWithJson(
      socket,
      ErrorCodes.METHOD_NOT_ALLOWED.status,
      { error: 'CONNECT is not allowed: this is not a proxy', code: ErrorCodes.METHOD_NOT_ALLOWED.code },
      ['Allow: GET, HEAD, POST, DELETE, OPTIONS'],
    );
  });
}

/** Listens with the shop's HTTP settings: JSON for Node's own refusals, and a keep-alive clients can reuse. */
export async function listenHttp(
  app: http.RequestListener,
  port: number,
  host: string,
): Promise<http.Server> {
  const server = http.createServer(SERVER_OPTIONS, app);
  answerNodeRefusalsAsJson(server);
  // Keep-alive sockets idle past the default 5 s confuse clients and load generators that reuse them.
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  return server;
}
