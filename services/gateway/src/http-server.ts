import http from 'node:http';
import type { Duplex } from 'node:stream';
import type { RequestHandler } from 'express';
import { ErrorCodes } from '@shop/protos';

/**
 * The longest request target (path and query) answered; longer ones get 414. The API's longest real
 * path is under 200 bytes. Past Node's header limit (16 KiB in all) the request never reaches Express,
 * and `answerClientErrorsAsJson` answers 431.
 */
export const MAX_URL_BYTES = 4096;

/** 414 with a JSON error for a request target over MAX_URL_BYTES. */
export function urlLengthLimit(): RequestHandler {
  return (req, res, next) => {
    if (Buffer.byteLength(req.originalUrl) <= MAX_URL_BYTES) {
      next();
      return;
    }
    res
      .status(ErrorCodes.URI_TOO_LONG.status)
      .set('Connection', 'close')
      .json({
        error: `the request target is ${Buffer.byteLength(req.originalUrl)} bytes; the most is ${MAX_URL_BYTES}`,
        code: ErrorCodes.URI_TOO_LONG.code,
      });
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

/**
 * Requests Node's HTTP parser refuses (too large headers, broken syntax) never reach Express; by
 * default Node answers them with a bare status line. This answers them like every other refusal:
 * a JSON `{error, code}`, then closes the connection, which the parser can no longer trust.
 */
export function answerClientErrorsAsJson(server: http.Server): void {
  server.on('clientError', (error: NodeJS.ErrnoException, socket: Duplex) => {
    // ECONNRESET and the like: the client is gone, there is nobody to answer.
    if (!socket.writable || error.code === 'ECONNRESET') {
      socket.destroy();
      return;
    }
    const refusal = refusalOf(error);
    const body = JSON.stringify({ error: refusal.message, code: refusal.code });
    socket.end(
      `HTTP/1.1 ${refusal.status} ${http.STATUS_CODES[refusal.status] ?? ''}\r\n` +
        'Content-Type: application/json; charset=utf-8\r\n' +
        `Content-Length: ${Buffer.byteLength(body)}\r\n` +
        'Connection: close\r\n\r\n' +
        body,
    );
  });
}

/** Listens with the shop's HTTP settings: JSON for parser refusals, and a keep-alive clients can reuse. */
export async function listenHttp(
  app: http.RequestListener,
  port: number,
  host: string,
): Promise<http.Server> {
  const server = http.createServer(app);
  answerClientErrorsAsJson(server);
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
