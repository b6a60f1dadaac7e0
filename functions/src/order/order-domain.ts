import {
  OrderCommandCodec,
  type ErrorBody,
  type OrderCommand,
  type OrderLine,
  type Reply,
  type ReplyResult,
} from '@shop/protos';
import { isPositiveQuantity } from '../limits';
import type { Decision } from '../outgoing';
import { refusal, type Requester } from '../requester';
import { canMove, isBusy, isCheckingOut, type OrderStatus } from './order-status';

type Command = OrderCommand['command'];

/** The commands that change nothing: their replies may skip the checkpoint (READ_REPLIES=fast). */
export function isOrderRead(command: Command): boolean {
  return command.kind === 'find';
}

/** The cross-entity step an order is waiting on, and what it needs to finish it. */
export type Step =
  | { kind: 'create'; token: string; requester: Requester }
  | { kind: 'add'; token: string; requester: Requester; item_id: string; quantity: number }
  | {
      kind: 'reserve';
      token: string;
      requester: Requester;
      awaiting: string[];
      reserved: string[];
      failure: ErrorBody | null;
    }
  | { kind: 'charge'; token: string; requester: Requester };

/** A command that arrived while the order was busy, kept encoded so that state stays plain JSON. */
export interface Stashed {
  requester: Requester;
  command: string;
}

export interface OrderState {
  user_id: string;
  lines: OrderLine[];
  status: OrderStatus;
  step: Step | null;
  stash: Stashed[];
  /** Numbers the steps, so that a late reply to an abandoned step is recognised and ignored. */
  seq: number;
}

export type OrderInput =
  { kind: 'command'; requester: Requester; command: Command } | { kind: 'reply'; reply: Reply };

export type OrderDecision = Decision<OrderState>;

type Out = Omit<OrderDecision, 'state'>;

export function totalCost(lines: readonly OrderLine[]): number {
  return lines.reduce((sum, line) => sum + line.quantity * line.unit_price, 0);
}

function view(orderId: string, state: OrderState): ReplyResult {
  return {
    kind: 'order',
    value: {
      order_id: orderId,
      user_id: state.user_id,
      paid: state.status === 'paid',
      items: state.lines,
      total_cost: totalCost(state.lines),
    },
  };
}

function moveTo(state: OrderState, status: OrderStatus, step: Step | null): OrderState {
  if (!canMove(state.status, status)) {
    throw new Error(`order cannot move from ${state.status} to ${status}`);
  }
  return { ...state, status, step };
}

function tokenOf(orderId: string, seq: number): string {
  return `${orderId}#${seq}`;
}

function release(out: Out, lines: readonly OrderLine[], itemIds: readonly string[]): void {
  for (const line of lines) {
    if (!itemIds.includes(line.item_id)) continue;
    // A notification (empty correlation ID): giving stock back cannot be refused, so nobody waits for it.
    out.messages.push({
      to: 'item',
      id: line.item_id,
      command: { correlation_id: '', command: { kind: 'release', value: { amount: line.quantity } } },
    });
  }
}

/** One line per item, as add_item keeps them: checkout reserves per item and matches replies by item id. */
function mergeLines(lines: readonly OrderLine[]): OrderLine[] {
  const merged: OrderLine[] = [];
  for (const line of lines) {
    const existing = merged.find((m) => m.item_id === line.item_id);
    if (existing) existing.quantity += line.quantity;
    else merged.push({ item_id: line.item_id, quantity: line.quantity, unit_price: line.unit_price });
  }
  return merged;
}

