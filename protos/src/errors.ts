// Every refusal the shop can answer with: a stable code, the HTTP status it maps to, and whether
// retrying the same request can ever succeed. Functions reply with these codes (a refusal is a reply,
// never a throw: a throw makes StateFun retry); the gateway maps them to HTTP here, in one place.

export const ErrorCodes = {
  BAD_REQUEST: { code: 'SHOP_ERR_BAD_REQUEST', status: 400, retriable: false },
  ROUTE_NOT_FOUND: { code: 'SHOP_ERR_ROUTE_NOT_FOUND', status: 404, retriable: false },
  METHOD_NOT_ALLOWED: { code: 'SHOP_ERR_METHOD_NOT_ALLOWED', status: 405, retriable: false },
  USER_NOT_FOUND: { code: 'SHOP_ERR_USER_NOT_FOUND', status: 404, retriable: false },
  ITEM_NOT_FOUND: { code: 'SHOP_ERR_ITEM_NOT_FOUND', status: 404, retriable: false },
  ORDER_NOT_FOUND: { code: 'SHOP_ERR_ORDER_NOT_FOUND', status: 404, retriable: false },
  ITEM_NOT_IN_ORDER: { code: 'SHOP_ERR_ITEM_NOT_IN_ORDER', status: 404, retriable: false },
  PAYMENT_NOT_FOUND: { code: 'SHOP_ERR_PAYMENT_NOT_FOUND', status: 404, retriable: false },
  REPLY_NOT_FOUND: { code: 'SHOP_ERR_REPLY_NOT_FOUND', status: 404, retriable: false },
  FUNCTION_NOT_FOUND: { code: 'SHOP_ERR_FUNCTION_NOT_FOUND', status: 404, retriable: false },
  UNSUPPORTED_TYPE: { code: 'SHOP_ERR_UNSUPPORTED_TYPE', status: 415, retriable: false },
  REQUEST_LOST: { code: 'SHOP_ERR_REQUEST_LOST', status: 410, retriable: true },
  ALREADY_EXISTS: { code: 'SHOP_ERR_ALREADY_EXISTS', status: 409, retriable: false },
  INSUFFICIENT_CREDIT: { code: 'SHOP_ERR_INSUFFICIENT_CREDIT', status: 409, retriable: true },
  OUT_OF_STOCK: { code: 'SHOP_ERR_OUT_OF_STOCK', status: 409, retriable: true },
  ORDER_PAID: { code: 'SHOP_ERR_ORDER_PAID', status: 409, retriable: false },
  ORDER_EMPTY: { code: 'SHOP_ERR_ORDER_EMPTY', status: 409, retriable: false },
  CHECKOUT_IN_PROGRESS: { code: 'SHOP_ERR_CHECKOUT_IN_PROGRESS', status: 409, retriable: true },
  LIMIT_EXCEEDED: { code: 'SHOP_ERR_LIMIT_EXCEEDED', status: 409, retriable: false },
  CORRELATION_ID_IN_USE: { code: 'SHOP_ERR_CORRELATION_ID_IN_USE', status: 409, retriable: false },
  IDEMPOTENT_REQUEST_IN_PROGRESS: {
    code: 'SHOP_ERR_IDEMPOTENT_REQUEST_IN_PROGRESS',
    status: 409,
    retriable: true,
  },
  IDEMPOTENCY_KEY_REUSED: { code: 'SHOP_ERR_IDEMPOTENCY_KEY_REUSED', status: 422, retriable: false },
  PAYLOAD_TOO_LARGE: { code: 'SHOP_ERR_PAYLOAD_TOO_LARGE', status: 413, retriable: false },
  URI_TOO_LONG: { code: 'SHOP_ERR_URI_TOO_LONG', status: 414, retriable: false },
  EXPECTATION_FAILED: { code: 'SHOP_ERR_EXPECTATION_FAILED', status: 417, retriable: false },
  HEADERS_TOO_LARGE: { code: 'SHOP_ERR_HEADERS_TOO_LARGE', status: 431, retriable: false },
  // Another batch_init of the same kind (users, items, orders) is still running: retry once it is done.
  BATCH_RUNNING: { code: 'SHOP_ERR_BATCH_RUNNING', status: 409, retriable: true },
  UNAVAILABLE: { code: 'SHOP_ERR_UNAVAILABLE', status: 503, retriable: true },
} as const;

export type ErrorKind = keyof typeof ErrorCodes;
export type ErrorCode = (typeof ErrorCodes)[ErrorKind]['code'];

const statusByCode = new Map<string, number>(Object.values(ErrorCodes).map((e) => [e.code, e.status]));

/** The HTTP status of an error code; an unknown code is the server's fault. */
export function httpStatusOf(code: string): number {
  return statusByCode.get(code) ?? 500;
}

/** Largest amount of money or stock the shop holds: every sum stays an exact JS integer. */
export const MAX_QUANTITY = Number.MAX_SAFE_INTEGER;

/** The largest n one batch_init may ask for. */
export const MAX_BATCH = 1_000_000;
