import { ErrorCodes, MAX_BATCH, type BatchCommand, type OrderLine, type ReplyResult } from '@shop/protos';
import type { Outgoing } from '../outgoing';
import type { Requester } from '../requester';
import { decideBatch, type BatchInput, type BatchState, type RandomInt } from './batch-domain';

type Command = BatchCommand['command'];

const requester: Requester = { correlation_id: 'req-1' };
const command = (c: Command): BatchInput => ({ kind: 'command', requester, command: c });
const reply = (correlation_id: string, result: ReplyResult): BatchInput => ({
  kind: 'reply',
  reply: { correlation_id, result },
});
const ok = (correlation = 'b1'): BatchInput =>
  reply(correlation, { kind: 'user_created', value: { user_id: 'x' } });
const failed = (code: string, correlation = 'b1'): BatchInput =>
  reply(correlation, { kind: 'error', value: { code, message: `failed with ${code}` } });

const noRandom: RandomInt = () => {
  throw new Error('random must not be used here');
};

/** A random source that answers from a script, and records what it was asked. */
function scripted(values: number[]): { random: RandomInt; asked: number[] } {
  const asked: number[] = [];
  let next = 0;
  const random: RandomInt = (n) => {
    asked.push(n);
    const value = values[next++];
    if (value === undefined) throw new Error('script exhausted');
    return value;
  };
  return { random, asked };
}

function seedOf(message: Outgoing): { user_id: string; lines: OrderLine[] } {
  if (message.to !== 'order' || message.command.command.kind !== 'seed') throw new Error('not a seed');
  return message.command.command.value;
}

function started(n: number): BatchState {
  const decision = decideBatch(
    'b1',
    undefined,
    command({ kind: 'users', value: { n, starting_money: 1 } }),
    noRandom,
  );
  expect(decision.state).toEqual({ requester, expected: n, received: 0, failure: null });
  return decision.state!;
}

function expectBadRequest(c: Command, random: RandomInt = noRandom): void {
  const decision = decideBatch('b1', undefined, command(c), random);
  expect(decision.state).toBeUndefined();
  expect(decision.messages).toEqual([]);
  expect(decision.replies).toHaveLength(1);
  expect(decision.replies[0]!.to).toBe(requester);
  const result = decision.replies[0]!.result;
  expect(result.kind === 'error' && result.value.code).toBe(ErrorCodes.BAD_REQUEST.code);
}

