import { readFileSync } from 'node:fs';
import path from 'node:path';
import express, { type Router } from 'express';
import request from 'supertest';
import { MemoryBroker } from '@shop/broker';
import { expressPath, type OpenApiDocument } from '@shop/service-kit';
import { MemoryCorrelationStore } from '../correlation/memory-correlation-store';
import { httpIngressRoutes } from '../http-ingress/http-ingress';
import { testGateway } from '../testing';

interface Layer {
  route?: { path: string; methods: Record<string, boolean> };
  handle?: { stack?: Layer[] };
}

/** Every route Express has, as `METHOD /path` in Express's own spelling, however deep its router. */
function expressRoutes(stack: readonly Layer[]): string[] {
  return stack.flatMap((layer) => {
    if (layer.route) {
      const { path: routePath, methods } = layer.route;
      return Object.keys(methods)
        .filter((method) => method !== '_all')
        .map((method) => `${method.toUpperCase()} ${routePath}`);
    }
    return layer.handle?.stack ? expressRoutes(layer.handle.stack) : [];
  });
}

describe('gateway > the OpenAPI description', () => {
  const gateway = testGateway();
  const spec = gateway.openApi;
  const operations = Object.entries(spec.paths).flatMap(([template, methods]) =>
    Object.keys(methods).map((method) => `${method.toUpperCase()} ${template}`),
  );

  it('is OpenAPI 3.1, with one unique operationId per operation', () => {
    expect(spec.openapi).toBe('3.1.0');
    const ids = Object.values(spec.paths).flatMap((methods) =>
      Object.values(methods).map((op) => op.operationId),
    );
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.length).toBe(operations.length);
  });

  it('every Express route is described, and every described operation is routed', () => {
    const router = (gateway.app as unknown as { router: Router & { stack: Layer[] } }).router;
    const routed = expressRoutes(router.stack).sort();
    const described = operations
      .map((op) => {
        const [method, template] = op.split(' ');
        return `${method} ${expressPath(template!)}`;
      })
      .sort();
    expect(routed).toEqual(described);
  });

  it('GET /openapi.json serves it, and GET /docs a page that loads its assets from this process', async () => {
    const served = await request(gateway.app).get('/openapi.json');
    expect(served.status).toBe(200);
    expect(served.body).toEqual(JSON.parse(JSON.stringify(spec)));
    const page = await request(gateway.app).get('/docs');
    expect(page.status).toBe(200);
    expect(page.type).toBe('text/html');
    const assets = [...page.text.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]!);
    expect(assets.length).toBeGreaterThan(0);
    for (const asset of assets) {
      expect(asset.startsWith('/')).toBe(true);
      expect((await request(gateway.app).get(asset)).status).toBe(200);
    }
  });

  it('links each create to the operations that take its id, so clients and fuzzers can chain them', () => {
    const links = spec.paths['/users/create']?.post?.responses['201']?.links ?? {};
    expect(Object.keys(links)).toEqual(expect.arrayContaining(['findUser', 'addCredit', 'createOrder']));
    expect(links.findUser).toEqual({
      operationId: 'findUser',
      parameters: { user_id: '$response.body#/user_id' },
    });
  });

  it("the README's API table lists exactly the described operations", () => {
    const readme = readFileSync(path.join(__dirname, '../../../../README.md'), 'utf8');
    const section = readme.slice(
      readme.indexOf('\n## API\n'),
      readme.indexOf('\n## ', readme.indexOf('\n## API\n') + 1),
    );
    const rows = [...section.matchAll(/^\| `(GET|POST|DELETE) (\/[^`]*)` \|/gm)].map(
      (m) => `${m[1]} ${m[2]}`,
    );
    expect(rows.sort()).toEqual([...operations].sort());
  });
});

describe('gateway > the HTTP ingress description', () => {
  const routes = httpIngressRoutes({
    broker: new MemoryBroker(),
    store: new MemoryCorrelationStore(60_000),
    pathPrefix: 'in',
  });
  const app = express().use(routes);

  it('GET /in/openapi.json describes exactly the routes the ingress has', async () => {
    const served = await request(app).get('/in/openapi.json');
    expect(served.status).toBe(200);
    const spec = served.body as OpenApiDocument;
    expect(spec.openapi).toBe('3.1.0');
    const described = Object.entries(spec.paths)
      .flatMap(([template, methods]) =>
        Object.keys(methods).map((method) => `${method.toUpperCase()} ${expressPath(template)}`),
      )
      .sort();
    expect(expressRoutes((routes as unknown as { stack: Layer[] }).stack).sort()).toEqual(described);
    expect(described).toEqual([
      'GET /in/openapi.json',
      'GET /in/replies/:correlation_id',
      'POST /in/:namespace/:type/:id',
    ]);
  });
});
