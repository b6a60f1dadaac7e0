import { v4 as uuid } from 'uuid';
import { BatchCommandCodec, batchKey, MAX_BATCH, Topics, UserCommandCodec } from '@shop/protos';
import {
  BatchDone,
  PaymentStatus,
  User,
  UserCreated,
  commandRoutes,
  entityIdParam,
  nonNegativeIntParam,
  positiveIntParam,
  type Ingress,
  type Operation,
} from '@shop/service-kit';

const userId = { user_id: entityIdParam('the user who pays') };
const orderId = { order_id: entityIdParam('the order paid for') };
const amount = { amount: positiveIntParam('how much, in the smallest unit of money') };

/** `/payment/*`: the same shop/user entities as /users, seen as payment accounts, on the payments topic. */
export function paymentsApi(ingress: Ingress): Operation[] {
  const route = commandRoutes(ingress, 'payment');
  const users = { topic: Topics.payments, codec: UserCommandCodec };
  const batch = { topic: Topics.batch, codec: BatchCommandCodec };
  const pay = (user_id: string, order_id: string, amount: number) =>
    ({ key: user_id, command: { kind: 'pay', value: { order_id, amount } } }) as const;
  return [
    route(users, {
      method: 'post',
      path: '/payment/create_user',
      operationId: 'createPaymentUser',
      summary: 'Create a user with 0 credit',
      params: {},
      success: { status: 201, body: UserCreated },
      errors: [],
      creates: 'user_id',
      command: () => ({ key: uuid(), command: { kind: 'create', value: { credit: 0, reset: false } } }),
    }),
    route(users, {
      method: 'get',
      path: '/payment/find_user/{user_id}',
      operationId: 'findPaymentUser',
      summary: 'A user and their credit',
      params: userId,
      success: { status: 200, body: User },
      errors: ['USER_NOT_FOUND'],
      command: ({ user_id }) => ({ key: user_id, command: { kind: 'find', value: {} } }),
    }),
    route(users, {
      method: 'post',
      path: '/payment/add_funds/{user_id}/{amount}',
      operationId: 'addFunds',
      summary: "Add to a user's credit",
      params: { ...userId, ...amount },
      success: { status: 200, body: User },
      errors: ['USER_NOT_FOUND', 'LIMIT_EXCEEDED'],
      command: ({ user_id, amount }) => ({
        key: user_id,
        command: { kind: 'add_credit', value: { amount } },
      }),
    }),
    route(users, {
      method: 'post',
      path: '/payment/pay/{user_id}/{amount}',
      operationId: 'pay',
      summary: 'Take a payment from a user, for no order',
      params: { ...userId, ...amount },
      success: { status: 200, body: User },
      errors: ['USER_NOT_FOUND', 'INSUFFICIENT_CREDIT', 'LIMIT_EXCEEDED'],
      command: ({ user_id, amount }) => pay(user_id, '', amount),
    }),
    route(users, {
      method: 'post',
      path: '/payment/pay/{user_id}/{order_id}/{amount}',
      operationId: 'payForOrder',
      summary: 'Take a payment from a user for an order',
      params: { ...userId, ...orderId, ...amount },
      success: { status: 200, body: User },
      errors: ['USER_NOT_FOUND', 'INSUFFICIENT_CREDIT', 'LIMIT_EXCEEDED'],
      command: ({ user_id, order_id, amount }) => pay(user_id, order_id, amount),
    }),
    route(users, {
      method: 'post',
      path: '/payment/cancel/{user_id}/{order_id}',
      operationId: 'cancelPayment',
      summary: 'Refund what a user paid for an order',
      params: { ...userId, ...orderId },
      success: { status: 200, body: User },
      errors: ['USER_NOT_FOUND', 'PAYMENT_NOT_FOUND', 'LIMIT_EXCEEDED'],
      command: ({ user_id, order_id }) => ({
        key: user_id,
        command: { kind: 'cancel_payment', value: { order_id } },
      }),
    }),
    route(users, {
      method: 'get',
      path: '/payment/status/{user_id}/{order_id}',
      operationId: 'paymentStatus',
      summary: 'Whether a user has paid for an order',
      params: { ...userId, ...orderId },
      success: { status: 200, body: PaymentStatus },
      errors: ['USER_NOT_FOUND'],
      command: ({ user_id, order_id }) => ({
        key: user_id,
        command: { kind: 'payment_status', value: { order_id } },
      }),
    }),
    route(batch, {
      method: 'post',
      path: '/payment/batch_init/{n}/{starting_money}',
      operationId: 'batchInitUsers',
      summary: 'Create or reset users "0" … "n-1", each with the same credit',
      params: {
        n: nonNegativeIntParam('how many users', MAX_BATCH),
        starting_money: nonNegativeIntParam('the credit each starts with'),
      },
      success: { status: 200, body: BatchDone },
      errors: ['BATCH_RUNNING'],
      command: ({ n, starting_money }) => ({
        key: batchKey('users'),
        command: { kind: 'users', value: { n, starting_money } },
      }),
    }),
  ];
}
