import { FunctionTypes, OrderCommandCodec, UserCommandCodec, addressOf } from '@shop/protos';
import { Types, statefulFunction, valueSpec } from '@shop/statefun';
import { persist } from '../persist';
import { RecentRequestsSpec, isNewRequest } from '../recent-requests';
import { requesterOf, respond } from '../requester';
import { decideUser, isUserRead, type UserState } from './user-domain';

export const UserStateSpec = valueSpec('user', Types.json<UserState>('shop.types/UserState'));

/** shop/user: one instance per user id. */
export const userFunction = statefulFunction({
  typename: FunctionTypes.user,
  specs: [UserStateSpec, RecentRequestsSpec],
  handle(ctx, message) {
    const { correlation_id, command, fast_read_reply } = message.as(UserCommandCodec);
    const read = isUserRead(command);
    if (!read && !isNewRequest(ctx, correlation_id)) return;
    const before = ctx.state.get(UserStateSpec);
    const decision = decideUser(ctx.self.id, before, command);
    persist(ctx, UserStateSpec, before, decision.state);
    if (decision.cancelledOrderId) {
      ctx.send(addressOf(FunctionTypes.order, decision.cancelledOrderId), OrderCommandCodec, {
        correlation_id: '',
        command: { kind: 'payment_cancelled', value: {} },
      });
    }
    respond(ctx, { to: requesterOf(ctx, correlation_id, read && fast_read_reply), result: decision.result });
  },
});
