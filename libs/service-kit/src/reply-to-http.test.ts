import { ReplyCodec, type ReplyResult } from '@shop/protos';
import { replyToHttp } from './reply-to-http';

type Kind = ReplyResult['kind'];

/**
 * One reply of every kind, each with every field at its zero, false or empty value: what proto3 leaves
 * off the wire. The record's type makes a new kind in the protos fail to compile here until it is added.
 */
const zeroReplies: { [K in Kind]: Extract<ReplyResult, { kind: K }> } = {
  error: { kind: 'error', value: { code: 'SHOP_ERR_OUT_OF_STOCK', message: '' } },
  user_created: { kind: 'user_created', value: { user_id: '0' } },
  user: { kind: 'user', value: { user_id: '0', credit: 0 } },
  item_created: { kind: 'item_created', value: { item_id: '0' } },
  item: { kind: 'item', value: { item_id: '0', stock: 0, price: 0 } },
  stock_level: { kind: 'stock_level', value: { item_id: '0', stock: 0 } },
  order_created: { kind: 'order_created', value: { order_id: '0' } },
  order: { kind: 'order', value: { order_id: '0', user_id: '0', paid: false, items: [], total_cost: 0 } },
  payment_status: { kind: 'payment_status', value: { paid: false } },
  success: { kind: 'success', value: { count: 0 } },
  message: { kind: 'message', value: { typename: 'shop.types/Empty', value: new Uint8Array(0) } },
  batch_done: { kind: 'batch_done', value: { count: 0 } },
};

/** What a REST client sees for each of them: every field present. */
const expected: { [K in Kind]: { status: number; body: Record<string, unknown> } } = {
  error: { status: 409, body: { error: '', code: 'SHOP_ERR_OUT_OF_STOCK' } },
  user_created: { status: 201, body: { user_id: '0' } },
  user: { status: 200, body: { user_id: '0', credit: 0 } },
  item_created: { status: 201, body: { item_id: '0' } },
  item: { status: 200, body: { item_id: '0', stock: 0, price: 0 } },
  stock_level: { status: 200, body: { item_id: '0', stock: 0 } },
  order_created: { status: 201, body: { order_id: '0' } },
  order: { status: 200, body: { order_id: '0', paid: false, items: [], user_id: '0', total_cost: 0 } },
  payment_status: { status: 200, body: { paid: false } },
  success: { status: 200, body: { success: true } },
  message: { status: 200, body: { typename: 'shop.types/Empty', value: '' } },
  batch_done: { status: 200, body: { success: true, count: 0 } },
};

/** The reply as the gateway gets it: encoded by a function, decoded from the egress record. */
const overTheWire = (result: ReplyResult) =>
  ReplyCodec.decode(ReplyCodec.encode({ correlation_id: 'c-1', result }));

/** The body as the client parses it: a field that JSON drops (undefined) is gone here too. */
const asClientSees = (body: Record<string, unknown>): unknown => JSON.parse(JSON.stringify(body));

describe('service-kit > reply to HTTP', () => {
  it.each(Object.keys(zeroReplies) as Kind[])(
    '%s with zero, false and empty values keeps every field',
    (kind) => {
      const answer = replyToHttp(overTheWire(zeroReplies[kind]));
      expect({ status: answer.status, body: asClientSees(answer.body) }).toEqual(expected[kind]);
    },
  );

  it('a batch_init answers its count, and any other success only {success: true}', () => {
    const batch = replyToHttp(overTheWire({ kind: 'batch_done', value: { count: 1_000_000 } }));
    expect(batch).toEqual({ status: 200, body: { success: true, count: 1_000_000 } });
    const other = replyToHttp(overTheWire({ kind: 'success', value: { count: 1 } }));
    expect(other).toEqual({ status: 200, body: { success: true } });
  });

  it('shows an order with lines as [item_id, quantity] pairs', () => {
    const answer = replyToHttp(
      overTheWire({
        kind: 'order',
        value: {
          order_id: 'o',
          user_id: 'u',
          paid: true,
          items: [
            { item_id: 'a', quantity: 2, unit_price: 3 },
            { item_id: 'b', quantity: 1, unit_price: 0 },
          ],
          total_cost: 6,
        },
      }),
    );
    expect(asClientSees(answer.body)).toEqual({
      order_id: 'o',
      paid: true,
      items: [
        ['a', 2],
        ['b', 1],
      ],
      user_id: 'u',
      total_cost: 6,
    });
  });
});
