import type { ReplyResult, UserCommand, UserView } from '@shop/protos';
import { fitsSum, isNonNegativeQuantity, isPositiveQuantity } from '../limits';
import { refusal } from '../requester';

/** The commands that change nothing: their replies may skip the checkpoint (READ_REPLIES=fast). */
export function isUserRead(command: UserCommand['command']): boolean {
  return command.kind === 'find' || command.kind === 'payment_status';
}

/** A user's state: credit, and what it paid per order so that a payment can be refunded. */
export interface UserState {
  credit: number;
  payments: Record<string, number>;
}

export interface UserDecision {
  state: UserState | undefined;
  result: ReplyResult;
  /** Set when a refund must tell the order it is no longer paid. */
  cancelledOrderId?: string;
}

/** What the user paid for an order; own keys only, so an id like `constructor` is just an id. */
function paidFor(state: UserState, orderId: string): number | undefined {
  return Object.hasOwn(state.payments, orderId) ? state.payments[orderId] : undefined;
}

function view(userId: string, state: UserState): ReplyResult {
  const user: UserView = { user_id: userId, credit: state.credit };
  return { kind: 'user', value: user };
}

/** Applies one command to a user. A refusal leaves the state exactly as it was. */
export function decideUser(
  userId: string,
  state: UserState | undefined,
  command: UserCommand['command'],
): UserDecision {
  const unchanged = (result: ReplyResult): UserDecision => ({ state, result });

  if (command.kind === 'create') {
    const { credit, reset } = command.value;
    if (state && !reset) return unchanged(refusal('ALREADY_EXISTS', `user ${userId} already exists`));
    if (!isNonNegativeQuantity(credit))
      return unchanged(refusal('BAD_REQUEST', 'credit must be a non-negative integer'));
    return { state: { credit, payments: {} }, result: { kind: 'user_created', value: { user_id: userId } } };
  }
  if (!state) return unchanged(refusal('USER_NOT_FOUND', `user ${userId} not found`));

  switch (command.kind) {
    case 'find':
      return unchanged(view(userId, state));
    case 'remove':
      return { state: undefined, result: { kind: 'success', value: { count: 0 } } };
    case 'add_credit': {
      const { amount } = command.value;
      if (!isPositiveQuantity(amount))
        return unchanged(refusal('BAD_REQUEST', 'amount must be a positive integer'));
      if (!fitsSum(state.credit, amount))
        return unchanged(refusal('LIMIT_EXCEEDED', 'credit would exceed the maximum'));
      const next = { ...state, credit: state.credit + amount };
      return { state: next, result: view(userId, next) };
    }
    case 'subtract_credit':
    case 'pay': {
      const amount = command.value.amount;
      const orderId = command.kind === 'pay' ? command.value.order_id : '';
      if (!isPositiveQuantity(amount))
        return unchanged(refusal('BAD_REQUEST', 'amount must be a positive integer'));
      if (state.credit < amount) {
        return unchanged(
          refusal('INSUFFICIENT_CREDIT', `user ${userId} has ${state.credit} credit, needs ${amount}`),
        );
      }
      const paidBefore = orderId ? paidFor(state, orderId) : undefined;
      if (paidBefore !== undefined && !fitsSum(paidBefore, amount)) {
        return unchanged(refusal('LIMIT_EXCEEDED', `payments for order ${orderId} would exceed the maximum`));
      }
      const payments = orderId
        ? { ...state.payments, [orderId]: (paidBefore ?? 0) + amount }
        : state.payments;
      const next = { credit: state.credit - amount, payments };
      return { state: next, result: view(userId, next) };
    }
    case 'cancel_payment': {
      const orderId = command.value.order_id;
      const paid = paidFor(state, orderId);
      if (paid === undefined) {
        return unchanged(refusal('PAYMENT_NOT_FOUND', `user ${userId} made no payment for order ${orderId}`));
      }
      // Credit added since the payment may leave no room for the refund; it is refused, not rounded.
      if (!fitsSum(state.credit, paid)) {
        return unchanged(refusal('LIMIT_EXCEEDED', 'credit would exceed the maximum after the refund'));
      }
      const payments = Object.fromEntries(Object.entries(state.payments).filter(([id]) => id !== orderId));
      const next = { credit: state.credit + paid, payments };
      return { state: next, result: view(userId, next), cancelledOrderId: orderId };
    }
    case 'payment_status':
      return unchanged({
        kind: 'payment_status',
        value: { paid: paidFor(state, command.value.order_id) !== undefined },
      });
  }
}
