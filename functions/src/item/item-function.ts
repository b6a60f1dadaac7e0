import { FunctionTypes, ItemCommandCodec } from '@shop/protos';
import { Types, statefulFunction, valueSpec } from '@shop/statefun';
import { persist } from '../persist';
import { RecentRequestsSpec, isNewRequest } from '../recent-requests';
import { requesterOf, respond } from '../requester';
import { decideItem, isItemRead, type ItemState } from './item-domain';

export const ItemStateSpec = valueSpec('item', Types.json<ItemState>('shop.types/ItemState'));

/** shop/item: one instance per item id. Checkout reserves with subtract_stock and releases with add_stock. */
export const itemFunction = statefulFunction({
  typename: FunctionTypes.item,
  specs: [ItemStateSpec, RecentRequestsSpec],
  handle(ctx, message) {
    const { correlation_id, command, fast_read_reply } = message.as(ItemCommandCodec);
    const read = isItemRead(command);
    if (!read && !isNewRequest(ctx, correlation_id)) return;
    const before = ctx.state.get(ItemStateSpec);
    const decision = decideItem(ctx.self.id, before, command);
    persist(ctx, ItemStateSpec, before, decision.state);
    respond(ctx, { to: requesterOf(ctx, correlation_id, read && fast_read_reply), result: decision.result });
  },
});
