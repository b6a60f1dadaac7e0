import { FunctionTypes, OrderCommandCodec, ReplyCodec } from '@shop/protos';
import { Types, statefulFunction, valueSpec } from '@shop/statefun';
import { carryOut } from '../outgoing';
import { requesterOf } from '../requester';
import { decideOrder, type OrderInput, type OrderState } from './order-domain';

export const OrderStateSpec = valueSpec('order', Types.json<OrderState>('shop.types/OrderState'));

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
    carryOut(ctx, OrderStateSpec, before, decideOrder(ctx.self.id, before, input));
  },
});
