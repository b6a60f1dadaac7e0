import { ErrorCodes, type ErrorKind } from '@shop/protos';

/** A request the gateway refuses before anything is sent: it maps to the kind's HTTP status. */
export class ShopError extends Error {
  readonly code: string;
  readonly status: number;
  readonly retriable: boolean;

  constructor(kind: ErrorKind, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ShopError';
    this.code = ErrorCodes[kind].code;
    this.status = ErrorCodes[kind].status;
    this.retriable = ErrorCodes[kind].retriable;
  }
}

export const badRequest = (message: string): ShopError => new ShopError('BAD_REQUEST', message);
