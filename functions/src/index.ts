import { createRequestReplyHandler, type RequestReplyHandler, type StatefulFunction } from '@shop/statefun';
import type { FunctionObservers } from './function-metrics';
import { reportFunctionEvents } from './telemetry';
import { batchFunction } from './batch/batch-function';
import { greeterFunction } from './example/greeter-function';
import { httpForwarderFunction } from './http-forwarder/forwarder-function';
import { itemFunction } from './item/item-function';
import { orderFunction } from './order/order-function';
import { userFunction } from './user/user-function';

export const shopFunctions: readonly StatefulFunction[] = [
  userFunction,
  itemFunction,
  orderFunction,
  batchFunction,
  // The HTTP ingress's paired egress (egress/*), and the example function only the ingress reaches.
  httpForwarderFunction,
  greeterFunction,
];

export interface ShopHandlerOptions {
  /** Where the functions' metrics go, and where their lines go: refusals, checkouts, batches at debug. */
  observers?: FunctionObservers;
}

/** The request-reply handler for every shop function: what both runtimes call. */
export function createShopHandler(options: ShopHandlerOptions = {}): RequestReplyHandler {
  const { observers } = options;
  if (!observers) return createRequestReplyHandler(shopFunctions);
  reportFunctionEvents(observers.events);
  return createRequestReplyHandler(shopFunctions, (batch) => observers.batch(batch));
}

export { functionObservers, CHECKOUT_OUTCOMES, type FunctionObservers } from './function-metrics';
export { reportFunctionEvents, type FunctionEvents } from './telemetry';
export { endedCheckout, type CheckoutOutcome, type EndedCheckout } from './order/checkout-outcome';

export { decideUser, type UserState } from './user/user-domain';
export { decideItem, type ItemState } from './item/item-domain';
export { decideOrder, type OrderState } from './order/order-domain';
export { decideBatch, type BatchState } from './batch/batch-domain';
