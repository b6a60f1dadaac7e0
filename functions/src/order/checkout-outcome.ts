import { ErrorCodes } from '@shop/protos';
import type { OrderDecision, OrderInput, OrderState } from './order-domain';

/**
 * How a checkout saga ended, as `shop_checkout_outcomes_total{result}` counts it:
 * - `paid`: every item reserved, the user charged;
 * - `rejected_stock`: an item had too little stock; what was reserved is released;
 * - `rejected_credit`: the user's credit was short; every reservation is released;
 * - `rejected_other`: a reservation failed otherwise (an item gone, an unexpected reply);
 * - `rolled_back`: the payment failed otherwise (the user gone, an unexpected reply), reservations released.
 */
export type CheckoutOutcome =
  'paid' | 'rejected_stock' | 'rejected_credit' | 'rejected_other' | 'rolled_back';

export interface EndedCheckout {
  outcome: CheckoutOutcome;
  /** The correlation ID of the checkout request: the gateway's, for a checkout from the REST API. */
  correlationId: string;
  /** Why it was not paid: the refusal's code and message. */
  reason?: { code: string; message: string };
}

/**
 * The checkout this decision ended, if any: a reply that completed the reserve step (all items answered)
 * or the charge step. Its answer to the checkout's requester is the decision's first reply, since the
 * reply is applied before any queued command.
 */
export function endedCheckout(
  before: OrderState | undefined,
  input: OrderInput,
  decision: OrderDecision,
): EndedCheckout | undefined {
  const step = before?.step;
  if (input.kind !== 'reply' || !step || (step.kind !== 'reserve' && step.kind !== 'charge'))
    return undefined;
  const answer = decision.replies[0];
  if (!answer || answer.to.correlation_id !== step.requester.correlation_id) return undefined;
  const correlationId = step.requester.correlation_id;
  const result = answer.result;
  if (result.kind !== 'error') return { outcome: 'paid', correlationId };
  const reason = { code: result.value.code, message: result.value.message };
  if (step.kind === 'reserve') {
    const outcome = reason.code === ErrorCodes.OUT_OF_STOCK.code ? 'rejected_stock' : 'rejected_other';
    return { outcome, correlationId, reason };
  }
  const outcome = reason.code === ErrorCodes.INSUFFICIENT_CREDIT.code ? 'rejected_credit' : 'rolled_back';
  return { outcome, correlationId, reason };
}
