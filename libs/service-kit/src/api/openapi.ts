import { Type, type TSchema } from '@sinclair/typebox';
import { ErrorCodes, type ErrorKind } from '@shop/protos';
import { ErrorBody } from './bodies';
import { operation, type Operation, type ResponseSpec } from './operation';

/** The parts of an OpenAPI 3.1 document this project writes; plain JSON once serialised. */
export interface OpenApiDocument {
  openapi: '3.1.0';
  info: { title: string; version: string; description: string };
  servers?: { url: string; description?: string }[];
  tags: { name: string; description: string }[];
  paths: Record<string, Record<string, OpenApiOperation>>;
}

interface OpenApiOperation {
  operationId: string;
  tags: string[];
  summary: string;
  description?: string;
  parameters: OpenApiParameter[];
  requestBody?: unknown;
  responses: Record<string, OpenApiResponse>;
}

interface OpenApiParameter {
  name: string;
  in: 'path' | 'header';
  required: boolean;
  description: string;
  schema: TSchema;
}

interface OpenApiResponse {
  description: string;
  headers?: Record<string, { description: string; schema: TSchema }>;
  content?: Record<string, { schema: TSchema }>;
  links?: Record<string, { operationId: string; parameters: Record<string, string> }>;
}

export interface DocumentInfo {
  title: string;
  version: string;
  description: string;
  tags: { name: string; description: string }[];
  servers?: { url: string; description?: string }[];
}

/** The error body of one status, its `code` narrowed to the refusals that status stands for here. */
function errorResponse(kinds: readonly ErrorKind[]): OpenApiResponse {
  const codes = [...new Set(kinds.map((kind) => ErrorCodes[kind].code))].sort();
  return {
    description: codes.join(', '),
    content: {
      'application/json': {
        schema: {
          ...ErrorBody,
          properties: { ...ErrorBody.properties, code: { type: 'string', enum: codes } },
        },
      },
    },
  };
}

function response(spec: ResponseSpec): OpenApiResponse {
  const out: OpenApiResponse = { description: spec.description };
  if (spec.headers) {
    out.headers = Object.fromEntries(
      Object.entries(spec.headers).map(([name, h]) => [
        name,
        { description: h.description, schema: h.schema },
      ]),
    );
  }
  if (spec.body) out.content = { [spec.contentType ?? 'application/json']: { schema: spec.body } };
  return out;
}

/**
 * Links from each operation that creates an entity to every operation that takes its id as a path
 * parameter of the same name: the chain a client (or a fuzzer's stateful phase) follows.
 */
function linksFrom(op: Operation, all: readonly Operation[]): OpenApiResponse['links'] {
  const field = op.creates;
  if (field === undefined) return undefined;
  const targets = all.filter((other) => other !== op && field in other.params);
  if (targets.length === 0) return undefined;
  return Object.fromEntries(
    targets.map((t) => [
      t.operationId,
      { operationId: t.operationId, parameters: { [field]: `$response.body#/${field}` } },
    ]),
  );
}

/** The OpenAPI 3.1 description of `operations`: what GET /openapi.json serves. */
export function openApiDocument(operations: readonly Operation[], info: DocumentInfo): OpenApiDocument {
  const paths: OpenApiDocument['paths'] = {};
  for (const op of operations) {
    const responses: Record<string, OpenApiResponse> = {};
    for (const [status, spec] of Object.entries(op.responses)) responses[status] = response(spec);
    const created = Object.keys(op.responses).find((status) => status.startsWith('2') && status !== '202');
    const links = linksFrom(op, operations);
    if (links && created) responses[created] = { ...responses[created], links };
    const byStatus = new Map<number, ErrorKind[]>();
    for (const kind of op.errors) {
      const status = ErrorCodes[kind].status;
      byStatus.set(status, [...(byStatus.get(status) ?? []), kind]);
    }
    for (const [status, kinds] of byStatus) responses[String(status)] = errorResponse(kinds);
    const parameters: OpenApiParameter[] = [
      ...Object.entries(op.params).map(([name, param]) => ({
        name,
        in: 'path' as const,
        required: true,
        description: param.description,
        schema: param.schema,
      })),
      ...(op.headers ?? []).map((h) => ({ in: 'header' as const, required: false, ...h })),
    ];
    const entry: OpenApiOperation = {
      operationId: op.operationId,
      tags: [op.tag],
      summary: op.summary,
      ...(op.description ? { description: op.description } : {}),
      parameters,
      ...(op.requestBody
        ? {
            requestBody: {
              description: op.requestBody.description,
              required: true,
              content: Object.fromEntries(op.requestBody.contentTypes.map((type) => [type, {}])),
            },
          }
        : {}),
      responses,
    };
    paths[op.path] = { ...paths[op.path], [op.method]: entry };
  }
  return {
    openapi: '3.1.0',
    info: { title: info.title, version: info.version, description: info.description },
    ...(info.servers ? { servers: info.servers } : {}),
    tags: info.tags,
    paths,
  };
}

/** `GET <path>`: serves a description, itself described in it. */
export function openApiOperation(
  path: string,
  operationId: string,
  tag: string,
  document: () => OpenApiDocument,
): Operation {
  return operation(
    {
      method: 'get',
      path,
      operationId,
      tag,
      summary: 'This description, OpenAPI 3.1',
      params: {},
      responses: {
        200: { description: 'The OpenAPI document', body: Type.Object({ openapi: Type.Literal('3.1.0') }) },
      },
      errors: [],
      mutating: false,
    },
    (_params, _req, res) => {
      res.json(document());
    },
  );
}
