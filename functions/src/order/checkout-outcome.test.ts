import { ErrorCodes, type ReplyResult } from '@shop/protos';
import { refusal } from '../requester';
import { endedCheckout } from './checkout-outcome';
import { decideOrder, type OrderInput, type OrderState, type Step } from './order-domain';

const requester = { correlation_id: 'the-checkout' };
const token = 'o1#1';

const orderAt = (status: OrderState['status'], step: Step): OrderState => ({
  user_id: 'u1',
  lines: [
    { item_id: 'i1', quantity: 1, unit_price: 10 },
    { item_id: 'i2', quantity: 1, unit_price: 10 },
  ],
  status,
  step,
  stash: [],
  seq: 1,
});
const charging = orderAt('charging', { kind: 'charge', token, requester });
const reserving = (awaiting: string[]) =>
  orderAt('reserving', { kind: 'reserve', token, requester, awaiting, reserved: [], failure: null });

const reply = (correlation_id: string, result: ReplyResult): OrderInput => ({
  kind: 'reply',
  reply: { correlation_id, result },
});
/** What the order decides for `input`, and the checkout that ended with it. */
const ended = (state: OrderState, input: OrderInput) =>
  endedCheckout(state, input, decideOrder('o1', state, input));

describe('order > checkout outcome', () => {
  it('is paid when the charge succeeds, under the checkout request correlation ID', () => {
    const paid = reply(token, { kind: 'user', value: { user_id: 'u1', credit: 80 } });
    expect(ended(charging, paid)).toEqual({ outcome: 'paid', correlationId: 'the-checkout' });
  });

  it('names a refused charge by its reason: credit, or otherwise rolled back', () => {
    const short = reply(token, refusal('INSUFFICIENT_CREDIT', 'user u1 has 5, needs 20'));
    expect(ended(charging, short)).toEqual({
      outcome: 'rejected_credit',
      correlationId: 'the-checkout',
      reason: { code: ErrorCodes.INSUFFICIENT_CREDIT.code, message: 'user u1 has 5, needs 20' },
    });
    const gone = reply(token, refusal('USER_NOT_FOUND', 'user u1 not found'));
    expect(ended(charging, gone)?.outcome).toBe('rolled_back');
  });

  it('names a failed reservation by its reason once every item has answered', () => {
    const outOfStock = reply(`${token}/i1`, refusal('OUT_OF_STOCK', 'item i1 has 0'));
    expect(ended(reserving(['i1']), outOfStock)?.outcome).toBe('rejected_stock');
    const gone = reply(`${token}/i1`, refusal('ITEM_NOT_FOUND', 'item i1 not found'));
    expect(ended(reserving(['i1']), gone)?.outcome).toBe('rejected_other');
    // One item still to answer: the checkout goes on.
    expect(ended(reserving(['i1', 'i2']), outOfStock)).toBeUndefined();
  });

  it('is nothing for a reply that ends no checkout, or for a command', () => {
    const stale = reply('o1#0', { kind: 'user', value: { user_id: 'u1', credit: 80 } });
    expect(ended(charging, stale)).toBeUndefined();
    const reserved = reply(`${token}/i1`, { kind: 'stock_level', value: { item_id: 'i1', stock: 3 } });
    // The last reservation succeeds: the saga moves on to the charge, it has not ended.
    expect(ended(reserving(['i1']), reserved)).toBeUndefined();
    const command: OrderInput = { kind: 'command', requester, command: { kind: 'checkout', value: {} } };
    expect(ended(charging, command)).toBeUndefined();
  });
});
