import {
  ErrorCodes,
  FunctionTypes,
  addressOf,
  type Address,
  type ErrorKind,
  type ItemCommand,
  type OrderCommand,
  type OrderLine,
  type ReplyResult,
  type UserCommand,
} from '@shop/protos';
import { decideItem, type ItemState } from '../item/item-domain';
import type { Outgoing } from '../outgoing';
import type { Outbound, Requester } from '../requester';
import { decideUser, type UserState } from '../user/user-domain';
import { decideOrder, totalCost, type OrderDecision, type OrderInput, type OrderState } from './order-domain';

type Command = OrderCommand['command'];

// ---- commands and the replies shop/user and shop/item would send ----

const create = (user_id: string): Command => ({ kind: 'create', value: { user_id } });
const find: Command = { kind: 'find', value: {} };
const remove: Command = { kind: 'remove', value: {} };
const addItem = (item_id: string, quantity: number): Command => ({
  kind: 'add_item',
  value: { item_id, quantity },
});
const removeItem = (item_id: string): Command => ({ kind: 'remove_item', value: { item_id } });
const checkout: Command = { kind: 'checkout', value: {} };
const seed = (user_id: string, lines: OrderLine[]): Command => ({ kind: 'seed', value: { user_id, lines } });
const paymentCancelled: Command = { kind: 'payment_cancelled', value: {} };

const userFound = (user_id: string, credit = 100): ReplyResult => ({
  kind: 'user',
  value: { user_id, credit },
});
const itemFound = (item_id: string, price: number, stock = 100): ReplyResult => ({
  kind: 'item',
  value: { item_id, stock, price },
});
const stockLevel = (item_id: string, stock = 0): ReplyResult => ({
  kind: 'stock_level',
  value: { item_id, stock },
});
const refused = (kind: ErrorKind, message = `refused: ${kind}`): ReplyResult => ({
  kind: 'error',
  value: { code: ErrorCodes[kind].code, message },
});

const client = (correlation_id: string): Requester => ({ correlation_id });
const line = (item_id: string, quantity: number, unit_price: number): OrderLine => ({
  item_id,
  quantity,
  unit_price,
});

function orderView(order_id: string, user_id: string, paid: boolean, items: OrderLine[]): ReplyResult {
  return { kind: 'order', value: { order_id, user_id, paid, items, total_cost: totalCost(items) } };
}

function codeOf(result: ReplyResult): string {
  if (result.kind !== 'error') throw new Error(`expected an error reply, got ${result.kind}`);
  return result.value.code;
}

/** An order entity under test: feeds it inputs and keeps its state, as shop/order's state would be kept. */
class Order {
  state: OrderState | undefined = undefined;
  constructor(readonly id = 'o1') {}

  input(input: OrderInput): OrderDecision {
    const decision = decideOrder(this.id, this.state, input);
    this.state = decision.state;
    return decision;
  }

  command(correlation: string, command: Command): OrderDecision {
    return this.input({ kind: 'command', requester: client(correlation), command });
  }

  reply(correlation_id: string, result: ReplyResult): OrderDecision {
    return this.input({ kind: 'reply', reply: { correlation_id, result } });
  }

  get live(): OrderState {
    if (!this.state) throw new Error('the order does not exist');
    return this.state;
  }
}

function only<T>(list: readonly T[]): T {
  expect(list).toHaveLength(1);
  return list[0]!;
}

/** The correlation ID of the one message a decision sent, after checking where it went and what it asked. */
function sentOnly(decision: OrderDecision, to: Outgoing['to'], id: string, kind: string): string {
  expect(decision.messages).toHaveLength(1);
  const message = decision.messages[0]!;
  expect([message.to, message.id, message.command.command.kind]).toEqual([to, id, kind]);
  expect(message.command.correlation_id).not.toBe('');
  return message.command.correlation_id;
}

/** Creates an order through the saga and adds its lines through it too; returns it open. */
function openOrder(lines: OrderLine[], userId = 'u1', id = 'o1'): Order {
  const order = new Order(id);
  const token = sentOnly(order.command('c-create', create(userId)), 'user', userId, 'find');
  order.reply(token, userFound(userId));
  for (const l of lines) {
    const addToken = sentOnly(
      order.command(`c-add-${l.item_id}`, addItem(l.item_id, l.quantity)),
      'item',
      l.item_id,
      'find',
    );
    order.reply(addToken, itemFound(l.item_id, l.unit_price));
  }
  expect(order.live.status).toBe('open');
  expect(order.live.lines).toEqual(lines);
  return order;
}

/** Starts a checkout and checks its reservations: one subtract_stock per line, `<token>/<item_id>`. */
function startCheckout(order: Order, correlation = 'c-checkout'): string {
  const lines = order.live.lines;
  const decision = order.command(correlation, checkout);
  expect(decision.replies).toEqual([]);
  expect(decision.messages).toHaveLength(lines.length);
  const tokens = new Set<string>();
  decision.messages.forEach((message, i) => {
    const l = lines[i]!;
    expect(message).toEqual({
      to: 'item',
      id: l.item_id,
      command: {
        correlation_id: expect.stringMatching(/.\/.+$/),
        command: { kind: 'reserve', value: { amount: l.quantity } },
      },
    });
    const correlation = message.command.correlation_id;
    const suffix = `/${l.item_id}`;
    expect(correlation.endsWith(suffix)).toBe(true);
    tokens.add(correlation.slice(0, -suffix.length));
  });
  expect(tokens.size).toBe(1);
  expect(order.live.status).toBe('reserving');
  return [...tokens][0]!;
}

function releases(decision: OrderDecision): Array<[string, number]> {
  return decision.messages.map((message) => {
    expect(message.to).toBe('item');
    expect(message.command.correlation_id).toBe('');
    const command = message.command.command;
    if (command.kind !== 'release') throw new Error(`expected add_stock, got ${command.kind}`);
    return [message.id, command.value.amount];
  });
}

const twoLines = [line('i1', 2, 10), line('i2', 1, 5)];

