import type { EndedCheckout } from './order/checkout-outcome';

/** What the functions report beyond their replies: refusals and how checkouts ended. */
export interface FunctionEvents {
  /** A refusal sent to the gateway, for the request with this correlation ID. */
  refused(functionType: string, id: string, correlationId: string, code: string, message: string): void;
  checkoutEnded(orderId: string, checkout: EndedCheckout): void;
}

const NONE: FunctionEvents = { refused: () => undefined, checkoutEnded: () => undefined };
let current: FunctionEvents = NONE;

/**
 * Where the functions report from now on. Process-wide, because the functions are module constants
 * that every runtime calls through the same handler; a process runs one shop. Returns the undo.
 */
export function reportFunctionEvents(events: FunctionEvents): () => void {
  const previous = current;
  current = events;
  return () => {
    current = previous;
  };
}

export const functionEvents = (): FunctionEvents => current;
