import { ErrorCodes, type ErrorKind, type ReplyResult, type UserCommand } from '@shop/protos';
import { decideUser, type UserState } from './user-domain';

type Command = UserCommand['command'];

const create = (credit: number, reset = false): Command => ({ kind: 'create', value: { credit, reset } });
const find: Command = { kind: 'find', value: {} };
const remove: Command = { kind: 'remove', value: {} };
const addCredit = (amount: number): Command => ({ kind: 'add_credit', value: { amount } });
const subtractCredit = (amount: number): Command => ({ kind: 'subtract_credit', value: { amount } });
const pay = (order_id: string, amount: number): Command => ({ kind: 'pay', value: { order_id, amount } });
const cancelPayment = (order_id: string): Command => ({ kind: 'cancel_payment', value: { order_id } });
const paymentStatus = (order_id: string): Command => ({ kind: 'payment_status', value: { order_id } });

function errorCode(result: ReplyResult): string {
  if (result.kind !== 'error') throw new Error(`expected an error reply, got ${result.kind}`);
  return result.value.code;
}

/** Asserts a refusal: the given error code, and the very state object it was given back. */
function expectRefused(state: UserState | undefined, command: Command, kind: ErrorKind, id = 'u1'): void {
  const decision = decideUser(id, state, command);
  expect(errorCode(decision.result)).toBe(ErrorCodes[kind].code);
  expect(decision.state).toBe(state);
  expect(decision.cancelledOrderId).toBeUndefined();
}

/** Applies commands in turn, failing on any refusal. */
function run(state: UserState | undefined, ...commands: Command[]): UserState | undefined {
  let current = state;
  for (const command of commands) {
    const decision = decideUser('u1', current, command);
    expect(decision.result.kind).not.toBe('error');
    current = decision.state;
  }
  return current;
}

const userWith = (credit: number, payments: Record<string, number> = {}): UserState => ({ credit, payments });