describe('functions > order > domain', () => {
  describe('create', () => {
    it('asks shop/user for the user, then answers order_created and opens', () => {
      const order = new Order('o1');
      const first = order.command('c1', create('u1'));
      expect(first.replies).toEqual([]);
      const token = sentOnly(first, 'user', 'u1', 'find');
      expect(order.live).toMatchObject({ user_id: 'u1', lines: [], status: 'creating', stash: [] });

      const done = order.reply(token, userFound('u1'));
      expect(done.replies).toEqual([
        { to: client('c1'), result: { kind: 'order_created', value: { order_id: 'o1' } } },
      ]);
      expect(done.messages).toEqual([]);
      expect(order.live).toMatchObject({ user_id: 'u1', lines: [], status: 'open', step: null, stash: [] });
    });

    it("answers the user function's error for an unknown user and leaves no order", () => {
      const order = new Order('o1');
      const token = sentOnly(order.command('c1', create('ghost')), 'user', 'ghost', 'find');
      const error = refused('USER_NOT_FOUND', 'user ghost not found');
      const done = order.reply(token, error);
      expect(done.state).toBeUndefined();
      expect(done.replies).toEqual([{ to: client('c1'), result: error }]);
      expect(done.messages).toEqual([]);
    });

    it('treats an unexpected reply to the user lookup as USER_NOT_FOUND', () => {
      const order = new Order('o1');
      const token = sentOnly(order.command('c1', create('u1')), 'user', 'u1', 'find');
      const done = order.reply(token, itemFound('u1', 3));
      expect(done.state).toBeUndefined();
      expect(codeOf(only(done.replies).result)).toBe(ErrorCodes.USER_NOT_FOUND.code);
    });

    it('refuses to create an existing order, state untouched', () => {
      const order = openOrder(twoLines);
      const before = order.state;
      const decision = order.command('c2', create('u2'));
      expect(decision.state).toBe(before);
      expect(decision.messages).toEqual([]);
      expect(only(decision.replies).to).toEqual(client('c2'));
      expect(codeOf(decision.replies[0]!.result)).toBe(ErrorCodes.ALREADY_EXISTS.code);
    });

    it('answers the requester that asked, a function caller included', () => {
      const caller: Requester = { correlation_id: 'x9', caller: addressOf(FunctionTypes.batch, 'b1') };
      const order = new Order('o1');
      const token = sentOnly(
        order.input({ kind: 'command', requester: caller, command: create('u1') }),
        'user',
        'u1',
        'find',
      );
      expect(only(order.reply(token, userFound('u1')).replies).to).toEqual(caller);
    });
  });

  describe('commands on a missing order', () => {
    it.each<[string, Command]>([
      ['find', find],
      ['remove', remove],
      ['add_item', addItem('i1', 1)],
      ['remove_item', removeItem('i1')],
      ['checkout', checkout],
    ])('%s answers ORDER_NOT_FOUND', (_name, command) => {
      const decision = decideOrder('o404', undefined, { kind: 'command', requester: client('c1'), command });
      expect(decision.state).toBeUndefined();
      expect(decision.messages).toEqual([]);
      expect(only(decision.replies).to).toEqual(client('c1'));
      expect(codeOf(decision.replies[0]!.result)).toBe(ErrorCodes.ORDER_NOT_FOUND.code);
    });

    it('payment_cancelled for a missing order does nothing', () => {
      const decision = decideOrder('o404', undefined, {
        kind: 'command',
        requester: client(''),
        command: paymentCancelled,
      });
      expect(decision).toEqual({ state: undefined, replies: [], messages: [] });
    });
  });

  describe('find and remove', () => {
    it('finds an open order: lines, total, unpaid; state untouched', () => {
      const order = openOrder(twoLines);
      const before = order.state;
      const decision = order.command('c-find', find);
      expect(decision.state).toBe(before);
      expect(decision.replies).toEqual([
        { to: client('c-find'), result: orderView('o1', 'u1', false, twoLines) },
      ]);
      const result = decision.replies[0]!.result;
      expect(result.kind === 'order' && result.value.total_cost).toBe(25);
    });

    it('removes an order', () => {
      const order = openOrder(twoLines);
      const decision = order.command('c-rm', remove);
      expect(decision.state).toBeUndefined();
      expect(decision.replies).toEqual([
        { to: client('c-rm'), result: { kind: 'success', value: { count: 0 } } },
      ]);
      expect(codeOf(only(order.command('c-find', find).replies).result)).toBe(
        ErrorCodes.ORDER_NOT_FOUND.code,
      );
    });
  });

  describe('add_item', () => {
    it('looks the item up, then adds a line at its price and answers the order', () => {
      const order = openOrder([]);
      const start = order.command('c-add', addItem('i1', 3));
      expect(start.replies).toEqual([]);
      const token = sentOnly(start, 'item', 'i1', 'find');
      expect(order.live.status).toBe('adding');
      expect(order.live.lines).toEqual([]);

      const done = order.reply(token, itemFound('i1', 7));
      expect(done.messages).toEqual([]);
      expect(done.replies).toEqual([
        { to: client('c-add'), result: orderView('o1', 'u1', false, [line('i1', 3, 7)]) },
      ]);
      expect(order.live).toMatchObject({ status: 'open', step: null, lines: [line('i1', 3, 7)] });
    });

    it('sums quantities when the same item is added again, keeping one line', () => {
      const order = openOrder([line('i1', 3, 7), line('i2', 1, 4)]);
      const token = sentOnly(order.command('c-add', addItem('i1', 2)), 'item', 'i1', 'find');
      const done = order.reply(token, itemFound('i1', 7));
      expect(order.live.lines).toEqual([line('i1', 5, 7), line('i2', 1, 4)]);
      const result = only(done.replies).result;
      expect(result.kind === 'order' && result.value.total_cost).toBe(39);
    });

    it('answers the item error for an unknown item and goes back to open unchanged', () => {
      const order = openOrder(twoLines);
      const token = sentOnly(order.command('c-add', addItem('i9', 1)), 'item', 'i9', 'find');
      const error = refused('ITEM_NOT_FOUND', 'item i9 not found');
      const done = order.reply(token, error);
      expect(done.replies).toEqual([{ to: client('c-add'), result: error }]);
      expect(done.messages).toEqual([]);
      expect(order.live).toMatchObject({ status: 'open', step: null, lines: twoLines, stash: [] });
    });

    it('treats an unexpected reply to the item lookup as ITEM_NOT_FOUND', () => {
      const order = openOrder(twoLines);
      const token = sentOnly(order.command('c-add', addItem('i9', 1)), 'item', 'i9', 'find');
      const done = order.reply(token, stockLevel('i9', 3));
      expect(codeOf(only(done.replies).result)).toBe(ErrorCodes.ITEM_NOT_FOUND.code);
      expect(order.live).toMatchObject({ status: 'open', lines: twoLines });
    });

    it.each([0, -1, 1.5, NaN])('refuses quantity %p as BAD_REQUEST without asking the item', (quantity) => {
      const order = openOrder(twoLines);
      const before = order.state;
      const decision = order.command('c-add', addItem('i1', quantity));
      expect(decision.state).toBe(before);
      expect(decision.messages).toEqual([]);
      expect(codeOf(only(decision.replies).result)).toBe(ErrorCodes.BAD_REQUEST.code);
    });

    it('refuses a line whose total would not be an exact integer as LIMIT_EXCEEDED', () => {
      const order = openOrder([line('i1', 1, 3)]);
      const token = sentOnly(order.command('c-add', addItem('i2', 2)), 'item', 'i2', 'find');
      const done = order.reply(token, itemFound('i2', Number.MAX_SAFE_INTEGER));
      expect(codeOf(only(done.replies).result)).toBe(ErrorCodes.LIMIT_EXCEEDED.code);
      expect(order.live).toMatchObject({ status: 'open', lines: [line('i1', 1, 3)] });
    });
  });

  describe('remove_item', () => {
    it('removes the line and answers the order', () => {
      const order = openOrder(twoLines);
      const decision = order.command('c-ri', removeItem('i1'));
      expect(decision.messages).toEqual([]);
      expect(decision.replies).toEqual([
        { to: client('c-ri'), result: orderView('o1', 'u1', false, [line('i2', 1, 5)]) },
      ]);
      expect(order.live.lines).toEqual([line('i2', 1, 5)]);
      expect(order.live.status).toBe('open');
    });

    it('refuses an item not in the order as ITEM_NOT_IN_ORDER, state untouched', () => {
      const order = openOrder(twoLines);
      const before = order.state;
      const decision = order.command('c-ri', removeItem('i3'));
      expect(decision.state).toBe(before);
      expect(codeOf(only(decision.replies).result)).toBe(ErrorCodes.ITEM_NOT_IN_ORDER.code);
    });
  });

  describe('checkout', () => {
    it('reserves every line, then charges the user the total, then answers the paid order', () => {
      const order = openOrder(twoLines);
      const token = startCheckout(order);

      const first = order.reply(`${token}/i2`, stockLevel('i2', 9));
      expect(first).toMatchObject({ replies: [], messages: [] });
      expect(order.live.status).toBe('reserving');

      const second = order.reply(`${token}/i1`, stockLevel('i1', 3));
      expect(second.replies).toEqual([]);
      expect(second.messages).toEqual([
        {
          to: 'user',
          id: 'u1',
          command: { correlation_id: token, command: { kind: 'pay', value: { order_id: 'o1', amount: 25 } } },
        },
      ]);
      expect(order.live.status).toBe('charging');

      const paid = order.reply(token, userFound('u1', 75));
      expect(paid.messages).toEqual([]);
      expect(paid.replies).toEqual([
        { to: client('c-checkout'), result: orderView('o1', 'u1', true, twoLines) },
      ]);
      expect(order.live).toMatchObject({ status: 'paid', step: null, lines: twoLines, stash: [] });
      expect(only(order.command('c-find', find).replies).result).toEqual(
        orderView('o1', 'u1', true, twoLines),
      );
    });

    it('with one item out of stock releases exactly the reserved items, answers the error and reopens', () => {
      const lines = [line('i1', 2, 10), line('i2', 1, 5), line('i3', 4, 1)];
      const order = openOrder(lines);
      const token = startCheckout(order);
      const outOfStock = refused('OUT_OF_STOCK', 'item i2 has 0 in stock, needs 1');
      expect(order.reply(`${token}/i1`, stockLevel('i1'))).toMatchObject({ replies: [], messages: [] });
      expect(order.reply(`${token}/i2`, outOfStock)).toMatchObject({ replies: [], messages: [] });
      const done = order.reply(`${token}/i3`, stockLevel('i3'));
      expect(releases(done)).toEqual([
        ['i1', 2],
        ['i3', 4],
      ]);
      expect(done.replies).toEqual([{ to: client('c-checkout'), result: outOfStock }]);
      expect(order.live).toMatchObject({ status: 'open', step: null, lines, stash: [] });
    });

    it('releases nothing when every reservation failed, and answers the first failure', () => {
      const order = openOrder(twoLines);
      const token = startCheckout(order);
      order.reply(`${token}/i2`, refused('OUT_OF_STOCK', 'first'));
      const done = order.reply(`${token}/i1`, refused('ITEM_NOT_FOUND', 'second'));
      expect(done.messages).toEqual([]);
      expect(done.replies).toEqual([{ to: client('c-checkout'), result: refused('OUT_OF_STOCK', 'first') }]);
      expect(order.live.status).toBe('open');
    });

    it('treats an unexpected reply to a reservation as a failure, releasing the others', () => {
      const order = openOrder(twoLines);
      const token = startCheckout(order);
      order.reply(`${token}/i1`, stockLevel('i1'));
      const done = order.reply(`${token}/i2`, userFound('u1'));
      expect(releases(done)).toEqual([['i1', 2]]);
      expect(only(done.replies).result.kind).toBe('error');
      expect(order.live.status).toBe('open');
    });

    it('with insufficient credit releases every line, answers the error and reopens', () => {
      const order = openOrder(twoLines);
      const token = startCheckout(order);
      order.reply(`${token}/i1`, stockLevel('i1'));
      order.reply(`${token}/i2`, stockLevel('i2'));
      const error = refused('INSUFFICIENT_CREDIT', 'user u1 has 3 credit, needs 25');
      const done = order.reply(token, error);
      expect(releases(done)).toEqual([
        ['i1', 2],
        ['i2', 1],
      ]);
      expect(done.replies).toEqual([{ to: client('c-checkout'), result: error }]);
      expect(order.live).toMatchObject({ status: 'open', step: null, lines: twoLines });
    });

    it('can be checked out again after a failed checkout, with a fresh token', () => {
      const order = openOrder(twoLines);
      const token = startCheckout(order);
      order.reply(`${token}/i1`, refused('OUT_OF_STOCK'));
      order.reply(`${token}/i2`, stockLevel('i2'));
      const again = startCheckout(order, 'c-again');
      expect(again).not.toBe(token);
      order.reply(`${again}/i1`, stockLevel('i1'));
      order.reply(`${again}/i2`, stockLevel('i2'));
      expect(order.live.status).toBe('charging');
      const paid = order.reply(again, userFound('u1'));
      expect(only(paid.replies)).toEqual({
        to: client('c-again'),
        result: orderView('o1', 'u1', true, twoLines),
      });
    });

    it('refuses a second checkout while reserving or charging as CHECKOUT_IN_PROGRESS, answered at once', () => {
      const order = openOrder(twoLines);
      const token = startCheckout(order);
      const reserving = order.state;
      const second = order.command('c-2', checkout);
      expect(second.state).toBe(reserving);
      expect(second.messages).toEqual([]);
      expect(only(second.replies).to).toEqual(client('c-2'));
      expect(codeOf(second.replies[0]!.result)).toBe(ErrorCodes.CHECKOUT_IN_PROGRESS.code);

      order.reply(`${token}/i1`, stockLevel('i1'));
      order.reply(`${token}/i2`, stockLevel('i2'));
      const third = order.command('c-3', checkout);
      expect(codeOf(only(third.replies).result)).toBe(ErrorCodes.CHECKOUT_IN_PROGRESS.code);
      expect(order.live.stash).toEqual([]);
    });

    it('refuses to check out a paid order as ORDER_PAID, state untouched', () => {
      const order = openOrder(twoLines);
      const token = startCheckout(order);
      order.reply(`${token}/i1`, stockLevel('i1'));
      order.reply(`${token}/i2`, stockLevel('i2'));
      order.reply(token, userFound('u1'));
      const before = order.state;
      const decision = order.command('c-again', checkout);
      expect(decision.state).toBe(before);
      expect(decision.messages).toEqual([]);
      expect(codeOf(only(decision.replies).result)).toBe(ErrorCodes.ORDER_PAID.code);
      for (const command of [addItem('i1', 1), removeItem('i1')]) {
        const refusal = order.command('c-change', command);
        expect(refusal.state).toBe(before);
        expect(codeOf(only(refusal.replies).result)).toBe(ErrorCodes.ORDER_PAID.code);
      }
    });

    it('refuses to check out an empty order as ORDER_EMPTY, state untouched', () => {
      const order = openOrder([]);
      const before = order.state;
      const decision = order.command('c-checkout', checkout);
      expect(decision.state).toBe(before);
      expect(decision.messages).toEqual([]);
      expect(codeOf(only(decision.replies).result)).toBe(ErrorCodes.ORDER_EMPTY.code);
    });

    it('refuses an order emptied by remove_item as ORDER_EMPTY', () => {
      const order = openOrder([line('i1', 1, 1)]);
      order.command('c-ri', removeItem('i1'));
      expect(codeOf(only(order.command('c-checkout', checkout).replies).result)).toBe(
        ErrorCodes.ORDER_EMPTY.code,
      );
    });
  });

  describe('commands while busy', () => {
    it('stashes add_item during checkout and answers it ORDER_PAID once the checkout is done', () => {
      const order = openOrder(twoLines);
      const token = startCheckout(order);
      const stashed = order.command('c-add', addItem('i3', 1));
      expect(stashed).toMatchObject({ replies: [], messages: [] });
      expect(order.live.stash).toHaveLength(1);

      const found = order.command('c-find', find);
      expect(found.replies).toEqual([
        { to: client('c-find'), result: orderView('o1', 'u1', false, twoLines) },
      ]);
      expect(order.live.stash).toHaveLength(1);

      order.reply(`${token}/i1`, stockLevel('i1'));
      order.reply(`${token}/i2`, stockLevel('i2'));
      order.command('c-ri', removeItem('i1'));
      expect(order.live.stash).toHaveLength(2);

      const done = order.reply(token, userFound('u1'));
      expect(done.messages).toEqual([]);
      expect(done.replies.map((r) => r.to.correlation_id)).toEqual(['c-checkout', 'c-add', 'c-ri']);
      expect(done.replies[0]!.result).toEqual(orderView('o1', 'u1', true, twoLines));
      expect(codeOf(done.replies[1]!.result)).toBe(ErrorCodes.ORDER_PAID.code);
      expect(codeOf(done.replies[2]!.result)).toBe(ErrorCodes.ORDER_PAID.code);
      expect(order.live).toMatchObject({ status: 'paid', stash: [], lines: twoLines });
    });

    it('replays stashed commands in order, stopping while a replayed one waits again', () => {
      const order = openOrder([line('i1', 1, 10)]);
      const addToken = sentOnly(order.command('c-add2', addItem('i2', 2)), 'item', 'i2', 'find');
      expect(order.command('c-add3', addItem('i3', 1))).toMatchObject({ replies: [], messages: [] });
      expect(order.command('c-checkout', checkout)).toMatchObject({ replies: [], messages: [] });
      expect(order.command('c-add1', addItem('i1', 4))).toMatchObject({ replies: [], messages: [] });
      expect(order.live.stash).toHaveLength(3);

      // i2 answers: its line is added, then the stashed add_item for i3 starts and waits on i3.
      const second = order.reply(addToken, itemFound('i2', 5));
      expect(second.replies.map((r) => r.to.correlation_id)).toEqual(['c-add2']);
      const i3Token = sentOnly(second, 'item', 'i3', 'find');
      expect(order.live.status).toBe('adding');
      expect(order.live.stash).toHaveLength(2);

      // i3 answers: its line is added, then the stashed checkout starts and the last add_item stays queued.
      const third = order.reply(i3Token, itemFound('i3', 1));
      expect(third.replies.map((r) => r.to.correlation_id)).toEqual(['c-add3']);
      expect(third.messages.map((m) => [m.id, m.command.command.kind])).toEqual([
        ['i1', 'reserve'],
        ['i2', 'reserve'],
        ['i3', 'reserve'],
      ]);
      expect(order.live.status).toBe('reserving');
      expect(order.live.stash).toHaveLength(1);
      expect(order.live.lines).toEqual([line('i1', 1, 10), line('i2', 2, 5), line('i3', 1, 1)]);

      // An out-of-stock ends the checkout; the stashed add_item then starts.
      const token = third.messages[0]!.command.correlation_id.replace(/\/i1$/, '');
      order.reply(`${token}/i1`, stockLevel('i1'));
      order.reply(`${token}/i2`, stockLevel('i2'));
      const failed = order.reply(`${token}/i3`, refused('OUT_OF_STOCK'));
      expect(failed.replies.map((r) => r.to.correlation_id)).toEqual(['c-checkout']);
      expect(failed.messages.map((m) => [m.id, m.command.command.kind, m.command.correlation_id])).toEqual([
        ['i1', 'release', ''],
        ['i2', 'release', ''],
        ['i1', 'find', expect.any(String)],
      ]);
      expect(order.live).toMatchObject({ status: 'adding', stash: [] });
    });

    it('stashes everything but nothing is answered while creating, then replays after order_created', () => {
      const order = new Order('o1');
      const token = sentOnly(order.command('c-create', create('u1')), 'user', 'u1', 'find');
      expect(order.command('c-find', find)).toMatchObject({ replies: [], messages: [] });
      expect(order.command('c-create2', create('u2'))).toMatchObject({ replies: [], messages: [] });
      expect(order.command('c-checkout', checkout)).toMatchObject({ replies: [], messages: [] });
      expect(order.live.stash).toHaveLength(3);

      const done = order.reply(token, userFound('u1'));
      expect(done.messages).toEqual([]);
      expect(done.replies.map((r) => r.to.correlation_id)).toEqual([
        'c-create',
        'c-find',
        'c-create2',
        'c-checkout',
      ]);
      expect(done.replies[0]!.result).toEqual({ kind: 'order_created', value: { order_id: 'o1' } });
      expect(done.replies[1]!.result).toEqual(orderView('o1', 'u1', false, []));
      expect(codeOf(done.replies[2]!.result)).toBe(ErrorCodes.ALREADY_EXISTS.code);
      expect(codeOf(done.replies[3]!.result)).toBe(ErrorCodes.ORDER_EMPTY.code);
      expect(order.live).toMatchObject({ user_id: 'u1', status: 'open', stash: [] });
    });

    it('answers commands stashed during a failed create as ORDER_NOT_FOUND', () => {
      const order = new Order('o1');
      const token = sentOnly(order.command('c-create', create('ghost')), 'user', 'ghost', 'find');
      order.command('c-find', find);
      order.command('c-add', addItem('i1', 1));
      const done = order.reply(token, refused('USER_NOT_FOUND'));
      expect(done.state).toBeUndefined();
      expect(done.messages).toEqual([]);
      expect(done.replies.map((r) => [r.to.correlation_id, codeOf(r.result)])).toEqual([
        ['c-create', ErrorCodes.USER_NOT_FOUND.code],
        ['c-find', ErrorCodes.ORDER_NOT_FOUND.code],
        ['c-add', ErrorCodes.ORDER_NOT_FOUND.code],
      ]);
    });

    it('lets a create stashed during a failed create try again', () => {
      const order = new Order('o1');
      const token = sentOnly(order.command('c-create', create('ghost')), 'user', 'ghost', 'find');
      order.command('c-create2', create('u2'));
      order.command('c-find', find);
      const done = order.reply(token, refused('USER_NOT_FOUND'));
      expect(done.replies.map((r) => r.to.correlation_id)).toEqual(['c-create']);
      const retry = sentOnly(done, 'user', 'u2', 'find');
      expect(order.live).toMatchObject({ user_id: 'u2', status: 'creating' });
      expect(order.live.stash).toHaveLength(1);
      const created = order.reply(retry, userFound('u2'));
      expect(created.replies.map((r) => r.to.correlation_id)).toEqual(['c-create2', 'c-find']);
      expect(created.replies[1]!.result).toEqual(orderView('o1', 'u2', false, []));
    });

    it('answers the commands stashed behind a remove as ORDER_NOT_FOUND', () => {
      const order = openOrder(twoLines);
      const token = sentOnly(order.command('c-add', addItem('i3', 1)), 'item', 'i3', 'find');
      order.command('c-rm', remove);
      order.command('c-ri', removeItem('i1'));
      order.command('c-add2', addItem('i1', 1));
      expect(order.live.stash).toHaveLength(3);

      const done = order.reply(token, itemFound('i3', 4));
      expect(done.state).toBeUndefined();
      expect(done.messages).toEqual([]);
      expect(
        done.replies.map((r) => [
          r.to.correlation_id,
          r.result.kind === 'error' ? r.result.value.code : r.result.kind,
        ]),
      ).toEqual([
        ['c-add', 'order'],
        ['c-rm', 'success'],
        ['c-ri', ErrorCodes.ORDER_NOT_FOUND.code],
        ['c-add2', ErrorCodes.ORDER_NOT_FOUND.code],
      ]);
    });

    it('refuses to remove a paid order, queued behind its checkout', () => {
      const order = openOrder(twoLines);
      const token = startCheckout(order);
      order.command('c-rm', remove);
      order.reply(`${token}/i1`, stockLevel('i1'));
      order.reply(`${token}/i2`, stockLevel('i2'));
      const done = order.reply(token, userFound('u1'));
      expect(done.state).toBe(order.state);
      expect(order.live.status).toBe('paid');
      expect(
        done.replies.map((r) => [
          r.to.correlation_id,
          r.result.kind === 'error' ? codeOf(r.result) : r.result.kind,
        ]),
      ).toEqual([
        ['c-checkout', 'order'],
        ['c-rm', ErrorCodes.ORDER_PAID.code],
      ]);
    });

    it('stashes a remove during add_item and removes once the item answered', () => {
      const order = openOrder([]);
      const token = sentOnly(order.command('c-add', addItem('i1', 1)), 'item', 'i1', 'find');
      order.command('c-rm', remove);
      order.command('c-find', find); // answered at once, before the remove
      expect(order.live.stash).toHaveLength(1);
      const done = order.reply(token, itemFound('i1', 2));
      expect(done.state).toBeUndefined();
      expect(done.replies.map((r) => r.to.correlation_id)).toEqual(['c-add', 'c-rm']);
    });
  });

  describe('stale replies', () => {
    const expectIgnored = (order: Order, correlation: string, result: ReplyResult): void => {
      const before = order.state;
      const decision = order.reply(correlation, result);
      expect(decision.state).toBe(before);
      expect(decision.replies).toEqual([]);
      expect(decision.messages).toEqual([]);
    };

    it('ignores a reply with a wrong token while creating', () => {
      const order = new Order('o1');
      const token = sentOnly(order.command('c1', create('u1')), 'user', 'u1', 'find');
      expectIgnored(order, `${token}x`, userFound('u1'));
      expectIgnored(order, 'other', refused('USER_NOT_FOUND'));
      expect(order.live.status).toBe('creating');
    });

    it('ignores a reply to an earlier add_item once another one waits', () => {
      const order = openOrder([]);
      const first = sentOnly(order.command('c-a1', addItem('i1', 1)), 'item', 'i1', 'find');
      order.reply(first, itemFound('i1', 3));
      const second = sentOnly(order.command('c-a2', addItem('i2', 1)), 'item', 'i2', 'find');
      expect(second).not.toBe(first);
      expectIgnored(order, first, itemFound('i2', 999));
      order.reply(second, itemFound('i2', 4));
      expect(order.live.lines).toEqual([line('i1', 1, 3), line('i2', 1, 4)]);
    });

    it('ignores replies when the order waits on nothing, or does not exist', () => {
      const order = openOrder(twoLines);
      expectIgnored(order, 'o1#1', userFound('u1'));
      expect(
        decideOrder('o1', undefined, {
          kind: 'reply',
          reply: { correlation_id: 'o1#1', result: userFound('u1') },
        }),
      ).toEqual({
        state: undefined,
        replies: [],
        messages: [],
      });
    });

    it('ignores reservation replies of an older checkout, duplicates and unknown items', () => {
      const order = openOrder(twoLines);
      const old = startCheckout(order);
      order.reply(`${old}/i1`, refused('OUT_OF_STOCK'));
      order.reply(`${old}/i2`, stockLevel('i2'));
      const token = startCheckout(order, 'c-again');
      expectIgnored(order, `${old}/i1`, stockLevel('i1'));
      expectIgnored(order, old, userFound('u1'));
      expectIgnored(order, `${token}/i9`, stockLevel('i9'));
      expectIgnored(order, token, userFound('u1'));
      order.reply(`${token}/i1`, stockLevel('i1'));
      expectIgnored(order, `${token}/i1`, refused('OUT_OF_STOCK'));
      expect(order.live.status).toBe('reserving');
      const charging = order.reply(`${token}/i2`, stockLevel('i2'));
      sentOnly(charging, 'user', 'u1', 'pay');
      expectIgnored(order, `${token}/i2`, stockLevel('i2'));
      expectIgnored(order, old, refused('INSUFFICIENT_CREDIT'));
      const paid = order.reply(token, userFound('u1'));
      expect(only(paid.replies).to).toEqual(client('c-again'));
      expect(order.live.status).toBe('paid');
    });
  });

  describe('payment_cancelled', () => {
    const paidOrder = (): Order => {
      const order = openOrder(twoLines);
      const token = startCheckout(order);
      order.reply(`${token}/i1`, stockLevel('i1'));
      order.reply(`${token}/i2`, stockLevel('i2'));
      order.reply(token, userFound('u1'));
      expect(order.live.status).toBe('paid');
      return order;
    };
    const fromUser: Requester = { correlation_id: '', caller: addressOf(FunctionTypes.user, 'u1') };

    it('reopens a paid order and gives back the stock of every line, answering nobody', () => {
      const order = paidOrder();
      const decision = order.input({ kind: 'command', requester: fromUser, command: paymentCancelled });
      expect(releases(decision)).toEqual([
        ['i1', 2],
        ['i2', 1],
      ]);
      expect(decision.replies).toEqual([]);
      expect(order.live).toMatchObject({ status: 'open', step: null, lines: twoLines });
      // It can change and be checked out again.
      const token = sentOnly(order.command('c-add', addItem('i3', 1)), 'item', 'i3', 'find');
      order.reply(token, itemFound('i3', 1));
      expect(order.live.lines).toHaveLength(3);
    });

    it('has no effect on an unpaid order', () => {
      const order = openOrder(twoLines);
      const before = order.state;
      const decision = order.input({ kind: 'command', requester: fromUser, command: paymentCancelled });
      expect(decision.state).toBe(before);
      expect(decision).toMatchObject({ replies: [], messages: [] });
    });

    it('waits for a checkout in progress, then reopens the order it paid', () => {
      const order = openOrder(twoLines);
      const token = startCheckout(order);
      order.reply(`${token}/i1`, stockLevel('i1'));
      order.reply(`${token}/i2`, stockLevel('i2'));
      expect(order.input({ kind: 'command', requester: fromUser, command: paymentCancelled })).toMatchObject({
        replies: [],
        messages: [],
      });
      const done = order.reply(token, userFound('u1'));
      expect(only(done.replies).result).toEqual(orderView('o1', 'u1', true, twoLines));
      expect(releases(done)).toEqual([
        ['i1', 2],
        ['i2', 1],
      ]);
      expect(order.live.status).toBe('open');
    });
  });

  describe('seed', () => {
    it('makes an open order with copies of the given lines and answers success', () => {
      const lines = [line('i1', 1, 2), line('i2', 1, 2)];
      const order = new Order('o1');
      const decision = order.command('c-seed', seed('u3', lines));
      expect(decision.replies).toEqual([
        { to: client('c-seed'), result: { kind: 'success', value: { count: 1 } } },
      ]);
      expect(decision.messages).toEqual([]);
      expect(order.live).toMatchObject({ user_id: 'u3', lines, status: 'open', step: null, stash: [] });
      expect(order.live.lines[0]).not.toBe(lines[0]);
    });

    it('replaces an existing order and moves its step numbers on', () => {
      const order = openOrder(twoLines);
      const seqBefore = order.live.seq;
      order.command('c-seed', seed('u3', [line('i5', 2, 2)]));
      expect(order.live).toMatchObject({ user_id: 'u3', lines: [line('i5', 2, 2)], status: 'open' });
      expect(order.live.seq).toBeGreaterThan(seqBefore);
    });

    it('merges lines of the same item, so that checkout reserves each unit', () => {
      const order = new Order('o1');
      order.command('c-seed', seed('u3', [line('i1', 1, 2), line('i2', 1, 2), line('i1', 1, 2)]));
      expect(order.live.lines).toEqual([line('i1', 2, 2), line('i2', 1, 2)]);
    });
  });
});

