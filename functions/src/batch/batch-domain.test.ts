import { ErrorCodes, MAX_BATCH, type BatchCommand, type OrderLine, type ReplyResult } from '@shop/protos';
import type { Outgoing } from '../outgoing';
import type { Requester } from '../requester';
import {
  BATCH_CHUNK,
  BATCH_WINDOW,
  decideBatch,
  type BatchDecision,
  type BatchInput,
  type BatchState,
  type RandomInt,
} from './batch-domain';

type Command = BatchCommand['command'];

const requester: Requester = { correlation_id: 'req-1' };
const command = (c: Command, by: Requester = requester): BatchInput => ({
  kind: 'command',
  requester: by,
  command: c,
});
const users = (n: number, starting_money = 1): Command => ({ kind: 'users', value: { n, starting_money } });
const reply = (correlation_id: string, result: ReplyResult): BatchInput => ({
  kind: 'reply',
  reply: { correlation_id, result },
});
const ok = (token: string): BatchInput => reply(token, { kind: 'user_created', value: { user_id: 'x' } });
const failed = (token: string, code: string): BatchInput =>
  reply(token, { kind: 'error', value: { code, message: `failed with ${code}` } });

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

function onlyReply(decision: BatchDecision): ReplyResult {
  expect(decision.replies).toHaveLength(1);
  return decision.replies[0]!.result;
}

function codeOf(result: ReplyResult): string {
  if (result.kind !== 'error') throw new Error(`expected an error, got ${result.kind}`);
  return result.value.code;
}

/**
 * Runs a batch as the runtime would: every create sent is answered (by `answer`, in the order sent,
 * `replyOrder` choosing which pending one answers next), until the batch replies. Checks the window on
 * every step and returns what it saw.
 */
function drive(
  batchId: string,
  c: Command,
  options: {
    state?: BatchState;
    random?: RandomInt;
    answer?: (message: Outgoing) => ReplyResult;
    pick?: (pending: number) => number;
  } = {},
) {
  const answer = options.answer ?? (() => ({ kind: 'user_created', value: { user_id: 'x' } }) as const);
  const pick = options.pick ?? (() => 0);
  let decision = decideBatch(batchId, options.state, command(c), options.random ?? noRandom);
  const pending: Outgoing[] = [];
  const sentIds: string[] = [];
  let maxInFlight = 0;
  let maxPerDecision = 0;
  let decisions = 1;
  for (;;) {
    pending.push(...decision.messages);
    sentIds.push(...decision.messages.map((m) => m.id));
    maxInFlight = Math.max(maxInFlight, pending.length);
    maxPerDecision = Math.max(maxPerDecision, decision.messages.length);
    if (decision.replies.length > 0 || pending.length === 0) break;
    const [message] = pending.splice(pick(pending.length), 1);
    decision = decideBatch(
      batchId,
      decision.state,
      reply(message!.command.correlation_id, answer(message!)),
      options.random ?? noRandom,
    );
    decisions++;
  }
  return { final: decision, pending, sentIds, maxInFlight, maxPerDecision, decisions };
}

/** Picks pending replies in a fixed pseudo-random order. */
function scrambled(): (pending: number) => number {
  let seed = 42;
  return (pending) => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed % pending;
  };
}

