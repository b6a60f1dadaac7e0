import type { Type } from './types';

/** How a state value expires (StateFun's ExpirationSpec); absent means it lives as long as the entity. */
export interface Expiration {
  mode: 'after-write' | 'after-invoke';
  afterMillis: number;
}

/** A declared piece of a function's state: the runtime only sends states it has been told about. */
export interface ValueSpec<T> {
  readonly name: string;
  readonly type: Type<T>;
  readonly expiration?: Expiration;
}

const STATE_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * Names StateFun's own request-reply operator keeps per function type ("batch" buffers the messages of
 * an address while a request is in flight): a remote state of the same name clashes with it in Flink's
 * state backend and fails the job.
 */
export const RESERVED_STATE_NAMES: readonly string[] = ['batch', 'request-state'];

export function valueSpec<T>(name: string, type: Type<T>, expiration?: Expiration): ValueSpec<T> {
  if (!STATE_NAME.test(name)) {
    throw new Error(`invalid state name "${name}": use letters, digits and underscores`);
  }
  if (RESERVED_STATE_NAMES.includes(name)) {
    throw new Error(`state name "${name}" is reserved by the StateFun runtime`);
  }
  return expiration ? { name, type, expiration } : { name, type };
}