// ---- conservation: orders' checkouts interleaved against real users and items ----

/** mulberry32: a small seeded PRNG, so that a failing interleaving can be replayed. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Stats {
  paid: number;
  outOfStock: number;
  insufficientCredit: number;
  cancelled: number;
  inProgress: number;
}

/**
 * A tiny StateFun: one FIFO channel per (sender, receiver) pair, delivered in a random order across
 * channels. Users and items run the real decideUser/decideItem; replies go back to the calling order.
 */
class World {
  readonly users = new Map<string, UserState | undefined>();
  readonly items = new Map<string, ItemState | undefined>();
  readonly orders = new Map<string, OrderState | undefined>();
  readonly clientReplies = new Map<string, ReplyResult[]>();
  readonly issued: string[] = [];
  /** Credit each user was given by add_credit during the run. */
  readonly creditAdded = new Map<string, number>();
  private readonly userCommands = new Map<string, { userId: string; command: UserCommand['command'] }>();
  readonly stats: Stats = { paid: 0, outOfStock: 0, insufficientCredit: 0, cancelled: 0, inProgress: 0 };
  private readonly channels = new Map<string, Array<() => void>>();
  private nextCorrelation = 0;

  constructor(readonly random: () => number) {}

  pending(): boolean {
    for (const queue of this.channels.values()) if (queue.length > 0) return true;
    return false;
  }

