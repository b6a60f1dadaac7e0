import {
  BatchCommandCodec,
  ItemCommandCodec,
  OrderCommandCodec,
  ReplyCodec,
  UserCommandCodec,
  type Codec,
  type OrderCommand,
  type ReplyResult,
} from './index';
import { root } from './root';

/**
 * Own fields only: decoded messages keep proto3 defaults on their prototype, and their toJSON would
 * turn int64 into strings, which is not what the code reads.
 */
function plain(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(plain);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(Object.keys(value).map((k) => [k, plain((value as Record<string, unknown>)[k])]));
}

function roundTrip<T>(codec: Codec<T>, value: T): unknown {
  return plain(codec.decode(codec.encode(value)));
}

describe('protos > codecs', () => {
  it('round-trips every user command with its correlation ID', () => {
    const commands = [
      { kind: 'create', value: { credit: 5, reset: true } },
      { kind: 'add_credit', value: { amount: Number.MAX_SAFE_INTEGER } },
      { kind: 'pay', value: { order_id: 'o-1', amount: 3 } },
      { kind: 'cancel_payment', value: { order_id: 'o-1' } },
    ] as const;
    for (const command of commands) {
      expect(roundTrip(UserCommandCodec, { correlation_id: 'c-1', command })).toEqual({
        correlation_id: 'c-1',
        command,
        fast_read_reply: false,
      });
    }
  });

  it("carries the gateway's fast_read_reply flag on entity commands, and drops it on batch commands", () => {
    const find = { kind: 'find', value: {} } as const;
    expect(
      roundTrip(UserCommandCodec, { correlation_id: 'c', command: find, fast_read_reply: true }),
    ).toEqual({ correlation_id: 'c', command: find, fast_read_reply: true });
    expect(
      roundTrip(ItemCommandCodec, { correlation_id: 'c', command: find, fast_read_reply: true }),
    ).toEqual({ correlation_id: 'c', command: find, fast_read_reply: true });
    expect(roundTrip(OrderCommandCodec, { correlation_id: 'c', command: find })).toEqual({
      correlation_id: 'c',
      command: find,
      fast_read_reply: false,
    });
    const batch = { kind: 'users', value: { n: 1, starting_money: 2 } } as const;
    const flagged = { correlation_id: 'c', command: batch, fast_read_reply: true };
    expect(roundTrip(BatchCommandCodec, flagged)).toEqual({ correlation_id: 'c', command: batch });
  });

  it('round-trips item, order and batch commands', () => {
    expect(
      roundTrip(ItemCommandCodec, {
        correlation_id: 'c',
        command: { kind: 'subtract_stock', value: { amount: 2 } },
      }),
    ).toEqual({
      correlation_id: 'c',
      command: { kind: 'subtract_stock', value: { amount: 2 } },
      fast_read_reply: false,
    });
    const seed: OrderCommand = {
      correlation_id: 'c',
      command: {
        kind: 'seed',
        value: { user_id: '4', lines: [{ item_id: '1', quantity: 2, unit_price: 9 }] },
      },
    };
    expect(roundTrip(OrderCommandCodec, seed)).toEqual({ ...seed, fast_read_reply: false });
    const batch = {
      correlation_id: 'c',
      command: { kind: 'orders', value: { n: 10, n_items: 3, n_users: 4, item_price: 1 } },
    } as const;
    expect(roundTrip(BatchCommandCodec, batch)).toEqual(batch);
  });

  it('round-trips every reply kind', () => {
    const results: ReplyResult[] = [
      { kind: 'error', value: { code: 'SHOP_ERR_OUT_OF_STOCK', message: 'none left' } },
      { kind: 'user', value: { user_id: 'u', credit: 12 } },
      { kind: 'item', value: { item_id: 'i', stock: 3, price: 4 } },
      {
        kind: 'order',
        value: {
          order_id: 'o',
          user_id: 'u',
          paid: true,
          items: [{ item_id: 'i', quantity: 1, unit_price: 4 }],
          total_cost: 4,
        },
      },
      { kind: 'payment_status', value: { paid: true } },
      { kind: 'success', value: { count: 7 } },
    ];
    for (const result of results) {
      expect(roundTrip(ReplyCodec, { correlation_id: 'r', result })).toEqual({ correlation_id: 'r', result });
    }
  });

  it('declares a TypeScript command kind for every oneof member of the protos', () => {
    const members = (type: string) => [...root.lookupType(type).oneofs!.command!.oneof].sort();
    // Each kind below appears in a switch of the domain code; a proto member without one would be unhandled.
    expect(members('shop.types.UserCommand')).toEqual(
      [
        'add_credit',
        'cancel_payment',
        'create',
        'find',
        'pay',
        'payment_status',
        'remove',
        'subtract_credit',
      ].sort(),
    );
    expect(members('shop.types.ItemCommand')).toEqual(
      ['add_stock', 'availability', 'create', 'find', 'release', 'reserve', 'subtract_stock'].sort(),
    );
    expect(members('shop.types.OrderCommand')).toEqual(
      ['add_item', 'checkout', 'create', 'find', 'payment_cancelled', 'remove', 'remove_item', 'seed'].sort(),
    );
  });
});
