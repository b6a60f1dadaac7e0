import http from 'node:http';
import express, { type Express } from 'express';

/** The body both baselines answer: the shape and size of the shop's `GET /stock/find/{id}` answer. */
export const FIXED_BODY = { item_id: '5b0f7a52-3c8e-4d3b-9a55-2f4ad1c7e901', stock: 100, price: 1 };

/**
 * The limit for any Node front door: a bare `http` server that answers every request with the fixed
 * JSON body, nothing parsed, routed or serialised per request.
 */
export function bareNodeServer(): http.Server {
  const body = Buffer.from(JSON.stringify(FIXED_BODY));
  const headers = { 'content-type': 'application/json; charset=utf-8', 'content-length': body.length };
  return http.createServer((_req, res) => {
    res.writeHead(200, headers);
    res.end(body);
  });
}

/**
 * The ceiling of the framework the shop uses: an Express app set up like the gateway (no ETag, no
 * X-Powered-By) whose `GET /stock/find/:id` answers the fixed body with `res.json`, as the shop does.
 */
export function expressBaseline(): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.get('/stock/find/:item_id', (_req, res) => {
    res.json(FIXED_BODY);
  });
  return app;
}