  /** Delivers the head of one random non-empty channel. */
  step(): void {
    const ready = [...this.channels.values()].filter((queue) => queue.length > 0);
    if (ready.length === 0) throw new Error('nothing to deliver');
    const queue = ready[Math.floor(this.random() * ready.length)]!;
    queue.shift()!();
  }

  settle(): void {
    for (let steps = 0; this.pending(); steps++) {
      if (steps > 100_000) throw new Error('the world does not settle');
      this.step();
    }
  }

  clientToOrder(orderId: string, command: Command): void {
    const correlation = this.correlation();
    this.toOrder('client', orderId, { kind: 'command', requester: { correlation_id: correlation }, command });
  }

  clientToUser(userId: string, command: UserCommand['command']): void {
    const correlation = this.correlation();
    this.userCommands.set(correlation, { userId, command });
    this.toUser('client', userId, command, { correlation_id: correlation });
  }

  private correlation(): string {
    const correlation = `c${this.nextCorrelation++}`;
    this.issued.push(correlation);
    return correlation;
  }

  private enqueue(from: string, to: string, delivery: () => void): void {
    const key = `${from}->${to}`;
    let queue = this.channels.get(key);
    if (!queue) this.channels.set(key, (queue = []));
    queue.push(delivery);
  }

  private toOrder(from: string, orderId: string, input: OrderInput): void {
    this.enqueue(from, `order:${orderId}`, () => {
      const self = addressOf(FunctionTypes.order, orderId);
      const decision = decideOrder(orderId, this.orders.get(orderId), input);
      this.orders.set(orderId, decision.state);
      for (const message of decision.messages) this.route(`order:${orderId}`, self, message);
      for (const reply of decision.replies) this.answer(`order:${orderId}`, reply);
    });
  }

