import type { Request, Response } from 'express';
import type { TSchema } from '@sinclair/typebox';
import type { ErrorKind } from '@shop/protos';
import { parseParams, type ParamDefs, type ParsedParams } from './params';

export const HTTP_METHODS = ['get', 'post', 'delete'] as const;
export type HttpMethod = (typeof HTTP_METHODS)[number];

export interface ResponseHeader {
  description: string;
  schema: TSchema;
}

/** A request header an operation reads. */
export interface HeaderParam {
  name: string;
  description: string;
  schema: TSchema;
}

/** One answer an operation may give: with a JSON body, or without (`body` absent). */
export interface ResponseSpec {
  description: string;
  body?: TSchema;
  /** Not JSON: e.g. `text/html` for the API reference. */
  contentType?: string;
  headers?: Readonly<Record<string, ResponseHeader>>;
}

/**
 * One route, described once: Express routes it, its parameters are parsed by it, and the OpenAPI
 * description and the README's API table are built from it.
 */
export interface OperationSpec<P extends ParamDefs = ParamDefs> {
  method: HttpMethod;
  /** OpenAPI's template: `/users/find/{user_id}`. Matched case-sensitively, without a trailing slash. */
  path: string;
  operationId: string;
  tag: string;
  summary: string;
  description?: string;
  params: P;
  /** Optional request headers it reads. */
  headers?: readonly HeaderParam[];
  /** The answers other than refusals, by status. */
  responses: Readonly<Record<number, ResponseSpec>>;
  /** The refusals it may answer with, besides those every operation of its kind has. */
  errors: readonly ErrorKind[];
  /** Changes state: takes `Idempotency-Key`. */
  mutating: boolean;
  /**
   * The request body it reads, by media type; without it the operation takes none, and a request that
   * carries one is refused before it does anything (a body that broke halfway must not leave a change).
   */
  requestBody?: { description: string; contentTypes: readonly string[] };
  /**
   * A 2xx body field holding an id that other operations take as the path parameter of the same name
   * (`user_id` from /users/create): the description links them, so a client or fuzzer can chain them.
   */
  creates?: string;
}

export interface Operation extends OperationSpec {
  handle(req: Request, res: Response): Promise<void> | void;
}

/** An operation whose handler gets its parameters parsed; the first bad one is a 400. */
export function operation<P extends ParamDefs>(
  spec: OperationSpec<P>,
  handle: (params: ParsedParams<P>, req: Request, res: Response) => Promise<void> | void,
): Operation {
  // Every operation checks its request (parameters, headers, body), so every one may answer 400.
  const errors = spec.errors.includes('BAD_REQUEST') ? spec.errors : [...spec.errors, 'BAD_REQUEST' as const];
  return { ...spec, errors, handle: (req, res) => handle(parseParams(spec.params, req), req, res) };
}