describe('functions > batch > domain', () => {
  describe('fan-out', () => {
    it('creates users "0".."n-1", resetting them to the starting money, under its run token', () => {
      const decision = decideBatch('users', undefined, command(users(3, 25)), noRandom);
      expect(decision.messages).toEqual(
        ['0', '1', '2'].map((id) => ({
          to: 'user',
          id,
          command: {
            correlation_id: 'users#1',
            command: { kind: 'create', value: { credit: 25, reset: true } },
          },
        })),
      );
      expect(decision.replies).toEqual([]);
      expect(decision.state).toEqual({
        runs: 1,
        current: { requester, command: users(3, 25), token: 'users#1', sent: 3, received: 0, failure: null },
      });
    });

    it('creates items "0".."n-1", resetting their price and stock', () => {
      const decision = decideBatch(
        'items',
        undefined,
        command({ kind: 'items', value: { n: 4, starting_stock: 100, item_price: 7 } }),
        noRandom,
      );
      expect(decision.messages).toEqual(
        ['0', '1', '2', '3'].map((id) => ({
          to: 'item',
          id,
          command: {
            correlation_id: 'items#1',
            command: { kind: 'create', value: { price: 7, stock: 100, reset: true } },
          },
        })),
      );
    });

    it('seeds orders of two random units each, for a random user', () => {
      // Per order: first item, second item, then the user.
      const { random, asked } = scripted([3, 1, 4, 2, 2, 0]);
      const decision = decideBatch(
        'orders',
        undefined,
        command({ kind: 'orders', value: { n: 2, n_items: 5, n_users: 6, item_price: 9 } }),
        random,
      );
      expect(asked).toEqual([5, 5, 6, 5, 5, 6]);
      expect(decision.messages.map((m) => [m.to, m.id, m.command.correlation_id])).toEqual([
        ['order', '0', 'orders#1'],
        ['order', '1', 'orders#1'],
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
    });

    it('every seeded order, in every chunk, has two units within the item and user ranges', () => {
      let seed = 7;
      const lcg: RandomInt = (n) => {
        seed = (seed * 1103515245 + 12345) % 2147483648;
        return seed % n;
      };
      const n = BATCH_WINDOW + 2 * BATCH_CHUNK + 3;
      const seeds: { user_id: string; lines: OrderLine[] }[] = [];
      const run = drive(
        'orders',
        { kind: 'orders', value: { n, n_items: 3, n_users: 4, item_price: 2 } },
        {
          random: lcg,
          answer: (message) => {
            seeds.push(seedOf(message));
            return { kind: 'success', value: { count: 1 } };
          },
        },
      );
      expect(run.sentIds).toEqual(Array.from({ length: n }, (_, i) => String(i)));
      expect(seeds).toHaveLength(n);
      for (const { user_id, lines } of seeds) {
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
    ])('n = 0 ($kind) is done at once with count 0, sending nothing', (c) => {
      const decision = decideBatch(c.kind, undefined, command(c), noRandom);
      expect(decision.state).toBeUndefined();
      expect(decision.messages).toEqual([]);
      expect(decision.replies).toEqual([
        { to: requester, result: { kind: 'batch_done', value: { count: 0 } } },
      ]);
    });
  });

  describe('window', () => {
    it(`sends a first window of ${BATCH_WINDOW}, then a chunk of ${BATCH_CHUNK} each time that much is back`, () => {
      let decision = decideBatch('users', undefined, command(users(MAX_BATCH)), noRandom);
      expect(decision.messages.map((m) => m.id)).toEqual(
        Array.from({ length: BATCH_WINDOW }, (_, i) => String(i)),
      );
      for (let k = 1; k < BATCH_CHUNK; k++) {
        decision = decideBatch('users', decision.state, ok('users#1'), noRandom);
        expect(decision.messages).toEqual([]);
      }
      decision = decideBatch('users', decision.state, ok('users#1'), noRandom);
      expect(decision.messages.map((m) => m.id)).toEqual(
        Array.from({ length: BATCH_CHUNK }, (_, i) => String(BATCH_WINDOW + i)),
      );
      expect(decision.state?.current).toMatchObject({
        sent: BATCH_WINDOW + BATCH_CHUNK,
        received: BATCH_CHUNK,
      });
    });

    it.each([
      ['in order', () => 0],
      ['newest first', (pending: number) => pending - 1],
      ['in a scrambled order', scrambled()],
    ])(
      'never has more than the window in flight, sends every id once, and counts exactly n (replies %s)',
      (_name, pick) => {
        const n = 3 * BATCH_WINDOW + 17;
        const run = drive('users', users(n), { pick });
        expect(run.maxInFlight).toBeLessThanOrEqual(BATCH_WINDOW);
        expect(run.maxPerDecision).toBeLessThanOrEqual(BATCH_WINDOW);
        expect([...run.sentIds].sort()).toEqual(Array.from({ length: n }, (_, i) => String(i)).sort());
        expect(new Set(run.sentIds).size).toBe(n);
        expect(run.pending).toEqual([]);
        expect(run.final.replies).toEqual([
          { to: requester, result: { kind: 'batch_done', value: { count: n } } },
        ]);
        expect(run.final.state).toEqual({ runs: 1, current: null });
      },
    );

    it('with n below the window, sends all n at once and answers after the n-th reply', () => {
      const run = drive('users', users(3));
      expect(run.decisions).toBe(4);
      expect(onlyReply(run.final)).toEqual({ kind: 'batch_done', value: { count: 3 } });
    });
  });

  describe('failure', () => {
    it('after a refusal sends nothing more, and answers it once what was in flight is back', () => {
      let decision = decideBatch('users', undefined, command(users(5 * BATCH_WINDOW)), noRandom);
      decision = decideBatch('users', decision.state, ok('users#1'), noRandom);
      decision = decideBatch('users', decision.state, failed('users#1', 'E_FIRST'), noRandom);
      expect(decision.replies).toEqual([]);
      expect(decision.state?.current?.failure).toEqual({ code: 'E_FIRST', message: 'failed with E_FIRST' });
      decision = decideBatch('users', decision.state, failed('users#1', 'E_SECOND'), noRandom);
      // Still in flight: the window less the three answered. No reply frees room for a new chunk now.
      for (let left = BATCH_WINDOW - 3; left > 1; left--) {
        decision = decideBatch('users', decision.state, ok('users#1'), noRandom);
        expect(decision.messages).toEqual([]);
        expect(decision.replies).toEqual([]);
      }
      decision = decideBatch('users', decision.state, ok('users#1'), noRandom);
      expect(decision.messages).toEqual([]);
      expect(decision.state).toEqual({ runs: 1, current: null });
      expect(decision.replies).toEqual([
        {
          to: requester,
          result: { kind: 'error', value: { code: 'E_FIRST', message: 'failed with E_FIRST' } },
        },
      ]);
    });

    it('reports a refusal of the only create', () => {
      const decision = decideBatch('users', undefined, command(users(1)), noRandom);
      const last = decideBatch(
        'users',
        decision.state,
        failed('users#1', ErrorCodes.LIMIT_EXCEEDED.code),
        noRandom,
      );
      expect(codeOf(onlyReply(last))).toBe(ErrorCodes.LIMIT_EXCEEDED.code);
      expect(last.state).toEqual({ runs: 1, current: null });
    });

    it('counts any non-error reply as a success', () => {
      const kinds: ReplyResult[] = [
        { kind: 'item_created', value: { item_id: '1' } },
        { kind: 'success', value: { count: 0 } },
        { kind: 'user_created', value: { user_id: '2' } },
      ];
      let decision = decideBatch('users', undefined, command(users(kinds.length)), noRandom);
      for (const result of kinds)
        decision = decideBatch('users', decision.state, reply('users#1', result), noRandom);
      expect(onlyReply(decision)).toEqual({ kind: 'batch_done', value: { count: 3 } });
    });
  });

  describe('stale replies', () => {
    it('ignores a reply with another token, state untouched', () => {
      const { state } = decideBatch('users', undefined, command(users(1)), noRandom);
      for (const token of ['users#2', 'users#0', '', 'users', 'items#1', 'req-1']) {
        const decision = decideBatch('users', state, ok(token), noRandom);
        expect(decision.state).toBe(state);
        expect(decision.replies).toEqual([]);
        expect(decision.messages).toEqual([]);
      }
      expect(onlyReply(decideBatch('users', state, ok('users#1'), noRandom)).kind).toBe('batch_done');
    });

    it("does not count an earlier run's late replies in the next run", () => {
      const first = drive('users', users(2));
      expect(onlyReply(first.final).kind).toBe('batch_done');
      let decision = decideBatch('users', first.final.state, command(users(2)), noRandom);
      expect(decision.messages.map((m) => m.command.correlation_id)).toEqual(['users#2', 'users#2']);
      // Two late replies of the first run (say, a create redelivered) must not finish the second.
      decision = decideBatch('users', decision.state, ok('users#1'), noRandom);
      decision = decideBatch('users', decision.state, ok('users#1'), noRandom);
      expect(decision.replies).toEqual([]);
      expect(decision.state?.current).toMatchObject({ received: 0 });
      decision = decideBatch('users', decision.state, ok('users#2'), noRandom);
      decision = decideBatch('users', decision.state, ok('users#2'), noRandom);
      expect(onlyReply(decision)).toEqual({ kind: 'batch_done', value: { count: 2 } });
    });

    it('ignores a reply when no batch runs', () => {
      expect(decideBatch('users', undefined, ok('users#1'), noRandom)).toEqual({
        state: undefined,
        replies: [],
        messages: [],
      });
      const idle: BatchState = { runs: 3, current: null };
      expect(decideBatch('users', idle, ok('users#3'), noRandom)).toEqual({
        state: idle,
        replies: [],
        messages: [],
      });
    });
  });

  describe('one batch at a time', () => {
    it('refuses a second command while one runs, with BATCH_RUNNING, state untouched', () => {
      const { state } = decideBatch('users', undefined, command(users(2)), noRandom);
      const second = decideBatch('users', state, command(users(1), { correlation_id: 'req-2' }), noRandom);
      expect(second.state).toBe(state);
      expect(second.messages).toEqual([]);
      expect(second.replies[0]!.to).toEqual({ correlation_id: 'req-2' });
      expect(codeOf(onlyReply(second))).toBe('SHOP_ERR_BATCH_RUNNING');
      expect(ErrorCodes.BATCH_RUNNING).toEqual({
        code: 'SHOP_ERR_BATCH_RUNNING',
        status: 409,
        retriable: true,
      });
    });

    it('takes the next command once the batch has answered', () => {
      const first = drive('users', users(2));
      const next = decideBatch('users', first.final.state, command(users(1, 9)), noRandom);
      expect(next.messages).toHaveLength(1);
      expect(next.state).toMatchObject({ runs: 2, current: { token: 'users#2', sent: 1 } });
    });

    it('refuses a command that reached the address of another kind', () => {
      const decision = decideBatch('items', undefined, command(users(2)), noRandom);
      expect(codeOf(onlyReply(decision))).toBe(ErrorCodes.BAD_REQUEST.code);
      expect(decision.messages).toEqual([]);
      expect(decision.state).toBeUndefined();
      const uuidKeyed = decideBatch(
        '8b0c4a3e-8d6a-4b55-9a57-7c0d0f4f1d11',
        undefined,
        command(users(2)),
        noRandom,
      );
      expect(codeOf(onlyReply(uuidKeyed))).toBe(ErrorCodes.BAD_REQUEST.code);
    });

    it('answers the caller that started the batch, even a function', () => {
      const caller: Requester = { correlation_id: 'c9', caller: { namespace: 'shop', type: 'x', id: '1' } };
      const first = decideBatch('users', undefined, command(users(1, 0), caller), noRandom);
      const last = decideBatch('users', first.state, ok('users#1'), noRandom);
      expect(last.replies).toEqual([{ to: caller, result: { kind: 'batch_done', value: { count: 1 } } }]);
    });
  });

  describe('invalid input', () => {
    const expectBadRequest = (c: Command): void => {
      const decision = decideBatch(c.kind, undefined, command(c), noRandom);
      expect(decision.state).toBeUndefined();
      expect(decision.messages).toEqual([]);
      expect(decision.replies[0]!.to).toBe(requester);
      expect(codeOf(onlyReply(decision))).toBe(ErrorCodes.BAD_REQUEST.code);
    };

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
      expect(decideBatch('users', undefined, command(users(1, 0)), noRandom).messages).toHaveLength(1);
      const items = decideBatch(
        'items',
        undefined,
        command({ kind: 'items', value: { n: 1, starting_stock: 0, item_price: 1 } }),
        noRandom,
      );
      expect(items.messages).toHaveLength(1);
    });

    it('a refused command keeps the run count of the address', () => {
      const idle: BatchState = { runs: 4, current: null };
      const decision = decideBatch('users', idle, command(users(-1)), noRandom);
      expect(decision.state).toBe(idle);
    });
  });
});
