import { FunctionTypes, OrderCommandCodec, ReplyCodec } from '@shop/protos';
import { Types, statefulFunction, valueSpec } from '@shop/statefun';
import { carryOut } from '../outgoing';
import { RecentRequestsSpec, isNewRequest } from '../recent-requests';
import { requesterOf } from '../requester';
import { functionEvents } from '../telemetry';
import { endedCheckout } from './checkout-outcome';
import { decideOrder, isOrderRead, type OrderInput, type OrderState } from './order-domain';

export const OrderStateSpec = valueSpec('order', Types.json<OrderState>('shop.types/OrderState'));

/** shop/order: one instance per order id; drives the checkout saga with messages to shop/item and shop/user. */
export const orderFunction = statefulFunction({
  typename: FunctionTypes.order,
  specs: [OrderStateSpec, RecentRequestsSpec],
  handle(ctx, message) {
    let input: OrderInput;
    if (message.is(ReplyCodec)) {
      input = { kind: 'reply', reply: message.as(ReplyCodec) };
    } else {
      const { correlation_id, command, fast_read_reply } = message.as(OrderCommandCodec);
      const read = isOrderRead(command);
      // A resent checkout is dropped, not refused as in progress: the first one's reply answers both.
      if (!read && !isNewRequest(ctx, correlation_id)) return;
      input = {
        kind: 'command',
        requester: requesterOf(ctx, correlation_id, read && fast_read_reply),
        command,
      };
    }
    const before = ctx.state.get(OrderStateSpec);
    const decision = decideOrder(ctx.self.id, before, input);
    carryOut(ctx, OrderStateSpec, before, decision);
    const ended = endedCheckout(before, input, decision);
    if (ended) functionEvents().checkoutEnded(ctx.self.id, ended);
  },
});
