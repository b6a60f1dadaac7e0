import {
  BatchCommandCodec,
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
import { decideBatch, type BatchInput, type BatchOutgoing, type BatchState } from './batch-domain';

export const BatchStateSpec = valueSpec('batch', Types.json<BatchState>('shop.types/BatchState'));

function send(ctx: Context, message: BatchOutgoing): void {
  switch (message.to) {
    case 'user':
      return ctx.send(addressOf(FunctionTypes.user, message.id), UserCommandCodec, message.command);
    case 'item':
      return ctx.send(addressOf(FunctionTypes.item, message.id), ItemCommandCodec, message.command);
    case 'order':
      return ctx.send(addressOf(FunctionTypes.order, message.id), OrderCommandCodec, message.command);
  }
}

const randomInt = (n: number): number => Math.floor(Math.random() * n);

/** shop/batch: one instance per batch_init request (id = its correlation ID). */
export const batchFunction = statefulFunction({
  typename: FunctionTypes.batch,
  specs: [BatchStateSpec],
  handle(ctx, message) {
    let input: BatchInput;
    if (message.is(ReplyCodec)) {
      input = { kind: 'reply', reply: message.as(ReplyCodec) };
    } else {
      const { correlation_id, command } = message.as(BatchCommandCodec);
      input = { kind: 'command', requester: requesterOf(ctx, correlation_id), command };
    }
    const before = ctx.state.get(BatchStateSpec);
    const decision = decideBatch(ctx.self.id, before, input, randomInt);
    persist(ctx, BatchStateSpec, before, decision.state);
    for (const outgoing of decision.messages) send(ctx, outgoing);
    for (const reply of decision.replies) respond(ctx, reply);
  },
});