function onCommand(
  orderId: string,
  state: OrderState | undefined,
  requester: Requester,
  command: Command,
  out: Out,
): OrderState | undefined {
  const reply = (result: ReplyResult): void => {
    out.replies.push({ to: requester, result });
  };

  if (state && isBusy(state.status)) {
    if (command.kind === 'find' && state.status !== 'creating') {
      reply(view(orderId, state));
      return state;
    }
    if (command.kind === 'checkout' && isCheckingOut(state.status)) {
      reply(refusal('CHECKOUT_IN_PROGRESS', `order ${orderId} is being checked out`));
      return state;
    }
    // Everything else waits its turn, so that an order sees its commands one at a time, in order.
    return { ...state, stash: [...state.stash, { requester, command: encodeCommand(command) }] };
  }

  switch (command.kind) {
    case 'create': {
      if (state) {
        reply(refusal('ALREADY_EXISTS', `order ${orderId} already exists`));
        return state;
      }
      const token = tokenOf(orderId, 1);
      out.messages.push({
        to: 'user',
        id: command.value.user_id,
        command: { correlation_id: token, command: { kind: 'find', value: {} } },
      });
      return {
        user_id: command.value.user_id,
        lines: [],
        status: 'creating',
        step: { kind: 'create', token, requester },
        stash: [],
        seq: 1,
      };
    }
    case 'seed': {
      reply({ kind: 'success', value: { count: 1 } });
      return {
        user_id: command.value.user_id,
        lines: mergeLines(command.value.lines),
        status: 'open',
        step: null,
        stash: [],
        seq: (state?.seq ?? 0) + 1,
      };
    }
    case 'payment_cancelled': {
      // Only a refund by the order's own user unpays it; another user's payment for this id was theirs alone.
      const caller = requester.caller;
      const byOwner = caller?.type === 'user' && caller.id === state?.user_id;
      if (!state || state.status !== 'paid' || !byOwner) return state;
      release(
        out,
        state.lines,
        state.lines.map((line) => line.item_id),
      );
      return moveTo(state, 'open', null);
    }
  }

  if (!state) {
    reply(refusal('ORDER_NOT_FOUND', `order ${orderId} not found`));
    return undefined;
  }

  switch (command.kind) {
    case 'find':
      reply(view(orderId, state));
      return state;
    case 'remove':
      if (state.status === 'paid') {
        // Its stock is sold and its payment recorded: removing it would strand a later refund.
        reply(refusal('ORDER_PAID', `order ${orderId} is paid; cancel its payment before removing it`));
        return state;
      }
      reply({ kind: 'success', value: { count: 0 } });
      return undefined;
    case 'add_item': {
      if (state.status === 'paid') {
        reply(refusal('ORDER_PAID', `order ${orderId} is paid and cannot change`));
        return state;
      }
      const { item_id, quantity } = command.value;
      if (!isPositiveQuantity(quantity)) {
        reply(refusal('BAD_REQUEST', 'quantity must be a positive integer'));
        return state;
      }
      const seq = state.seq + 1;
      const token = tokenOf(orderId, seq);
      out.messages.push({
        to: 'item',
        id: item_id,
        command: { correlation_id: token, command: { kind: 'find', value: {} } },
      });
      return moveTo({ ...state, seq }, 'adding', { kind: 'add', token, requester, item_id, quantity });
    }
    case 'remove_item': {
      if (state.status === 'paid') {
        reply(refusal('ORDER_PAID', `order ${orderId} is paid and cannot change`));
        return state;
      }
      const itemId = command.value.item_id;
      if (!state.lines.some((line) => line.item_id === itemId)) {
        reply(refusal('ITEM_NOT_IN_ORDER', `item ${itemId} is not in order ${orderId}`));
        return state;
      }
      const next = { ...state, lines: state.lines.filter((line) => line.item_id !== itemId) };
      reply(view(orderId, next));
      return next;
    }
    case 'checkout': {
      if (state.status === 'paid') {
        reply(refusal('ORDER_PAID', `order ${orderId} is already paid`));
        return state;
      }
      if (state.lines.length === 0) {
        reply(refusal('ORDER_EMPTY', `order ${orderId} has no items`));
        return state;
      }
      const seq = state.seq + 1;
      const token = tokenOf(orderId, seq);
      for (const line of state.lines) {
        out.messages.push({
          to: 'item',
          id: line.item_id,
          command: {
            correlation_id: `${token}/${line.item_id}`,
            command: { kind: 'reserve', value: { amount: line.quantity } },
          },
        });
      }
      return moveTo({ ...state, seq }, 'reserving', {
        kind: 'reserve',
        token,
        requester,
        awaiting: state.lines.map((line) => line.item_id),
        reserved: [],
        failure: null,
      });
    }
  }
}

