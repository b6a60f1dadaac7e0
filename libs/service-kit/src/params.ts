import type { Request } from 'express';
import { validate as isUuid } from 'uuid';
import { MAX_QUANTITY } from '@shop/protos';
import { badRequest } from './shop-error';

const DECIMAL_ID = /^(0|[1-9][0-9]{0,15})$/;
const POSITIVE = /^[1-9][0-9]*$/;
const NON_NEGATIVE = /^(0|[1-9][0-9]*)$/;

function param(req: Request, name: string): string {
  const value = req.params[name];
  if (typeof value !== 'string' || value === '') throw badRequest(`missing ${name}`);
  return value;
}

/** An entity id: a UUID, or the decimal ids ("0", "1", ...) that batch_init creates. */
export function entityId(req: Request, name: string): string {
  const value = param(req, name);
  if (!isUuid(value) && !DECIMAL_ID.test(value)) {
    throw badRequest(`${name} must be a UUID or a decimal id, got "${value}"`);
  }
  return value.toLowerCase();
}

function integer(req: Request, name: string, pattern: RegExp, what: string, max: number): number {
  const raw = param(req, name);
  const value = Number(raw);
  if (!pattern.test(raw) || !Number.isSafeInteger(value) || value > max) {
    throw badRequest(`${name} must be ${what} no larger than ${max}, got "${raw}"`);
  }
  return value;
}

/** A positive integer amount of money or stock, or a quantity. */
export function positiveInt(req: Request, name: string, max: number = MAX_QUANTITY): number {
  return integer(req, name, POSITIVE, 'a positive integer', max);
}

export function nonNegativeInt(req: Request, name: string, max: number = MAX_QUANTITY): number {
  return integer(req, name, NON_NEGATIVE, 'a non-negative integer', max);
}
