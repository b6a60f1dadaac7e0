import {
  FunctionTypes,
  ItemCommandCodec,
  OrderCommandCodec,
  UserCommandCodec,
  addressOf,
  type ItemCommand,
  type OrderCommand,
  type UserCommand,
} from '@shop/protos';
import type { Context, ValueSpec } from '@shop/statefun';
import { persist } from './persist';
import { respond, type Outbound } from './requester';

/** A command one function sends to another entity, as a domain module decides it. */
export type Outgoing =
  | { to: 'user'; id: string; command: UserCommand }
  | { to: 'item'; id: string; command: ItemCommand }
  | { to: 'order'; id: string; command: OrderCommand };

export function sendCommand(ctx: Context, message: Outgoing): void {
  switch (message.to) {
    case 'user':
      return ctx.send(addressOf(FunctionTypes.user, message.id), UserCommandCodec, message.command);
    case 'item':
      return ctx.send(addressOf(FunctionTypes.item, message.id), ItemCommandCodec, message.command);
    case 'order':
      return ctx.send(addressOf(FunctionTypes.order, message.id), OrderCommandCodec, message.command);
  }
}

/** What a saga-driving domain module decides for one input. */
export interface Decision<S> {
  state: S | undefined;
  replies: Outbound[];
  messages: Outgoing[];
}

/** Carries a decision out: state first, then the commands it sends, then the replies it owes. */
export function carryOut<S>(
  ctx: Context,
  spec: ValueSpec<S>,
  before: S | undefined,
  decision: Decision<S>,
): void {
  persist(ctx, spec, before, decision.state);
  for (const message of decision.messages) sendCommand(ctx, message);
  for (const reply of decision.replies) respond(ctx, reply);
}
