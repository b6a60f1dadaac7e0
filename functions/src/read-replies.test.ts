import {
  FromFunctionCodec,
  ItemCommandCodec,
  KafkaProducerRecordCodec,
  OrderCommandCodec,
  ReplyCodec,
  ToFunctionCodec,
  Topics,
  UserCommandCodec,
  type Codec,
  type Reply,
} from '@shop/protos';
import type { ValueSpec } from '@shop/statefun';
import { ItemStateSpec } from './item/item-function';
import { OrderStateSpec } from './order/order-function';
import { RecentRequestsSpec } from './recent-requests';
import { UserStateSpec } from './user/user-function';
import { createShopHandler } from './index';

// READ_REPLIES=fast: the gateway flags every entity command with fast_read_reply, and the function
// alone decides whether it is a read. Only a read's reply goes to the at-least-once read egress.

const handler = createShopHandler();

interface Invocation<C> {
  type: 'user' | 'item' | 'order';
  state: { spec: ValueSpec<unknown>; value: unknown };
  codec: Codec<C>;
  command: C;
}

/** One gateway command through the request-reply handler: where its reply went, and what it wrote. */
async function invoke<C>(call: Invocation<C>) {
  const specs: { spec: ValueSpec<unknown>; value: unknown }[] = [
    call.state,
    { spec: RecentRequestsSpec as ValueSpec<unknown>, value: undefined },
  ];
  const bytes = await handler(
    ToFunctionCodec.encode({
      invocation: {
        target: { namespace: 'shop', type: call.type, id: '7' },
        state: specs.map(({ spec, value }) => ({
          state_name: spec.name,
          state_value: {
            typename: spec.type.typename,
            has_value: value !== undefined,
            value: value === undefined ? new Uint8Array() : spec.type.encode(value),
          },
        })),
        invocations: [
          {
            argument: {
              typename: call.codec.typename,
              has_value: true,
              value: call.codec.encode(call.command),
            },
          },
        ],
      },
    }),
  );
  const result = FromFunctionCodec.decode(bytes).invocation_result!;
  expect(result.outgoing_egresses).toHaveLength(1);
  const egress = result.outgoing_egresses[0]!;
  const record = KafkaProducerRecordCodec.decode(egress.argument.value);
  const reply: Reply = ReplyCodec.decode(record.value_bytes);
  return {
    egress: `${egress.egress_namespace}/${egress.egress_type}`,
    topic: record.topic,
    key: record.key,
    reply: reply.result.kind,
    wrote: result.state_mutations.map((m) => m.state_name),
  };
}

const user = { spec: UserStateSpec as ValueSpec<unknown>, value: { credit: 5, payments: { o1: 2 } } };
const item = { spec: ItemStateSpec as ValueSpec<unknown>, value: { price: 3, stock: 4, held: 0 } };
const order = {
  spec: OrderStateSpec as ValueSpec<unknown>,
  value: { user_id: 'u', lines: [], status: 'open', step: null, stash: [], seq: 1 },
};
const fastRead = { egress: 'shop/read-replies', topic: Topics.readReplies, key: 'c', wrote: [] };
const committed = { egress: 'shop/replies', topic: Topics.egress, key: 'c' };

describe('functions > read replies', () => {
  it.each([
    ['user find', { type: 'user', state: user, codec: UserCommandCodec, kind: 'find', value: {} }, 'user'],
    [
      'user payment_status',
      {
        type: 'user',
        state: user,
        codec: UserCommandCodec,
        kind: 'payment_status',
        value: { order_id: 'o1' },
      },
      'payment_status',
    ],
    ['item find', { type: 'item', state: item, codec: ItemCommandCodec, kind: 'find', value: {} }, 'item'],
    [
      'item availability',
      { type: 'item', state: item, codec: ItemCommandCodec, kind: 'availability', value: {} },
      'stock_level',
    ],
    [
      'order find',
      { type: 'order', state: order, codec: OrderCommandCodec, kind: 'find', value: {} },
      'order',
    ],
  ] as const)(
    'sends the reply to a flagged %s to the read egress, and writes no state',
    async (_n, c, kind) => {
      const command = {
        correlation_id: 'c',
        command: { kind: c.kind, value: c.value },
        fast_read_reply: true,
      };
      const call = { type: c.type, state: c.state, codec: c.codec as Codec<unknown>, command };
      expect(await invoke(call)).toEqual({ ...fastRead, reply: kind });
      // Unflagged (READ_REPLIES=committed), the same read is answered through the exactly-once egress.
      const unflagged = { ...call, command: { ...command, fast_read_reply: false } };
      expect(await invoke(unflagged)).toEqual({ ...committed, reply: kind, wrote: [] });
    },
  );

  it('answers a flagged write on the exactly-once egress, and remembers its correlation ID', async () => {
    expect(
      await invoke({
        type: 'user',
        state: user,
        codec: UserCommandCodec,
        command: {
          correlation_id: 'c',
          command: { kind: 'add_credit', value: { amount: 1 } },
          fast_read_reply: true,
        },
      }),
    ).toEqual({ ...committed, reply: 'user', wrote: ['user', 'recent'] });
    expect(
      await invoke({
        type: 'item',
        state: item,
        codec: ItemCommandCodec,
        command: {
          correlation_id: 'c',
          command: { kind: 'subtract_stock', value: { amount: 9 } },
          fast_read_reply: true,
        },
      }),
    ).toEqual({ ...committed, reply: 'error', wrote: ['recent'] });
  });

  it('answers a flagged read of an entity that does not exist on the read egress too', async () => {
    const missing = { spec: UserStateSpec as ValueSpec<unknown>, value: undefined };
    expect(
      await invoke({
        type: 'user',
        state: missing,
        codec: UserCommandCodec,
        command: { correlation_id: 'c', command: { kind: 'find', value: {} }, fast_read_reply: true },
      }),
    ).toEqual({ ...fastRead, reply: 'error' });
  });
});