  private toItem(from: string, itemId: string, command: ItemCommand['command'], requester: Requester): void {
    this.enqueue(from, `item:${itemId}`, () => {
      const decision = decideItem(itemId, this.items.get(itemId), command);
      this.items.set(itemId, decision.state);
      this.answer(`item:${itemId}`, { to: requester, result: decision.result });
    });
  }

  private toUser(from: string, userId: string, command: UserCommand['command'], requester: Requester): void {
    this.enqueue(from, `user:${userId}`, () => {
      const decision = decideUser(userId, this.users.get(userId), command);
      this.users.set(userId, decision.state);
      if (decision.cancelledOrderId) {
        this.toOrder(`user:${userId}`, decision.cancelledOrderId, {
          kind: 'command',
          requester: { correlation_id: '', caller: addressOf(FunctionTypes.user, userId) },
          command: paymentCancelled,
        });
      }
      this.answer(`user:${userId}`, { to: requester, result: decision.result });
    });
  }

  private route(from: string, self: Address, message: Outgoing): void {
    const requester: Requester = { correlation_id: message.command.correlation_id, caller: self };
    switch (message.to) {
      case 'item':
        return this.toItem(from, message.id, message.command.command, requester);
      case 'user':
        return this.toUser(from, message.id, message.command.command, requester);
      case 'order':
        throw new Error('orders do not command orders');
    }
  }

