import type { Request, RequestHandler, Response } from 'express';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import { SeriesHistogram } from './series-histogram';
import { LATENCY_BUCKETS } from './registry';

/** Which listener a request came in on. */
export type ServerKind = 'rest' | 'ingress';

/** The route label of a request no route matched (404), so unknown paths do not each make a series. */
export const UNMATCHED_ROUTE = 'unmatched';

/**
 * The status recorded for a request whose client went away before its answer was sent (nginx's
 * convention): no status was sent, and 200, Node's default, would hide it.
 */
export const CLIENT_CLOSED_STATUS = 499;

export type RequestDurations = SeriesHistogram<'method' | 'route' | 'status' | 'server'>;

export function requestDurations(registry: Registry): RequestDurations {
  return new SeriesHistogram({
    name: 'shop_http_request_duration_seconds',
    help: 'HTTP requests by method, route template, status and listener: time from arrival to the last byte of the answer',
    labelNames: ['method', 'route', 'status', 'server'],
    buckets: LATENCY_BUCKETS,
    registers: [registry],
  });
}

/** Where a request's correlation ID is noted for its log line, once the request has one. */
const CORRELATION_LOCAL = 'correlationId';
/** Where the route that took a request notes its template. */
const ROUTE_LOCAL = 'routeTemplate';

export function noteCorrelationId(res: Response, correlationId: string): void {
  res.locals[CORRELATION_LOCAL] = correlationId;
}

export function noteRoute(res: Response, template: string): void {
  res.locals[ROUTE_LOCAL] = template;
}

const localString = (res: Response, name: string): string | undefined => {
  const value: unknown = res.locals[name];
  return typeof value === 'string' ? value : undefined;
};

export interface RequestObserverOptions {
  server: ServerKind;
  durations: RequestDurations;
  log: Logger;
}

/**
 * Times every request and writes its one log line when it ends: method, route template, status,
 * duration and correlation ID. Routes note their template and the correlation ID on the response as
 * they run (`noteRoute`, `noteCorrelationId`); the raw path is never a label, so series stay bounded.
 * Hand-written rather than pino-http: that serializes the whole request and response per line, and the
 * request path is the benchmarked hot path.
 */
export function observeRequests(options: RequestObserverOptions): RequestHandler {
  const { server, durations, log } = options;
  return (req: Request, res: Response, next) => {
    const start = performance.now();
    res.once('close', () => {
      const seconds = (performance.now() - start) / 1000;
      const status = res.writableFinished ? res.statusCode : CLIENT_CLOSED_STATUS;
      const route = localString(res, ROUTE_LOCAL) ?? UNMATCHED_ROUTE;
      durations.series(req.method, route, String(status), server).observe(seconds);
      if (log.isLevelEnabled('info')) {
        log.info(
          {
            server,
            method: req.method,
            route,
            status,
            duration_ms: Math.round(seconds * 1e6) / 1e3,
            correlation_id: localString(res, CORRELATION_LOCAL),
          },
          'request',
        );
      }
    });
    next();
  };
}
