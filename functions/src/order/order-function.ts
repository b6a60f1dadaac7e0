import {
  FunctionTypes,
  ItemCommandCodec,
  OrderCommandCodec,
  ReplyCodec,
  UserCommandCodec,
  addressOf,
} from '@shop/protos';
import { Types, statefulFunction, valueSpec, type Context } from '@shop/statefun';
import { persist } from '../persist';
import { requesterOf, respond } from '../requester';
import { decideOrder, type OrderInput, type OrderOutgoing, type OrderState } from './order-domain';

export const OrderStateSpec = valueSpec('order', Types.json<OrderState>('shop.types/OrderState'));

function send(ctx: Context, message: OrderOutgoing): void {
  if (message.to === 'user')
    ctx.send(addressOf(FunctionTypes.user, message.id), UserCommandCodec, message.command);
  else ctx.send(addressOf(FunctionTypes.item, message.id), ItemCommandCodec, message.command);
}

/** shop/order: one instance per order id; drives the checkout saga with messages to shop/item and shop/user. */
export const orderFunction = statefulFunction({
  typename: FunctionTypes.order,
  specs: [OrderStateSpec],
  handle(ctx, message) {
    let input: OrderInput;
    if (message.is(ReplyCodec)) {
      input = { kind: 'reply', reply: message.as(ReplyCodec) };
    } else {
      const { correlation_id, command } = message.as(OrderCommandCodec);
      input = { kind: 'command', requester: requesterOf(ctx, correlation_id), command };
    }
    const before = ctx.state.get(OrderStateSpec);
    const decision = decideOrder(ctx.self.id, before, input);
    persist(ctx, OrderStateSpec, before, decision.state);
    for (const outgoing of decision.messages) send(ctx, outgoing);
    for (const reply of decision.replies) respond(ctx, reply);
  },
});