  private answer(from: string, reply: Outbound): void {
    if (!reply.to.caller) this.tally(reply.to.correlation_id, reply.result);
    this.deliverReply(from, reply);
  }

  private tally(correlation: string, result: ReplyResult): void {
    if (result.kind === 'order' && result.value.paid) this.stats.paid++;
    if (result.kind === 'error') {
      if (result.value.code === ErrorCodes.OUT_OF_STOCK.code) this.stats.outOfStock++;
      if (result.value.code === ErrorCodes.INSUFFICIENT_CREDIT.code) this.stats.insufficientCredit++;
      if (result.value.code === ErrorCodes.CHECKOUT_IN_PROGRESS.code) this.stats.inProgress++;
    }
    const userCommand = this.userCommands.get(correlation);
    if (userCommand && result.kind === 'user') {
      const { userId, command } = userCommand;
      if (command.kind === 'cancel_payment') this.stats.cancelled++;
      if (command.kind === 'add_credit') {
        this.creditAdded.set(userId, (this.creditAdded.get(userId) ?? 0) + command.value.amount);
      }
    }
  }

  private deliverReply(from: string, reply: Outbound): void {
    const { to, result } = reply;
    if (to.correlation_id === '') return;
    if (!to.caller) {
      const replies = this.clientReplies.get(to.correlation_id) ?? [];
      replies.push(result);
      this.clientReplies.set(to.correlation_id, replies);
      return;
    }
    if (to.caller.type !== 'order') throw new Error(`unexpected reply to ${to.caller.type}`);
    this.toOrder(from, to.caller.id, { kind: 'reply', reply: { correlation_id: to.correlation_id, result } });
  }
}

