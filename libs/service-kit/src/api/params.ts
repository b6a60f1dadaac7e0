import type { Request } from 'express';
import { Type, type TSchema } from '@sinclair/typebox';
import { MAX_QUANTITY } from '@shop/protos';
import { badRequest } from '../shop-error';

/**
 * One path parameter: its JSON Schema (what the OpenAPI description says) and the parser the route runs
 * (what the server accepts). Both are built from the same pattern and bounds, so they cannot drift apart.
 */
export interface PathParam<T> {
  readonly schema: TSchema;
  readonly description: string;
  parse(raw: string, name: string): T;
}

export type ParamDefs = Readonly<Record<string, PathParam<unknown>>>;
export type ParsedParams<P extends ParamDefs> = {
  [K in keyof P]: P[K] extends PathParam<infer T> ? T : never;
};

/** A UUID in any case, or one of the decimal ids ("0", "1", ...) that batch_init creates. */
export const ENTITY_ID_PATTERN =
  '^(?:[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}|0|[1-9][0-9]{0,15})$';
const ENTITY_ID = new RegExp(ENTITY_ID_PATTERN);
const POSITIVE = /^[1-9][0-9]*$/;
const NON_NEGATIVE = /^(0|[1-9][0-9]*)$/;

/** An entity id; UUIDs are kept in lower case, the one spelling entities are keyed by. */
export function entityIdParam(description: string): PathParam<string> {
  return {
    schema: Type.String({
      pattern: ENTITY_ID_PATTERN,
      examples: ['0', '3f1c2a9e-8b7d-4c6e-9f1a-2b3c4d5e6f70'],
    }),
    description,
    parse(raw, name) {
      if (!ENTITY_ID.test(raw)) throw badRequest(`${name} must be a UUID or a decimal id, got "${raw}"`);
      return raw.toLowerCase();
    },
  };
}

/** Any UUID, in any case: the ids the gateway makes, and the ones clients choose. */
export const UUID_PATTERN = '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$';
const UUID = new RegExp(UUID_PATTERN);
export const isUuid = (value: string): boolean => UUID.test(value);

/** A UUID, kept in lower case. */
export function uuidParam(description: string): PathParam<string> {
  return {
    schema: Type.String({ format: 'uuid', pattern: UUID_PATTERN }),
    description,
    parse(raw, name) {
      if (!UUID.test(raw)) throw badRequest(`${name} must be a UUID, got "${raw}"`);
      return raw.toLowerCase();
    },
  };
}

function integerParam(description: string, min: 0 | 1, max: number): PathParam<number> {
  const pattern = min === 1 ? POSITIVE : NON_NEGATIVE;
  const what = min === 1 ? 'a positive integer' : 'a non-negative integer';
  return {
    // Written as plain decimal digits: no sign, exponent, leading zero or fraction.
    schema: Type.Integer({ minimum: min, maximum: max }),
    description,
    parse(raw, name) {
      const value = Number(raw);
      if (!pattern.test(raw) || !Number.isSafeInteger(value) || value > max) {
        throw badRequest(`${name} must be ${what} no larger than ${max}, got "${raw}"`);
      }
      return value;
    },
  };
}

/** A positive integer amount of money or stock, or a quantity. */
export const positiveIntParam = (description: string, max: number = MAX_QUANTITY): PathParam<number> =>
  integerParam(description, 1, max);

export const nonNegativeIntParam = (description: string, max: number = MAX_QUANTITY): PathParam<number> =>
  integerParam(description, 0, max);

/** The route's parameters, parsed; the first one that is wrong is refused with 400. */
export function parseParams<P extends ParamDefs>(defs: P, req: Request): ParsedParams<P> {
  const out: Record<string, unknown> = {};
  for (const [name, def] of Object.entries(defs)) {
    const raw = req.params[name];
    if (typeof raw !== 'string' || raw === '') throw badRequest(`missing ${name}`);
    out[name] = def.parse(raw, name);
  }
  return out as ParsedParams<P>;
}
