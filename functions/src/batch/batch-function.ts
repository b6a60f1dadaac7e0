import { BatchCommandCodec, FunctionTypes, ReplyCodec } from '@shop/protos';
import { Types, statefulFunction, valueSpec } from '@shop/statefun';
import { carryOut } from '../outgoing';
import { requesterOf } from '../requester';
import { decideBatch, type BatchInput, type BatchState } from './batch-domain';

export const BatchStateSpec = valueSpec('progress', Types.json<BatchState>('shop.types/BatchState'));

const randomInt = (n: number): number => Math.floor(Math.random() * n);

/**
 * shop/batch: one instance per kind of entity (id `users`, `items`, `orders`), so one batch_init of a kind
 * at a time; sends the creates a window at a time and answers once all are in.
 */
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
    carryOut(ctx, BatchStateSpec, before, decideBatch(ctx.self.id, before, input, randomInt));
  },
});
