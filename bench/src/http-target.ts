import { performance } from 'node:perf_hooks';
import { Pool } from 'undici';
import { ErrorCodes } from '@shop/protos';

export type Method = 'GET' | 'POST' | 'DELETE';

/** What a server answered to one request, and how long the whole exchange took. */
export interface Answer {
  /** The HTTP status, or 0 when no answer came (connection refused or reset, timeout). */
  status: number;
  body: string;
  ms: number;
}

/** A late reply (202) is polled this often, for at most this long, before the answer counts as lost. */
const POLL_INTERVAL_MS = 50;
const POLL_LIMIT_MS = 120_000;
/** What `/replies/<id>` answers when it has no such reply. */
const REPLY_NOT_FOUND = ErrorCodes.REPLY_NOT_FOUND.code;
/** No single request may hang a phase: a server silent for this long is an error. */
const REQUEST_TIMEOUT_MS = 60_000;

/**
 * One server under load, over a pool of keep-alive connections (undici): at most `connections`
 * requests in flight, each on a connection of its own, no pipelining.
 */
export class HttpTarget {
  private readonly pool: Pool;

  constructor(
    readonly origin: string,
    connections: number,
  ) {
    this.pool = new Pool(origin, {
      connections,
      pipelining: 1,
      keepAliveTimeout: 60_000,
      headersTimeout: REQUEST_TIMEOUT_MS,
      bodyTimeout: REQUEST_TIMEOUT_MS,
    });
  }

  /** One request, as it is: a 202 is an answer like any other. */
  async send(method: Method, path: string): Promise<Answer> {
    const start = performance.now();
    try {
      const response = await this.pool.request({ method, path });
      const body = await response.body.text();
      const location = response.headers.location;
      return {
        status: response.statusCode,
        body: response.statusCode === 202 && typeof location === 'string' ? location : body,
        ms: performance.now() - start,
      };
    } catch (error) {
      return {
        status: 0,
        body: error instanceof Error ? error.message : String(error),
        ms: performance.now() - start,
      };
    }
  }

  /**
   * One request and its final answer: a 202 (the reply was late) is followed to its /replies/ location
   * and polled until the reply is there, as any client of the shop must. `ms` covers the whole wait.
   */
  async call(method: Method, path: string): Promise<Answer> {
    const first = await this.send(method, path);
    if (first.status !== 202) return first;
    const location = first.body;
    if (!location.startsWith('/replies/'))
      return { ...first, status: 0, body: '202 without a /replies/ Location' };
    const start = performance.now() - first.ms;
    while (performance.now() - start < POLL_LIMIT_MS) {
      await sleep(POLL_INTERVAL_MS);
      const polled = await this.send('GET', location);
      // The reply itself is gone (expired, or its replica died): the outcome is unknown, not a refusal.
      if (polled.status === 404 && polled.body.includes(REPLY_NOT_FOUND)) {
        return { status: 0, body: `reply lost: ${polled.body}`, ms: performance.now() - start };
      }
      if (polled.status !== 202) return { ...polled, ms: performance.now() - start };
    }
    return {
      status: 202,
      body: `no reply at ${location} within ${POLL_LIMIT_MS} ms`,
      ms: performance.now() - start,
    };
  }

  /** The final answer's JSON body; anything but the expected status is an error that names the request. */
  async json<T>(method: Method, path: string, expected: number = 200): Promise<T> {
    const answer = await this.call(method, path);
    if (answer.status !== expected) {
      throw new Error(`${method} ${path} answered ${answer.status} (expected ${expected}): ${answer.body}`);
    }
    return JSON.parse(answer.body) as T;
  }

  close(): Promise<void> {
    return this.pool.destroy();
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
