import path from 'node:path';
import express, { type Router } from 'express';
import { Type } from '@sinclair/typebox';
import { openApiOperation, operation, type OpenApiDocument, type Operation } from '@shop/service-kit';

const TAG = 'gateway';
/** Where /docs loads Swagger UI's files from: this process, never a CDN. */
export const DOCS_ASSETS_PATH = '/docs/assets';

/** The page /docs serves: Swagger UI, reading the spec next to it. */
const DOCS_PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>statefun-shop API</title>
<link rel="stylesheet" href="${DOCS_ASSETS_PATH}/swagger-ui.css">
</head>
<body>
<div id="swagger-ui"></div>
<script src="${DOCS_ASSETS_PATH}/swagger-ui-bundle.js"></script>
<script>window.ui = SwaggerUIBundle({ url: '/openapi.json', dom_id: '#swagger-ui', deepLinking: true });</script>
</body>
</html>
`;

/** GET /openapi.json and GET /docs: the description of every route, as JSON and as a reference page. */
export function docsOperations(document: () => OpenApiDocument): Operation[] {
  return [
    openApiOperation('/openapi.json', 'openapi', TAG, document),
    operation(
      {
        method: 'get',
        path: '/docs',
        operationId: 'docs',
        tag: TAG,
        summary: 'The API reference, as a page (Swagger UI, served from this process)',
        params: {},
        responses: { 200: { description: 'An HTML page', body: Type.String(), contentType: 'text/html' } },
        errors: [],
        mutating: false,
      },
      (_params, _req, res) => {
        res.type('html').send(DOCS_PAGE);
      },
    ),
  ];
}

/** Swagger UI's own files, from the swagger-ui-dist package. */
export function docsAssets(): Router {
  const dist = path.dirname(require.resolve('swagger-ui-dist/package.json'));
  const router = express.Router({ caseSensitive: true, strict: true });
  router.use(DOCS_ASSETS_PATH, express.static(dist, { index: false, redirect: false, maxAge: '1h' }));
  return router;
}
