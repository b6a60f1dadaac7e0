import {
  MAX_BATCH,
  type BatchCommand,
  type ErrorBody,
  type OrderLine,
  type Reply,
  type ReplyResult,
} from '@shop/protos';
import { isNonNegativeQuantity, isPositiveQuantity } from '../limits';
import type { Decision, Outgoing } from '../outgoing';
import { refusal, type Requester } from '../requester';

/** A batch in flight: how many entities must answer, how many have, and the first refusal. */
export interface BatchState {
  requester: Requester;
  expected: number;
  received: number;
  failure: ErrorBody | null;
}

export type BatchInput =
  | { kind: 'command'; requester: Requester; command: BatchCommand['command'] }
  | { kind: 'reply'; reply: Reply };

export type BatchDecision = Decision<BatchState>;

/** Random integers in [0, n): injected so that tests can pin the orders' random lines. */
export type RandomInt = (n: number) => number;

const ids = (n: number): string[] => Array.from({ length: n }, (_, i) => String(i));

function fanOut(
  command: BatchCommand['command'],
  token: string,
  random: RandomInt,
): Outgoing[] | ReplyResult {
  switch (command.kind) {
    case 'users': {
      const { n, starting_money } = command.value;
      if (!isNonNegativeQuantity(starting_money))
        return refusal('BAD_REQUEST', 'starting_money must be a non-negative integer');
      return ids(n).map((id) => ({
        to: 'user',
        id,
        command: {
          correlation_id: token,
          command: { kind: 'create', value: { credit: starting_money, reset: true } },
        },
      }));
    }
    case 'items': {
      const { n, starting_stock, item_price } = command.value;
      if (!isNonNegativeQuantity(starting_stock))
        return refusal('BAD_REQUEST', 'starting_stock must be a non-negative integer');
      if (!isPositiveQuantity(item_price))
        return refusal('BAD_REQUEST', 'item_price must be a positive integer');
      return ids(n).map((id) => ({
        to: 'item',
        id,
        command: {
          correlation_id: token,
          command: { kind: 'create', value: { price: item_price, stock: starting_stock, reset: true } },
        },
      }));
    }
    case 'orders': {
      const { n, n_items, n_users, item_price } = command.value;
      if (!isPositiveQuantity(n_items) || !isPositiveQuantity(n_users)) {
        return refusal('BAD_REQUEST', 'n_items and n_users must be positive integers');
      }
      if (!isPositiveQuantity(item_price))
        return refusal('BAD_REQUEST', 'item_price must be a positive integer');
      return ids(n).map((id) => {
        const lines: OrderLine[] = [];
        for (let k = 0; k < 2; k++) {
          const itemId = String(random(n_items));
          const line = lines.find((l) => l.item_id === itemId);
          if (line) line.quantity += 1;
          else lines.push({ item_id: itemId, quantity: 1, unit_price: item_price });
        }
        return {
          to: 'order',
          id,
          command: {
            correlation_id: token,
            command: { kind: 'seed', value: { user_id: String(random(n_users)), lines } },
          },
        };
      });
    }
  }
}

/** Starts a batch by messaging every entity, then counts their replies and answers once all are in. */
export function decideBatch(
  batchId: string,
  state: BatchState | undefined,
  input: BatchInput,
  random: RandomInt,
): BatchDecision {
  if (input.kind === 'reply') {
    if (!state || input.reply.correlation_id !== batchId) return { state, replies: [], messages: [] };
    const result = input.reply.result;
    const next: BatchState = {
      ...state,
      received: state.received + 1,
      failure: state.failure ?? (result.kind === 'error' ? result.value : null),
    };
    if (next.received < next.expected) return { state: next, replies: [], messages: [] };
    const final: ReplyResult = next.failure
      ? { kind: 'error', value: next.failure }
      : { kind: 'success', value: { count: next.expected } };
    return { state: undefined, replies: [{ to: next.requester, result: final }], messages: [] };
  }

  const reply = (result: ReplyResult): BatchDecision => ({
    state,
    replies: [{ to: input.requester, result }],
    messages: [],
  });
  if (state) return reply(refusal('ALREADY_EXISTS', `batch ${batchId} is already running`));
  const n = input.command.value.n;
  if (!isNonNegativeQuantity(n) || n > MAX_BATCH)
    return reply(refusal('BAD_REQUEST', `n must be an integer from 0 to ${MAX_BATCH}`));
  const messages = fanOut(input.command, batchId, random);
  if (!Array.isArray(messages)) return reply(messages);
  if (messages.length === 0) return reply({ kind: 'success', value: { count: 0 } });
  return {
    state: { requester: input.requester, expected: messages.length, received: 0, failure: null },
    replies: [],
    messages,
  };
}
