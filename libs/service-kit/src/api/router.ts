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

/** Refuses a request with a body on a route that takes none, before the route does anything. */
const noBody: RequestHandler = (req, res, next) => {
  if (!hasBody(req)) {
    next();
    return;
  }
  res
    .status(ErrorCodes.BAD_REQUEST.status)
    .set('Connection', 'close')
    .json({
      error: `${req.method} ${req.path} takes no request body; send the request without one`,
      code: ErrorCodes.BAD_REQUEST.code,
    });
};

/**
 * The operations as one Express router: paths are case-sensitive and a trailing slash is another path
 * (so 404). A known path asked with another method answers 405 with `Allow`; OPTIONS answers 204 with it.
 * That check comes after the routes, so a routed request never pays for it.
 */
export function operationsRouter(operations: readonly Operation[]): Router {
  const router = Router({ caseSensitive: true, strict: true });
  for (const op of operations) {
    const path = expressPath(op.path);
    // The template is noted first, so that a refusal of the body is counted under its route too.
    const routed: RequestHandler = (_req, res, next) => {
      noteRoute(res, op.path);
      next();
    };
    if (op.requestBody) router[op.method](path, routed, op.handle);
    else router[op.method](path, routed, noBody, op.handle);
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
