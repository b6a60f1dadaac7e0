import { v4 as uuid } from 'uuid';
import { Topics, UserCommandCodec } from '@shop/protos';
import {
  Success,
  User,
  UserCreated,
  commandRoutes,
  entityIdParam,
  positiveIntParam,
  type Ingress,
  type Operation,
} from '@shop/service-kit';

const userId = { user_id: entityIdParam('the user') };
const amount = { amount: positiveIntParam('how much, in the smallest unit of money') };
const find = { kind: 'find', value: {} } as const;

/** `/users/*`: each call is one command to shop/user, keyed by user id, on the users topic. */
export function usersApi(ingress: Ingress): Operation[] {
  const route = commandRoutes(ingress, 'users');
  const users = { topic: Topics.users, codec: UserCommandCodec };
  return [
    route(users, {
      method: 'post',
      path: '/users/create',
      operationId: 'createUser',
      summary: 'Create a user with 0 credit',
      params: {},
      success: { status: 201, body: UserCreated },
      errors: [],
      creates: 'user_id',
      command: () => ({ key: uuid(), command: { kind: 'create', value: { credit: 0, reset: false } } }),
    }),
    route(users, {
      method: 'get',
      path: '/users/find/{user_id}',
      operationId: 'findUser',
      summary: 'A user and their credit',
      params: userId,
      success: { status: 200, body: User },
      errors: ['USER_NOT_FOUND'],
      command: ({ user_id }) => ({ key: user_id, command: find }),
    }),
    route(users, {
      method: 'get',
      path: '/users/credit/{user_id}',
      operationId: 'userCredit',
      summary: "A user's credit (the same answer as find)",
      params: userId,
      success: { status: 200, body: User },
      errors: ['USER_NOT_FOUND'],
      command: ({ user_id }) => ({ key: user_id, command: find }),
    }),
    route(users, {
      method: 'delete',
      path: '/users/remove/{user_id}',
      operationId: 'removeUser',
      summary: 'Remove a user',
      params: userId,
      success: { status: 200, body: Success },
      errors: ['USER_NOT_FOUND'],
      command: ({ user_id }) => ({ key: user_id, command: { kind: 'remove', value: {} } }),
    }),
    route(users, {
      method: 'post',
      path: '/users/credit/add/{user_id}/{amount}',
      operationId: 'addCredit',
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
      path: '/users/credit/subtract/{user_id}/{amount}',
      operationId: 'subtractCredit',
      summary: "Take from a user's credit; never below 0",
      params: { ...userId, ...amount },
      success: { status: 200, body: User },
      errors: ['USER_NOT_FOUND', 'INSUFFICIENT_CREDIT'],
      command: ({ user_id, amount }) => ({
        key: user_id,
        command: { kind: 'subtract_credit', value: { amount } },
      }),
    }),
  ];
}