function onReply(
  orderId: string,
  state: OrderState | undefined,
  reply: Reply,
  out: Out,
): OrderState | undefined {
  const step = state?.step;
  if (!state || !step) return state;
  const answer = (result: ReplyResult): void => {
    out.replies.push({ to: step.requester, result });
  };
  const { correlation_id: correlation, result } = reply;

  switch (step.kind) {
    case 'create': {
      if (correlation !== step.token) return state;
      if (result.kind !== 'user') {
        answer(
          result.kind === 'error' ? result : refusal('USER_NOT_FOUND', `user ${state.user_id} not found`),
        );
        return undefined;
      }
      answer({ kind: 'order_created', value: { order_id: orderId } });
      return moveTo(state, 'open', null);
    }
    case 'add': {
      if (correlation !== step.token) return state;
      if (result.kind !== 'item') {
        answer(
          result.kind === 'error' ? result : refusal('ITEM_NOT_FOUND', `item ${step.item_id} not found`),
        );
        return moveTo(state, 'open', null);
      }
      const price = result.value.price;
      const existing = state.lines.find((line) => line.item_id === step.item_id);
      const lines = existing
        ? state.lines.map((line) =>
            line === existing ? { ...line, quantity: line.quantity + step.quantity } : line,
          )
        : [...state.lines, { item_id: step.item_id, quantity: step.quantity, unit_price: price }];
      if (
        !Number.isSafeInteger(totalCost(lines)) ||
        lines.some((line) => !Number.isSafeInteger(line.quantity))
      ) {
        answer(refusal('LIMIT_EXCEEDED', 'the order total would exceed the maximum'));
        return moveTo(state, 'open', null);
      }
      const next = moveTo({ ...state, lines }, 'open', null);
      answer(view(orderId, next));
      return next;
    }
    case 'reserve': {
      const prefix = `${step.token}/`;
      if (!correlation.startsWith(prefix)) return state;
      const itemId = correlation.slice(prefix.length);
      if (!step.awaiting.includes(itemId)) return state;
      const awaiting = step.awaiting.filter((id) => id !== itemId);
      const reserved = result.kind === 'stock_level' ? [...step.reserved, itemId] : step.reserved;
      const failure =
        step.failure ??
        (result.kind === 'error' ? result.value : result.kind === 'stock_level' ? null : unexpected(result));
      if (awaiting.length > 0) {
        return { ...state, step: { ...step, awaiting, reserved, failure } };
      }
      if (failure) {
        release(out, state.lines, reserved);
        answer({ kind: 'error', value: failure });
        return moveTo(state, 'open', null);
      }
      out.messages.push({
        to: 'user',
        id: state.user_id,
        command: {
          correlation_id: step.token,
          command: { kind: 'pay', value: { order_id: orderId, amount: totalCost(state.lines) } },
        },
      });
      return moveTo(state, 'charging', { kind: 'charge', token: step.token, requester: step.requester });
    }
    case 'charge': {
      if (correlation !== step.token) return state;
      if (result.kind !== 'user') {
        release(
          out,
          state.lines,
          state.lines.map((line) => line.item_id),
        );
        answer(result.kind === 'error' ? result : { kind: 'error', value: unexpected(result) });
        return moveTo(state, 'open', null);
      }
      const next = moveTo(state, 'paid', null);
      answer(view(orderId, next));
      return next;
    }
  }
}

function unexpected(result: ReplyResult): ErrorBody {
  return { code: 'SHOP_ERR_UNEXPECTED_REPLY', message: `unexpected ${result.kind} reply` };
}

function encodeCommand(command: Command): string {
  return Buffer.from(OrderCommandCodec.encode({ correlation_id: '', command })).toString('base64');
}

function decodeCommand(encoded: string): Command {
  return OrderCommandCodec.decode(Buffer.from(encoded, 'base64')).command;
}

/**
 * Applies one input (a command, or a reply from a user or item the order waits on) and then every
 * queued command the order can now take, in arrival order.
 */
export function decideOrder(
  orderId: string,
  state: OrderState | undefined,
  input: OrderInput,
): OrderDecision {
  const out: Out = { replies: [], messages: [] };
  // Queued commands of an order that just ceased to exist: they are answered as for an unknown order.
  const orphans: Stashed[] = [];
  const apply = (before: OrderState | undefined, next: OrderState | undefined): OrderState | undefined => {
    if (next === undefined && before) orphans.push(...before.stash);
    return next;
  };

  let current =
    input.kind === 'reply'
      ? apply(state, onReply(orderId, state, input.reply, out))
      : apply(state, onCommand(orderId, state, input.requester, input.command, out));

  for (;;) {
    let next: Stashed | undefined;
    if (current === undefined) {
      next = orphans.shift();
    } else if (!isBusy(current.status) && current.stash.length > 0) {
      next = current.stash[0];
      current = { ...current, stash: current.stash.slice(1) };
    }
    if (!next) break;
    const before: OrderState | undefined = current;
    current = apply(before, onCommand(orderId, before, next.requester, decodeCommand(next.command), out));
    if (current && orphans.length > 0) {
      current = { ...current, stash: [...current.stash, ...orphans.splice(0)] };
    }
  }
  return { state: current, replies: out.replies, messages: out.messages };
}
