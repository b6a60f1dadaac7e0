import { Router, type Request, type RequestHandler, type Response } from 'express';
import { ErrorCodes } from '@shop/protos';
import { noteRoute } from '@shop/observability';
import type { Operation } from './operation';

/** A path template as the regular expression that matches it: `{name}` is one non-empty segment. */
export function templateRegExp(template: string): RegExp {
  const source = template
    .split(/(\{[^}]+\})/)
    .map((part) => (part.startsWith('{') ? '([^/]+)' : part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
    .join('');
  return new RegExp(`^${source}$`);
}

/** `/users/find/{user_id}` as Express writes it: `/users/find/:user_id`. */
export const expressPath = (template: string): string => template.replace(/\{([^}]+)\}/g, ':$1');

/** The methods a request path is routed for, in upper case; HEAD comes with GET. Empty: unknown path. */
function allowedMethods(operations: readonly Operation[]): (path: string) => Set<string> {
  const templates = operations.map((op) => ({ matches: templateRegExp(op.path), method: op.method }));
  return (path) => {
    const methods = new Set<string>();
    for (const t of templates) {
      if (!t.matches.test(path)) continue;
      methods.add(t.method.toUpperCase());
      if (t.method === 'get') methods.add('HEAD');
    }
    return methods;
  };
}

/** Whether the request carries a body: a non-zero Content-Length, or any Transfer-Encoding. */
function hasBody(req: Request): boolean {
  return req.headers['transfer-encoding'] !== undefined || Number(req.headers['content-length'] ?? 0) > 0;
}

/** Refuses a request with a body on a route that takes none. */
function refuseBody(req: Request, res: Response): void {
  res
    .status(ErrorCodes.BAD_REQUEST.status)
    .set('Connection', 'close')
    .json({
      error: `${req.method} ${req.path} takes no request body; send the request without one`,
      code: ErrorCodes.BAD_REQUEST.code,
    });
}

/**
 * An operation as its route's one handler: notes the route template (for the request's log line and
 * metrics, a refusal included) and refuses a body the operation takes none of, before it does anything.
 * One handler rather than a chain, as every step of a chain costs a dispatch on the request path.
 */
function routeHandler(op: Operation): RequestHandler {
  return (req, res) => {
    noteRoute(res, op.path);
    if (!op.requestBody && hasBody(req)) {
      refuseBody(req, res);
      return;
    }
    return op.handle(req, res);
  };
}

/**
 * The operations as one Express router: paths are case-sensitive and a trailing slash is another path
 * (so 404). A known path asked with another method answers 405 with `Allow`; OPTIONS answers 204 with it.
 * That check comes after the routes, so a routed request never pays for it.
 */
export function operationsRouter(operations: readonly Operation[]): Router {
  const router = Router({ caseSensitive: true, strict: true });
  for (const op of operations) {
    router[op.method](expressPath(op.path), routeHandler(op));
  }
  const allowedFor = allowedMethods(operations);
  router.use((req: Request, res: Response, next) => {
    const methods = allowedFor(req.path);
    if (methods.size === 0 || methods.has(req.method)) {
      next();
      return;
    }
    const allow = [...methods, 'OPTIONS'].join(', ');
    res.set('Allow', allow);
    if (req.method === 'OPTIONS') {
      res.status(204).end();
      return;
    }
    res.status(ErrorCodes.METHOD_NOT_ALLOWED.status).json({
      error: `${req.method} is not allowed on ${req.path}: it allows ${allow}`,
      code: ErrorCodes.METHOD_NOT_ALLOWED.code,
    });
  });
  return router;
}
