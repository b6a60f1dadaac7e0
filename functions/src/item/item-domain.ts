import type { ItemCommand, ReplyResult } from '@shop/protos';
import { fitsSum, isNonNegativeQuantity, isPositiveQuantity } from '../limits';
import { refusal } from '../requester';

/** The commands that change nothing: their replies may skip the checkpoint (READ_REPLIES=fast). */
export function isItemRead(command: ItemCommand['command']): boolean {
  return command.kind === 'find' || command.kind === 'availability';
}

export interface ItemState {
  price: number;
  stock: number;
  /**
   * Units that orders took (reserved, or sold) and may give back. Counted so that stock added by
   * clients always leaves room for them: a release can then never be refused, nor a unit lost.
   */
  held: number;
}

export interface ItemDecision {
  state: ItemState | undefined;
  result: ReplyResult;
}

function stockLevel(itemId: string, state: ItemState): ReplyResult {
  return { kind: 'stock_level', value: { item_id: itemId, stock: state.stock } };
}

/** Applies one command to an item. A refusal leaves the state exactly as it was. */
export function decideItem(
  itemId: string,
  state: ItemState | undefined,
  command: ItemCommand['command'],
): ItemDecision {
  const unchanged = (result: ReplyResult): ItemDecision => ({ state, result });

  if (command.kind === 'create') {
    const { price, stock, reset } = command.value;
    if (state && !reset) return unchanged(refusal('ALREADY_EXISTS', `item ${itemId} already exists`));
    if (!isPositiveQuantity(price))
      return unchanged(refusal('BAD_REQUEST', 'price must be a positive integer'));
    if (!isNonNegativeQuantity(stock))
      return unchanged(refusal('BAD_REQUEST', 'stock must be a non-negative integer'));
    return { state: { price, stock, held: 0 }, result: { kind: 'item_created', value: { item_id: itemId } } };
  }
  if (!state) return unchanged(refusal('ITEM_NOT_FOUND', `item ${itemId} not found`));

  switch (command.kind) {
    case 'find':
      return unchanged({ kind: 'item', value: { item_id: itemId, stock: state.stock, price: state.price } });
    case 'availability':
      return unchanged(stockLevel(itemId, state));
  }

  const { amount } = command.value;
  if (!isPositiveQuantity(amount))
    return unchanged(refusal('BAD_REQUEST', 'amount must be a positive integer'));
  let next: ItemState;
  switch (command.kind) {
    case 'add_stock':
      if (!fitsSum(state.stock + state.held, amount)) {
        return unchanged(refusal('LIMIT_EXCEEDED', 'stock would exceed the maximum'));
      }
      next = { ...state, stock: state.stock + amount };
      break;
    case 'subtract_stock':
    case 'reserve':
      if (state.stock < amount) {
        return unchanged(
          refusal('OUT_OF_STOCK', `item ${itemId} has ${state.stock} in stock, needs ${amount}`),
        );
      }
      next = {
        ...state,
        stock: state.stock - amount,
        held: command.kind === 'reserve' ? state.held + amount : state.held,
      };
      break;
    case 'release':
      // Only a batch_init reset (held back to 0) can leave no room; the unit is then refused, not rounded.
      if (!fitsSum(state.stock, amount)) {
        return unchanged(refusal('LIMIT_EXCEEDED', 'stock would exceed the maximum'));
      }
      next = { ...state, stock: state.stock + amount, held: Math.max(0, state.held - amount) };
      break;
  }
  return { state: next, result: stockLevel(itemId, next) };
}
