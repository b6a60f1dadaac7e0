import http from 'node:http';
import https from 'node:https';
import net from 'node:net';

// Sends requests exactly as written: supertest and fetch normalise paths ("/a/../b" becomes "/b") and
// refuse odd methods and headers, which are what a fuzz test needs to send.

/** A request as sent over HTTP: the target is the path and query, not normalised. */
export interface WireRequest {
  method: string;
  target: string;
  headers: Readonly<Record<string, string>>;
  body?: Buffer;
}

/** What came back: a status line, headers and the body as text; or why nothing did. */
export type Outcome =
  { status: number; headers: Readonly<Record<string, string>>; body: string } | { failed: string };

/** Sends one request over `agent`'s connections; gives up after `timeoutMs`. */
export function send(
  base: string,
  agent: http.Agent,
  request: WireRequest,
  timeoutMs: number,
): Promise<Outcome> {
  const url = new URL(base);
  const client = url.protocol === 'https:' ? https : http;
  return new Promise((resolve) => {
    const req = client.request(
      {
        host: url.hostname,
        port: url.port,
        method: request.method,
        path: request.target,
        headers: request.body
          ? { ...request.headers, 'content-length': request.body.length }
          : request.headers,
        agent,
        timeout: timeoutMs,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: flatHeaders(res.headers),
            body: Buffer.concat(chunks).toString('utf8'),
          }),
        );
        res.on('error', (error) => resolve({ failed: `response broke off: ${error.message}` }));
      },
    );
    req.on('timeout', () => {
      req.destroy();
      resolve({ failed: `no answer within ${timeoutMs} ms` });
    });
    req.on('error', (error) => resolve({ failed: `request failed: ${error.message}` }));
    req.end(request.body);
  });
}

function flatHeaders(headers: http.IncomingHttpHeaders): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined) out[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return out;
}

/** The answer in `bytes` once it is complete (by Content-Length or the last chunk); undefined before. */
export function parseAnswer(bytes: Buffer, closed: boolean): Outcome | undefined {
  const end = bytes.indexOf('\r\n\r\n');
  if (end < 0)
    return closed ? { failed: `no answer, only ${JSON.stringify(bytes.toString('latin1'))}` } : undefined;
  const [statusLine = '', ...lines] = bytes.subarray(0, end).toString('latin1').split('\r\n');
  const status = /^HTTP\/1\.[01] (\d{3})/.exec(statusLine);
  if (!status) return { failed: `not an HTTP answer: ${JSON.stringify(statusLine)}` };
  // An interim answer (100 Continue) has no body: the answer is what follows it.
  if (status[1]!.startsWith('1')) return parseAnswer(bytes.subarray(end + 4), closed);
  const headers: Record<string, string> = {};
  for (const line of lines) {
    const colon = line.indexOf(':');
    if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  const rest = bytes.subarray(end + 4);
  let body: Buffer | undefined;
  if (headers['transfer-encoding']?.toLowerCase() === 'chunked') {
    body = dechunked(rest);
  } else if (headers['content-length'] !== undefined) {
    const length = Number(headers['content-length']);
    body = rest.length >= length ? rest.subarray(0, length) : undefined;
  } else if (closed) {
    body = rest;
  }
  if (body === undefined) return closed ? { failed: 'the answer broke off' } : undefined;
  return { status: Number(status[1]), headers, body: body.toString('utf8') };
}

/** A chunked body's content once its last chunk is there. */
function dechunked(bytes: Buffer): Buffer | undefined {
  const parts: Buffer[] = [];
  let at = 0;
  for (;;) {
    const lineEnd = bytes.indexOf('\r\n', at);
    if (lineEnd < 0) return undefined;
    const size = parseInt(bytes.subarray(at, lineEnd).toString('latin1'), 16);
    if (Number.isNaN(size)) return undefined;
    if (size === 0) return Buffer.concat(parts);
    if (bytes.length < lineEnd + 2 + size + 2) return undefined;
    parts.push(bytes.subarray(lineEnd + 2, lineEnd + 2 + size));
    at = lineEnd + 2 + size + 2;
  }
}

/** Writes `bytes` on a fresh connection and reads one answer; gives up after `timeoutMs`. */
export function sendRaw(base: string, bytes: Buffer, timeoutMs: number): Promise<Outcome> {
  const url = new URL(base);
  return new Promise((resolve) => {
    const socket = net.connect(Number(url.port || 80), url.hostname);
    const received: Buffer[] = [];
    let settled = false;
    const settle = (outcome: Outcome) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      resolve(outcome);
    };
    const timer = setTimeout(() => settle({ failed: `no answer within ${timeoutMs} ms` }), timeoutMs);
    socket.on('data', (chunk: Buffer) => {
      received.push(chunk);
      const answer = parseAnswer(Buffer.concat(received), false);
      if (answer) settle(answer);
    });
    // A reset after the answer was written still leaves the answer readable above.
    socket.on('error', () => undefined);
    socket.on('close', () => settle(parseAnswer(Buffer.concat(received), true)!));
    socket.write(bytes);
  });
}