function simulate(seed: number): { world: World; stock: Map<string, number>; credit: Map<string, number> } {
  const random = prng(seed);
  const int = (lo: number, hi: number): number => lo + Math.floor(random() * (hi - lo + 1));
  const world = new World(random);

  const itemIds = ['i0', 'i1', 'i2', 'i3'];
  const userIds = ['u0', 'u1', 'u2'];
  const orderIds = ['o0', 'o1', 'o2', 'o3', 'o4', 'o5'];
  const stock = new Map<string, number>();
  const credit = new Map<string, number>();
  for (const id of itemIds) {
    const created = decideItem(id, undefined, {
      kind: 'create',
      value: { price: int(1, 9), stock: int(0, 8), reset: false },
    });
    world.items.set(id, created.state);
    stock.set(id, created.state!.stock);
  }
  for (const id of userIds) {
    const created = decideUser(id, undefined, {
      kind: 'create',
      value: { credit: int(0, 80), reset: false },
    });
    world.users.set(id, created.state);
    credit.set(id, created.state!.credit);
  }

  // Orders are made one at a time, through their sagas.
  const userOf = new Map<string, string>();
  for (const orderId of orderIds) {
    const userId = userIds[int(0, userIds.length - 1)]!;
    userOf.set(orderId, userId);
    world.clientToOrder(orderId, create(userId));
    world.settle();
    for (let k = int(1, 3); k > 0; k--) {
      world.clientToOrder(orderId, addItem(itemIds[int(0, itemIds.length - 1)]!, int(1, 3)));
      world.settle();
    }
  }

  // Then checkouts, retries, refunds and changes race each other.
  const actions: Array<() => void> = [];
  for (const orderId of orderIds) {
    const userId = userOf.get(orderId)!;
    for (let k = int(1, 3); k > 0; k--) actions.push(() => world.clientToOrder(orderId, checkout));
    if (random() < 0.5)
      actions.push(() =>
        world.clientToUser(userId, { kind: 'cancel_payment', value: { order_id: orderId } }),
      );
    if (random() < 0.3)
      actions.push(() => world.clientToOrder(orderId, addItem(itemIds[int(0, 3)]!, int(1, 2))));
    if (random() < 0.2) actions.push(() => world.clientToOrder(orderId, removeItem(itemIds[int(0, 3)]!)));
    if (random() < 0.3) actions.push(() => world.clientToOrder(orderId, find));
    if (random() < 0.2)
      actions.push(() => world.clientToUser(userId, { kind: 'add_credit', value: { amount: int(1, 30) } }));
  }
  for (let i = actions.length - 1; i > 0; i--) {
    const j = int(0, i);
    [actions[i], actions[j]] = [actions[j]!, actions[i]!];
  }
  let steps = 0;
  while (actions.length > 0 || world.pending()) {
    if (++steps > 100_000) throw new Error('the world does not settle');
    if (actions.length > 0 && (!world.pending() || random() < 0.25)) actions.shift()!();
    else world.step();
  }
  return { world, stock, credit };
}

