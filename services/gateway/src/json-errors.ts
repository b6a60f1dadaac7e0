import type { ErrorRequestHandler } from 'express';
import { ErrorCodes } from '@shop/protos';
import { ShopError } from '@shop/service-kit';

/**
 * The last handler of every gateway router: a refusal becomes its 4xx with `{error, code}`; anything
 * else is the server's fault, reported and answered 500 without its details.
 */
export function jsonErrors(report?: (error: unknown) => void): ErrorRequestHandler {
  return (error: unknown, _req, res, next) => {
    if (res.headersSent) {
      next(error);
      return;
    }
    if (error instanceof ShopError) {
      res.status(error.status).json({ error: error.message, code: error.code });
      return;
    }
    // Express's own refusals (a broken or too large body) carry a 4xx status: the client's mistake.
    const status = (error as { status?: unknown }).status;
    if (typeof status === 'number' && status >= 400 && status < 500) {
      const code = status === 413 ? ErrorCodes.PAYLOAD_TOO_LARGE.code : ErrorCodes.BAD_REQUEST.code;
      res.status(status).json({ error: (error as Error).message, code });
      return;
    }
    report?.(error);
    res.status(500).json({ error: 'internal error', code: 'SHOP_ERR_INTERNAL' });
  };
}
