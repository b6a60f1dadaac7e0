import { createRequestReplyHandler, type StatefulFunction } from '@shop/statefun';
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

/** The request-reply handler for every shop function: what both runtimes call. */
export const createShopHandler = () => createRequestReplyHandler(shopFunctions);

export { decideUser, type UserState } from './user/user-domain';
export { decideItem, type ItemState } from './item/item-domain';
export { decideOrder, type OrderState } from './order/order-domain';
export { decideBatch, type BatchState } from './batch/batch-domain';