describe('functions > order > domain > conservation', () => {
  const seeds = Array.from({ length: 300 }, (_, i) => i + 1);
  // Each seed's run is deterministic: simulated once, then shared by both tests.
  const runs = new Map<number, ReturnType<typeof simulate>>();
  const run = (seed: number): ReturnType<typeof simulate> => {
    if (!runs.has(seed)) runs.set(seed, simulate(seed));
    return runs.get(seed)!;
  };

  it.each(seeds)('conserves stock and money across interleaved checkouts (seed %i)', (seed) => {
    const { world, stock, credit } = run(seed);
    const orders = [...world.orders.entries()].map(([id, state]) => {
      expect(state).toBeDefined();
      return [id, state!] as const;
    });

    // Everything settled: no order waits on anything or holds queued commands.
    for (const [, order] of orders) {
      expect(['open', 'paid']).toContain(order.status);
      expect(order.step).toBeNull();
      expect(order.stash).toEqual([]);
    }
    // Every client request was answered exactly once.
    for (const correlation of world.issued) expect(world.clientReplies.get(correlation)).toHaveLength(1);
    expect(world.clientReplies.size).toBe(world.issued.length);

    const paidOrders = orders.filter(([, order]) => order.status === 'paid');

    // Stock: what is left plus what paid orders hold is what there was, item by item.
    let stockNow = 0;
    let sold = 0;
    for (const [itemId, initial] of stock) {
      const left = world.items.get(itemId)!.stock;
      const held = paidOrders
        .flatMap(([, order]) => order.lines)
        .filter((l) => l.item_id === itemId)
        .reduce((sum, l) => sum + l.quantity, 0);
      expect(left).toBeGreaterThanOrEqual(0);
      expect(left + held).toBe(initial);
      stockNow += left;
      sold += held;
    }
    expect(stockNow + sold).toBe([...stock.values()].reduce((a, b) => a + b, 0));

    // Money: each order is paid iff its user holds a payment of exactly its total for it.
    for (const [orderId, order] of orders) {
      const user = world.users.get(order.user_id)!;
      expect(user.payments[orderId]).toBe(order.status === 'paid' ? totalCost(order.lines) : undefined);
    }
    let creditNow = 0;
    let moneyPaid = 0;
    let creditIn = 0;
    for (const [userId, initial] of credit) {
      const user = world.users.get(userId)!;
      const payments = Object.entries(user.payments);
      for (const [orderId] of payments) expect(world.orders.get(orderId)?.user_id).toBe(userId);
      const paid = payments.reduce((sum, [, amount]) => sum + amount, 0);
      // add_credit is money put in from outside, counted in with the starting credit.
      const added = world.creditAdded.get(userId) ?? 0;
      expect(user.credit + paid).toBe(initial + added);
      creditNow += user.credit;
      moneyPaid += paid;
      creditIn += initial + added;
    }
    expect(creditNow + moneyPaid).toBe(creditIn);
  });

  it('exercises paid, out-of-stock, insufficient-credit, refunded and concurrent checkouts', () => {
    const total: Stats = { paid: 0, outOfStock: 0, insufficientCredit: 0, cancelled: 0, inProgress: 0 };
    for (const seed of seeds) {
      const { stats } = run(seed).world;
      for (const key of Object.keys(total) as Array<keyof Stats>) total[key] += stats[key];
    }
    expect(total.paid).toBeGreaterThan(300);
    expect(total.outOfStock).toBeGreaterThan(300);
    expect(total.insufficientCredit).toBeGreaterThan(100);
    expect(total.cancelled).toBeGreaterThan(50);
    expect(total.inProgress).toBeGreaterThan(100);
  });
});