describe('functions > batch > domain', () => {
  describe('fan-out', () => {
    it('creates n users with ids "0".."n-1", resetting them to the starting money', () => {
      const decision = decideBatch(
        'b1',
        undefined,
        command({ kind: 'users', value: { n: 3, starting_money: 25 } }),
        noRandom,
      );
      expect(decision.messages).toEqual(
        ['0', '1', '2'].map((id) => ({
          to: 'user',
          id,
          command: { correlation_id: 'b1', command: { kind: 'create', value: { credit: 25, reset: true } } },
        })),
      );
      expect(decision.replies).toEqual([]);
      expect(decision.state).toEqual({ requester, expected: 3, received: 0, failure: null });
    });

    it('creates n items with ids "0".."n-1", resetting their price and stock', () => {
      const decision = decideBatch(
        'b2',
        undefined,
        command({ kind: 'items', value: { n: 4, starting_stock: 100, item_price: 7 } }),
        noRandom,
      );
      expect(decision.messages).toEqual(
        ['0', '1', '2', '3'].map((id) => ({
          to: 'item',
          id,
          command: {
            correlation_id: 'b2',
            command: { kind: 'create', value: { price: 7, stock: 100, reset: true } },
          },
        })),
      );
      expect(decision.replies).toEqual([]);
      expect(decision.state).toEqual({ requester, expected: 4, received: 0, failure: null });
    });

    it('seeds n orders of two random units each, for a random user', () => {
      // Per order: first item, second item, then the user.
      const { random, asked } = scripted([3, 1, 4, 2, 2, 0]);
      const decision = decideBatch(
        'b3',
        undefined,
        command({ kind: 'orders', value: { n: 2, n_items: 5, n_users: 6, item_price: 9 } }),
        random,
      );
      expect(asked).toEqual([5, 5, 6, 5, 5, 6]);
      expect(decision.messages.map((m) => [m.to, m.id, m.command.correlation_id])).toEqual([
        ['order', '0', 'b3'],
        ['order', '1', 'b3'],
      ]);
      expect(seedOf(decision.messages[0]!)).toEqual({
        user_id: '4',
        lines: [
          { item_id: '3', quantity: 1, unit_price: 9 },
          { item_id: '1', quantity: 1, unit_price: 9 },
        ],
      });
      // The same item drawn twice is one line of two units.
      expect(seedOf(decision.messages[1]!)).toEqual({
        user_id: '0',
        lines: [{ item_id: '2', quantity: 2, unit_price: 9 }],
      });
      expect(decision.state).toEqual({ requester, expected: 2, received: 0, failure: null });
    });

    it('every seeded order has exactly two units within the item and user ranges', () => {
      let seed = 7;
      const lcg: RandomInt = (n) => {
        seed = (seed * 1103515245 + 12345) % 2147483648;
        return seed % n;
      };
      const decision = decideBatch(
        'b4',
        undefined,
        command({ kind: 'orders', value: { n: 50, n_items: 3, n_users: 4, item_price: 2 } }),
        lcg,
      );
      expect(decision.messages.map((m) => m.id)).toEqual(Array.from({ length: 50 }, (_, i) => String(i)));
      for (const message of decision.messages) {
        const { user_id, lines } = seedOf(message);
        expect(lines.reduce((sum, line) => sum + line.quantity, 0)).toBe(2);
        expect(new Set(lines.map((line) => line.item_id)).size).toBe(lines.length);
        for (const line of lines) expect(['0', '1', '2']).toContain(line.item_id);
        expect(['0', '1', '2', '3']).toContain(user_id);
      }
    });

    it.each<Command>([
      { kind: 'users', value: { n: 0, starting_money: 5 } },
      { kind: 'items', value: { n: 0, starting_stock: 5, item_price: 1 } },
      { kind: 'orders', value: { n: 0, n_items: 1, n_users: 1, item_price: 1 } },
    ])('n = 0 ($kind) succeeds at once with count 0 and keeps no state', (c) => {
      const decision = decideBatch('b1', undefined, command(c), noRandom);
      expect(decision.state).toBeUndefined();
      expect(decision.messages).toEqual([]);
      expect(decision.replies).toEqual([{ to: requester, result: { kind: 'success', value: { count: 0 } } }]);
    });
  });

  describe('invalid input', () => {
    it.each([-1, 1.5, NaN, MAX_BATCH + 1])('refuses n = %p as BAD_REQUEST', (n) => {
      expectBadRequest({ kind: 'users', value: { n, starting_money: 1 } });
      expectBadRequest({ kind: 'items', value: { n, starting_stock: 1, item_price: 1 } });
      expectBadRequest({ kind: 'orders', value: { n, n_items: 1, n_users: 1, item_price: 1 } });
    });

    it.each<[string, Command]>([
      ['negative starting_money', { kind: 'users', value: { n: 2, starting_money: -1 } }],
      ['fractional starting_money', { kind: 'users', value: { n: 2, starting_money: 0.5 } }],
      ['negative starting_stock', { kind: 'items', value: { n: 2, starting_stock: -1, item_price: 1 } }],
      ['zero item price', { kind: 'items', value: { n: 2, starting_stock: 1, item_price: 0 } }],
      ['zero n_items', { kind: 'orders', value: { n: 2, n_items: 0, n_users: 1, item_price: 1 } }],
      ['zero n_users', { kind: 'orders', value: { n: 2, n_items: 1, n_users: 0, item_price: 1 } }],
      ['fractional n_items', { kind: 'orders', value: { n: 2, n_items: 1.5, n_users: 1, item_price: 1 } }],
      ['zero order item_price', { kind: 'orders', value: { n: 2, n_items: 1, n_users: 1, item_price: 0 } }],
    ])('refuses %s as BAD_REQUEST, sending nothing', (_name, c) => {
      expectBadRequest(c);
    });

    it('accepts zero starting money and zero starting stock', () => {
      const users = decideBatch(
        'b1',
        undefined,
        command({ kind: 'users', value: { n: 1, starting_money: 0 } }),
        noRandom,
      );
      expect(users.messages).toHaveLength(1);
      const items = decideBatch(
        'b1',
        undefined,
        command({ kind: 'items', value: { n: 1, starting_stock: 0, item_price: 1 } }),
        noRandom,
      );
      expect(items.messages).toHaveLength(1);
    });

    it('refuses a second command while the batch runs, state untouched', () => {
      const state = started(2);
      const decision = decideBatch(
        'b1',
        state,
        {
          kind: 'command',
          requester: { correlation_id: 'req-2' },
          command: { kind: 'users', value: { n: 1, starting_money: 1 } },
        },
        noRandom,
      );
      expect(decision.state).toBe(state);
      expect(decision.messages).toEqual([]);
      expect(decision.replies).toHaveLength(1);
      expect(decision.replies[0]!.to).toEqual({ correlation_id: 'req-2' });
      const result = decision.replies[0]!.result;
      expect(result.kind === 'error' && result.value.code).toBe(ErrorCodes.ALREADY_EXISTS.code);
    });
  });

  describe('replies', () => {
    it('counts replies and succeeds with {count: n} only after all n', () => {
      let state: BatchState | undefined = started(3);
      for (const expectedReceived of [1, 2]) {
        const decision = decideBatch('b1', state, ok(), noRandom);
        expect(decision.replies).toEqual([]);
        expect(decision.messages).toEqual([]);
        expect(decision.state).toEqual({ requester, expected: 3, received: expectedReceived, failure: null });
        state = decision.state;
      }
      const last = decideBatch('b1', state, ok(), noRandom);
      expect(last.state).toBeUndefined();
      expect(last.messages).toEqual([]);
      expect(last.replies).toEqual([{ to: requester, result: { kind: 'success', value: { count: 3 } } }]);
    });

    it('counts any non-error reply as a success', () => {
      let state: BatchState | undefined = started(3);
      state = decideBatch(
        'b1',
        state,
        reply('b1', { kind: 'item_created', value: { item_id: '1' } }),
        noRandom,
      ).state;
      state = decideBatch('b1', state, reply('b1', { kind: 'success', value: { count: 1 } }), noRandom).state;
      const last = decideBatch(
        'b1',
        state,
        reply('b1', { kind: 'user_created', value: { user_id: '2' } }),
        noRandom,
      );
      expect(last.replies[0]!.result).toEqual({ kind: 'success', value: { count: 3 } });
    });

    it('answers the first failure once every reply is in', () => {
      let state: BatchState | undefined = started(4);
      state = decideBatch('b1', state, ok(), noRandom).state;
      const afterFailure = decideBatch('b1', state, failed('E_FIRST'), noRandom);
      expect(afterFailure.replies).toEqual([]);
      expect(afterFailure.state).toEqual({
        requester,
        expected: 4,
        received: 2,
        failure: { code: 'E_FIRST', message: 'failed with E_FIRST' },
      });
      state = decideBatch('b1', afterFailure.state, failed('E_SECOND'), noRandom).state;
      expect(state?.failure?.code).toBe('E_FIRST');
      const last = decideBatch('b1', state, ok(), noRandom);
      expect(last.state).toBeUndefined();
      expect(last.replies).toEqual([
        {
          to: requester,
          result: { kind: 'error', value: { code: 'E_FIRST', message: 'failed with E_FIRST' } },
        },
      ]);
    });

    it('fails when the only reply is a failure', () => {
      const last = decideBatch('b1', started(1), failed(ErrorCodes.LIMIT_EXCEEDED.code), noRandom);
      expect(last.state).toBeUndefined();
      expect(last.replies).toHaveLength(1);
      const result = last.replies[0]!.result;
      expect(result.kind === 'error' && result.value.code).toBe(ErrorCodes.LIMIT_EXCEEDED.code);
    });

    it('ignores a reply with another correlation id, state untouched', () => {
      const state = started(1);
      for (const correlation of ['b2', '', 'b1/0', 'B1']) {
        const decision = decideBatch('b1', state, ok(correlation), noRandom);
        expect(decision.state).toBe(state);
        expect(decision.replies).toEqual([]);
        expect(decision.messages).toEqual([]);
      }
      expect(decideBatch('b1', state, ok('b1'), noRandom).replies).toHaveLength(1);
    });

    it('ignores a reply when no batch runs', () => {
      const decision = decideBatch('b1', undefined, ok(), noRandom);
      expect(decision).toEqual({ state: undefined, replies: [], messages: [] });
    });

    it('answers the caller that started the batch, even a function', () => {
      const caller: Requester = { correlation_id: 'c9', caller: { namespace: 'shop', type: 'x', id: '1' } };
      const first = decideBatch(
        'b1',
        undefined,
        {
          kind: 'command',
          requester: caller,
          command: { kind: 'users', value: { n: 1, starting_money: 0 } },
        },
        noRandom,
      );
      const last = decideBatch('b1', first.state, ok(), noRandom);
      expect(last.replies).toEqual([{ to: caller, result: { kind: 'success', value: { count: 1 } } }]);
    });
  });
});
