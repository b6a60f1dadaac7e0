import { v4 as uuid } from 'uuid';
import { BatchCommandCodec, batchKey, MAX_BATCH, OrderCommandCodec, Topics } from '@shop/protos';
import {
  BatchDone,
  Order,
  OrderCreated,
  Success,
  commandRoutes,
  entityIdParam,
  nonNegativeIntParam,
  positiveIntParam,
  type Ingress,
  type Operation,
} from '@shop/service-kit';

const orderId = { order_id: entityIdParam('the order') };
const itemId = { item_id: entityIdParam('the item') };
const CHANGE_ERRORS = ['ORDER_NOT_FOUND', 'ORDER_PAID', 'CHECKOUT_IN_PROGRESS'] as const;

/** `/orders/*`: each call is one command to shop/order, keyed by order id; checkout is a saga inside it. */
export function ordersApi(ingress: Ingress): Operation[] {
  const route = commandRoutes(ingress, 'orders');
  const orders = { topic: Topics.orders, codec: OrderCommandCodec };
  const batch = { topic: Topics.batch, codec: BatchCommandCodec };
  const addItem = (order_id: string, item_id: string, quantity: number) =>
    ({ key: order_id, command: { kind: 'add_item', value: { item_id, quantity } } }) as const;
  return [
    route(orders, {
      method: 'post',
      path: '/orders/create/{user_id}',
      operationId: 'createOrder',
      summary: 'Create an empty order for a user',
      params: { user_id: entityIdParam('who the order is for') },
      success: { status: 201, body: OrderCreated },
      errors: ['USER_NOT_FOUND'],
      creates: 'order_id',
      command: ({ user_id }) => ({ key: uuid(), command: { kind: 'create', value: { user_id } } }),
    }),
    route(orders, {
      method: 'get',
      path: '/orders/find/{order_id}',
      operationId: 'findOrder',
      summary: 'An order: its lines, user, total and whether it is paid',
      params: orderId,
      success: { status: 200, body: Order },
      errors: ['ORDER_NOT_FOUND'],
      command: ({ order_id }) => ({ key: order_id, command: { kind: 'find', value: {} } }),
    }),
    route(orders, {
      method: 'post',
      path: '/orders/addItem/{order_id}/{item_id}',
      operationId: 'addItem',
      summary: 'Add one unit of an item to an order, at its current price',
      params: { ...orderId, ...itemId },
      success: { status: 200, body: Order },
      errors: [...CHANGE_ERRORS, 'ITEM_NOT_FOUND', 'LIMIT_EXCEEDED'],
      command: ({ order_id, item_id }) => addItem(order_id, item_id, 1),
    }),
    route(orders, {
      method: 'post',
      path: '/orders/addItem/{order_id}/{item_id}/{quantity}',
      operationId: 'addItemQuantity',
      summary: 'Add units of an item to an order, at its current price',
      params: { ...orderId, ...itemId, quantity: positiveIntParam('how many units') },
      success: { status: 200, body: Order },
      errors: [...CHANGE_ERRORS, 'ITEM_NOT_FOUND', 'LIMIT_EXCEEDED'],
      command: ({ order_id, item_id, quantity }) => addItem(order_id, item_id, quantity),
    }),
    route(orders, {
      method: 'delete',
      path: '/orders/removeItem/{order_id}/{item_id}',
      operationId: 'removeItem',
      summary: "Remove an item's line from an order",
      params: { ...orderId, ...itemId },
      success: { status: 200, body: Order },
      errors: [...CHANGE_ERRORS, 'ITEM_NOT_IN_ORDER'],
      command: ({ order_id, item_id }) => ({
        key: order_id,
        command: { kind: 'remove_item', value: { item_id } },
      }),
    }),
    route(orders, {
      method: 'delete',
      path: '/orders/remove/{order_id}',
      operationId: 'removeOrder',
      summary: 'Remove an order that is not paid',
      params: orderId,
      success: { status: 200, body: Success },
      errors: [...CHANGE_ERRORS],
      command: ({ order_id }) => ({ key: order_id, command: { kind: 'remove', value: {} } }),
    }),
    route(orders, {
      method: 'post',
      path: '/orders/checkout/{order_id}',
      operationId: 'checkout',
      summary: 'Take the stock and the payment, all or nothing',
      params: orderId,
      success: { status: 200, body: Order },
      errors: [
        ...CHANGE_ERRORS,
        'ORDER_EMPTY',
        'USER_NOT_FOUND',
        'ITEM_NOT_FOUND',
        'INSUFFICIENT_CREDIT',
        'OUT_OF_STOCK',
        'LIMIT_EXCEEDED',
      ],
      command: ({ order_id }) => ({ key: order_id, command: { kind: 'checkout', value: {} } }),
    }),
    route(batch, {
      method: 'post',
      path: '/orders/batch_init/{n}/{n_items}/{n_users}/{item_price}',
      operationId: 'batchInitOrders',
      summary: 'Create or reset orders "0" … "n-1": two random items of "0" … "n_items-1" each, random users',
      params: {
        n: nonNegativeIntParam('how many orders', MAX_BATCH),
        n_items: positiveIntParam('how many items to choose from'),
        n_users: positiveIntParam('how many users to choose from'),
        item_price: positiveIntParam('the unit price of every line'),
      },
      success: { status: 200, body: BatchDone },
      errors: ['BATCH_RUNNING'],
      command: ({ n, n_items, n_users, item_price }) => ({
        key: batchKey('orders'),
        command: { kind: 'orders', value: { n, n_items, n_users, item_price } },
      }),
    }),
  ];
}