describe('functions > user > domain', () => {
  describe('create', () => {
    it('creates a new user with the given credit and no payments', () => {
      const decision = decideUser('u1', undefined, create(50));
      expect(decision.state).toEqual({ credit: 50, payments: {} });
      expect(decision.result).toEqual({ kind: 'user_created', value: { user_id: 'u1' } });
      expect(decision.cancelledOrderId).toBeUndefined();
    });

    it('creates a user with zero credit', () => {
      expect(decideUser('u1', undefined, create(0)).state).toEqual({ credit: 0, payments: {} });
    });

    it('refuses to create an existing user, returning the same state object', () => {
      const state = userWith(7, { o1: 3 });
      expectRefused(state, create(100), 'ALREADY_EXISTS');
      const decision = decideUser('u9', state, create(100));
      expect(decision.result).toEqual({
        kind: 'error',
        value: { code: ErrorCodes.ALREADY_EXISTS.code, message: expect.stringContaining('u9') },
      });
      expect(state).toEqual({ credit: 7, payments: { o1: 3 } });
    });

    it('resets an existing user: new credit, payments forgotten', () => {
      const state = userWith(7, { o1: 3 });
      const decision = decideUser('u1', state, create(20, true));
      expect(decision.state).toEqual({ credit: 20, payments: {} });
      expect(decision.result).toEqual({ kind: 'user_created', value: { user_id: 'u1' } });
      expect(state).toEqual({ credit: 7, payments: { o1: 3 } });
    });

    it('resets a missing user just like creating it', () => {
      expect(decideUser('u1', undefined, create(5, true)).state).toEqual({ credit: 5, payments: {} });
    });

    it.each([-1, 1.5, NaN, Infinity, Number.MAX_SAFE_INTEGER + 1])(
      'refuses credit %p as BAD_REQUEST',
      (credit) => {
        expectRefused(undefined, create(credit), 'BAD_REQUEST');
        const existing = userWith(3);
        expectRefused(existing, create(credit, true), 'BAD_REQUEST');
      },
    );

    it('accepts the largest safe credit', () => {
      expect(decideUser('u1', undefined, create(Number.MAX_SAFE_INTEGER)).state?.credit).toBe(
        Number.MAX_SAFE_INTEGER,
      );
    });
  });

  describe('commands on a missing user', () => {
    it.each<[string, Command]>([
      ['find', find],
      ['remove', remove],
      ['add_credit', addCredit(5)],
      ['subtract_credit', subtractCredit(5)],
      ['pay', pay('o1', 5)],
      ['cancel_payment', cancelPayment('o1')],
      ['payment_status', paymentStatus('o1')],
    ])('%s answers USER_NOT_FOUND and keeps the state undefined', (_name, command) => {
      expectRefused(undefined, command, 'USER_NOT_FOUND', 'ghost');
      const result = decideUser('ghost', undefined, command).result;
      expect(result.kind === 'error' && result.value.message).toContain('ghost');
    });
  });

  describe('find and remove', () => {
    it('finds a user: its id and credit, state untouched', () => {
      const state = userWith(42, { o1: 1 });
      const decision = decideUser('u7', state, find);
      expect(decision.result).toEqual({ kind: 'user', value: { user_id: 'u7', credit: 42 } });
      expect(decision.state).toBe(state);
    });

    it('removes a user', () => {
      const decision = decideUser('u1', userWith(42), remove);
      expect(decision.state).toBeUndefined();
      expect(decision.result).toEqual({ kind: 'success', value: { count: 0 } });
    });

    it('a removed user is gone', () => {
      const removed = run(userWith(1), remove);
      expectRefused(removed, find, 'USER_NOT_FOUND');
    });
  });

  describe('add_credit', () => {
    it('adds credit and answers the new view', () => {
      const state = userWith(10, { o1: 4 });
      const decision = decideUser('u1', state, addCredit(5));
      expect(decision.state).toEqual({ credit: 15, payments: { o1: 4 } });
      expect(decision.result).toEqual({ kind: 'user', value: { user_id: 'u1', credit: 15 } });
      expect(state.credit).toBe(10);
    });

    it.each([0, -3, 2.5, NaN, Infinity, Number.MAX_SAFE_INTEGER + 2])(
      'refuses amount %p as BAD_REQUEST',
      (amount) => {
        expectRefused(userWith(10), addCredit(amount), 'BAD_REQUEST');
      },
    );

    it('adds up to exactly Number.MAX_SAFE_INTEGER', () => {
      const state = run(userWith(Number.MAX_SAFE_INTEGER - 5), addCredit(5));
      expect(state?.credit).toBe(Number.MAX_SAFE_INTEGER);
    });

    it('refuses to go beyond Number.MAX_SAFE_INTEGER as LIMIT_EXCEEDED', () => {
      expectRefused(userWith(Number.MAX_SAFE_INTEGER - 5), addCredit(6), 'LIMIT_EXCEEDED');
      expectRefused(userWith(Number.MAX_SAFE_INTEGER), addCredit(1), 'LIMIT_EXCEEDED');
      expectRefused(userWith(1), addCredit(Number.MAX_SAFE_INTEGER), 'LIMIT_EXCEEDED');
      expectRefused(userWith(Number.MAX_SAFE_INTEGER), addCredit(Number.MAX_SAFE_INTEGER), 'LIMIT_EXCEEDED');
    });
  });

  describe('subtract_credit', () => {
    it('subtracts credit without recording a payment', () => {
      const state = userWith(10, { o1: 4 });
      const decision = decideUser('u1', state, subtractCredit(4));
      expect(decision.state).toEqual({ credit: 6, payments: { o1: 4 } });
      expect(decision.result).toEqual({ kind: 'user', value: { user_id: 'u1', credit: 6 } });
    });

    it('may take the credit to exactly zero', () => {
      expect(run(userWith(10), subtractCredit(10))?.credit).toBe(0);
    });

    it('refuses more than the credit as INSUFFICIENT_CREDIT, state identical', () => {
      const state = userWith(10, { o1: 4 });
      expectRefused(state, subtractCredit(11), 'INSUFFICIENT_CREDIT');
      expect(state).toEqual({ credit: 10, payments: { o1: 4 } });
      const result = decideUser('u1', state, subtractCredit(11)).result;
      expect(result.kind === 'error' && result.value.message).toMatch(/10.*11/);
    });

    it.each([0, -1, 0.5, NaN])('refuses amount %p as BAD_REQUEST', (amount) => {
      expectRefused(userWith(10), subtractCredit(amount), 'BAD_REQUEST');
    });
  });

  describe('pay', () => {
    it('takes the amount and records it against the order', () => {
      const decision = decideUser('u1', userWith(100), pay('o1', 30));
      expect(decision.state).toEqual({ credit: 70, payments: { o1: 30 } });
      expect(decision.result).toEqual({ kind: 'user', value: { user_id: 'u1', credit: 70 } });
      expect(decision.cancelledOrderId).toBeUndefined();
    });

    it('sums payments per order and keeps orders apart', () => {
      const state = run(userWith(100), pay('o1', 30), pay('o2', 5), pay('o1', 12));
      expect(state).toEqual({ credit: 53, payments: { o1: 42, o2: 5 } });
    });

    it('without an order id takes the money but records nothing', () => {
      const state = userWith(100, { o1: 1 });
      const decision = decideUser('u1', state, pay('', 30));
      expect(decision.state).toEqual({ credit: 70, payments: { o1: 1 } });
      expect(Object.keys(decision.state!.payments)).toEqual(['o1']);
    });

    it('refuses more than the credit, recording nothing', () => {
      const state = userWith(29, { o2: 1 });
      expectRefused(state, pay('o1', 30), 'INSUFFICIENT_CREDIT');
      expect(state.payments).toEqual({ o2: 1 });
    });

    it.each([0, -5, 1.25])('refuses amount %p as BAD_REQUEST', (amount) => {
      expectRefused(userWith(100), pay('o1', amount), 'BAD_REQUEST');
    });

    it('does not change the state it was given', () => {
      const state = userWith(100, { o1: 1 });
      decideUser('u1', state, pay('o1', 10));
      expect(state).toEqual({ credit: 100, payments: { o1: 1 } });
    });
  });

  describe('cancel_payment', () => {
    it('refunds exactly what the order paid, removes the record and names the order', () => {
      const paid = run(userWith(100), pay('o1', 30), pay('o2', 5), pay('o1', 12))!;
      const decision = decideUser('u1', paid, cancelPayment('o1'));
      expect(decision.state).toEqual({ credit: 95, payments: { o2: 5 } });
      expect(decision.result).toEqual({ kind: 'user', value: { user_id: 'u1', credit: 95 } });
      expect(decision.cancelledOrderId).toBe('o1');
      expect(paid.payments).toEqual({ o1: 42, o2: 5 });
    });

    it('refunds a payment made with credit spent since', () => {
      const state = run(userWith(50), pay('o1', 50), addCredit(3), subtractCredit(3))!;
      const decision = decideUser('u1', state, cancelPayment('o1'));
      expect(decision.state).toEqual({ credit: 50, payments: {} });
    });

    it('refuses an order it has no payment for as PAYMENT_NOT_FOUND', () => {
      const state = userWith(100, { o1: 10 });
      expectRefused(state, cancelPayment('o2'), 'PAYMENT_NOT_FOUND');
      const result = decideUser('u1', state, cancelPayment('o2')).result;
      expect(result.kind === 'error' && result.value.message).toContain('o2');
    });

    it('refunds only once', () => {
      const cancelled = run(userWith(100), pay('o1', 10), cancelPayment('o1'));
      expect(cancelled).toEqual({ credit: 100, payments: {} });
      expectRefused(cancelled, cancelPayment('o1'), 'PAYMENT_NOT_FOUND');
    });
  });

  describe('payment_status', () => {
    it('says whether the order has a payment, state untouched', () => {
      const state = run(userWith(100), pay('o1', 10))!;
      const paid = decideUser('u1', state, paymentStatus('o1'));
      expect(paid.result).toEqual({ kind: 'payment_status', value: { paid: true } });
      expect(paid.state).toBe(state);
      const unpaid = decideUser('u1', state, paymentStatus('o2'));
      expect(unpaid.result).toEqual({ kind: 'payment_status', value: { paid: false } });
      expect(unpaid.state).toBe(state);
    });

    it('is unpaid again after the payment is cancelled', () => {
      const state = run(userWith(100), pay('o1', 10), cancelPayment('o1'));
      expect(decideUser('u1', state, paymentStatus('o1')).result).toEqual({
        kind: 'payment_status',
        value: { paid: false },
      });
    });
  });

  it('conserves credit + recorded payments over a sequence of pays and refunds', () => {
    let state: UserState | undefined = userWith(1_000);
    const steps: Command[] = [
      pay('a', 100),
      pay('b', 250),
      pay('a', 50),
      cancelPayment('b'),
      pay('c', 600),
      cancelPayment('a'),
      pay('b', 1),
    ];
    for (const command of steps) {
      state = decideUser('u1', state, command).state;
      const paid = Object.values(state!.payments).reduce((sum, amount) => sum + amount, 0);
      expect(state!.credit + paid).toBe(1_000);
    }
    expect(state).toEqual({ credit: 399, payments: { c: 600, b: 1 } });
  });
});

describe('functions > user > domain > limits and odd ids', () => {
  it('refuses a refund that would push credit past the maximum, keeping the payment', () => {
    const state = userWith(Number.MAX_SAFE_INTEGER - 5, { o1: 10 });
    expectRefused(state, cancelPayment('o1'), 'LIMIT_EXCEEDED');
  });

  it("refuses a payment that would push one order's payments past the maximum", () => {
    const state = userWith(10, { o1: Number.MAX_SAFE_INTEGER - 5 });
    expectRefused(state, pay('o1', 10), 'LIMIT_EXCEEDED');
  });

  it('treats ids named like object properties as plain ids', () => {
    const state = userWith(100);
    expectRefused(state, cancelPayment('constructor'), 'PAYMENT_NOT_FOUND');
    expect(decideUser('u1', state, paymentStatus('toString')).result).toEqual({
      kind: 'payment_status',
      value: { paid: false },
    });
    expect(run(state, pay('constructor', 5))).toEqual(userWith(95, { constructor: 5 }));
  });
});
