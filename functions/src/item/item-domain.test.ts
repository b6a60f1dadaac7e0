import { ErrorCodes, type ErrorKind, type ItemCommand, type ReplyResult } from '@shop/protos';
import { decideItem, type ItemState } from './item-domain';

type Command = ItemCommand['command'];

const create = (price: number, stock: number, reset = false): Command => ({
  kind: 'create',
  value: { price, stock, reset },
});
const find: Command = { kind: 'find', value: {} };
const availability: Command = { kind: 'availability', value: {} };
const addStock = (amount: number): Command => ({ kind: 'add_stock', value: { amount } });
const subtractStock = (amount: number): Command => ({ kind: 'subtract_stock', value: { amount } });

function errorCode(result: ReplyResult): string {
  if (result.kind !== 'error') throw new Error(`expected an error reply, got ${result.kind}`);
  return result.value.code;
}

/** Asserts a refusal: the given error code, and the very state object it was given back. */
function expectRefused(state: ItemState | undefined, command: Command, kind: ErrorKind, id = 'i1'): string {
  const decision = decideItem(id, state, command);
  expect(errorCode(decision.result)).toBe(ErrorCodes[kind].code);
  expect(decision.state).toBe(state);
  return decision.result.kind === 'error' ? decision.result.value.message : '';
}

const item = (price: number, stock: number, held = 0): ItemState => ({ price, stock, held });

describe('functions > item > domain', () => {
  describe('create', () => {
    it('creates a new item with its price and stock', () => {
      const decision = decideItem('i1', undefined, create(12, 3));
      expect(decision.state).toEqual({ price: 12, stock: 3, held: 0 });
      expect(decision.result).toEqual({ kind: 'item_created', value: { item_id: 'i1' } });
    });

    it('creates an item with no stock', () => {
      expect(decideItem('i1', undefined, create(1, 0)).state).toEqual({ price: 1, stock: 0, held: 0 });
    });

    it('refuses to create an existing item, returning the same state object', () => {
      const state = item(5, 9);
      const message = expectRefused(state, create(7, 1), 'ALREADY_EXISTS', 'i42');
      expect(message).toContain('i42');
      expect(state).toEqual({ price: 5, stock: 9, held: 0 });
    });

    it('resets an existing item to the new price and stock', () => {
      const state = item(5, 9);
      const decision = decideItem('i1', state, create(7, 1, true));
      expect(decision.state).toEqual({ price: 7, stock: 1, held: 0 });
      expect(decision.result).toEqual({ kind: 'item_created', value: { item_id: 'i1' } });
      expect(state).toEqual({ price: 5, stock: 9, held: 0 });
    });

    it.each([0, -1, 1.5, NaN, Number.MAX_SAFE_INTEGER + 1])('refuses price %p as BAD_REQUEST', (price) => {
      expectRefused(undefined, create(price, 1), 'BAD_REQUEST');
      expectRefused(item(5, 9), create(price, 1, true), 'BAD_REQUEST');
    });

    it.each([-1, 0.5, NaN, Infinity])('refuses stock %p as BAD_REQUEST', (stock) => {
      expectRefused(undefined, create(3, stock), 'BAD_REQUEST');
      expectRefused(item(5, 9), create(3, stock, true), 'BAD_REQUEST');
    });
  });

  describe('commands on a missing item', () => {
    it.each<[string, Command]>([
      ['find', find],
      ['availability', availability],
      ['add_stock', addStock(1)],
      ['subtract_stock', subtractStock(1)],
    ])('%s answers ITEM_NOT_FOUND and keeps the state undefined', (_name, command) => {
      expect(expectRefused(undefined, command, 'ITEM_NOT_FOUND', 'ghost')).toContain('ghost');
    });
  });

  describe('find and availability', () => {
    it('finds an item: id, stock and price, state untouched', () => {
      const state = item(12, 3);
      const decision = decideItem('i7', state, find);
      expect(decision.result).toEqual({ kind: 'item', value: { item_id: 'i7', stock: 3, price: 12 } });
      expect(decision.state).toBe(state);
    });

    it('answers the stock level, state untouched', () => {
      const state = item(12, 3);
      const decision = decideItem('i7', state, availability);
      expect(decision.result).toEqual({ kind: 'stock_level', value: { item_id: 'i7', stock: 3 } });
      expect(decision.state).toBe(state);
    });
  });

  describe('add_stock', () => {
    it('adds stock, keeps the price and answers the new level', () => {
      const state = item(12, 3);
      const decision = decideItem('i1', state, addStock(4));
      expect(decision.state).toEqual({ price: 12, stock: 7, held: 0 });
      expect(decision.result).toEqual({ kind: 'stock_level', value: { item_id: 'i1', stock: 7 } });
      expect(state.stock).toBe(3);
    });

    it.each([0, -2, 1.5, NaN])('refuses amount %p as BAD_REQUEST', (amount) => {
      expectRefused(item(12, 3), addStock(amount), 'BAD_REQUEST');
    });

    it('adds up to exactly Number.MAX_SAFE_INTEGER', () => {
      expect(decideItem('i1', item(1, Number.MAX_SAFE_INTEGER - 1), addStock(1)).state?.stock).toBe(
        Number.MAX_SAFE_INTEGER,
      );
    });

    it('refuses to go beyond Number.MAX_SAFE_INTEGER as LIMIT_EXCEEDED', () => {
      expectRefused(item(1, Number.MAX_SAFE_INTEGER - 1), addStock(2), 'LIMIT_EXCEEDED');
      expectRefused(item(1, Number.MAX_SAFE_INTEGER), addStock(1), 'LIMIT_EXCEEDED');
      expectRefused(item(1, 10), addStock(Number.MAX_SAFE_INTEGER), 'LIMIT_EXCEEDED');
    });
  });

  describe('subtract_stock', () => {
    it('subtracts stock and answers the new level', () => {
      const decision = decideItem('i1', item(12, 5), subtractStock(2));
      expect(decision.state).toEqual({ price: 12, stock: 3, held: 0 });
      expect(decision.result).toEqual({ kind: 'stock_level', value: { item_id: 'i1', stock: 3 } });
    });

    it('may take the stock to exactly zero', () => {
      expect(decideItem('i1', item(12, 5), subtractStock(5)).state).toEqual({ price: 12, stock: 0, held: 0 });
    });

    it('refuses more than the stock as OUT_OF_STOCK, state identical', () => {
      const state = item(12, 5);
      const message = expectRefused(state, subtractStock(6), 'OUT_OF_STOCK', 'i3');
      expect(message).toContain('i3');
      expect(message).toMatch(/5.*6/);
      expect(state).toEqual({ price: 12, stock: 5, held: 0 });
      expectRefused(item(12, 0), subtractStock(1), 'OUT_OF_STOCK');
    });

    it.each([0, -1, 0.5, NaN])('refuses amount %p as BAD_REQUEST', (amount) => {
      expectRefused(item(12, 5), subtractStock(amount), 'BAD_REQUEST');
    });

    it('subtract then add gives the stock back', () => {
      const taken = decideItem('i1', item(12, 5), subtractStock(3)).state;
      expect(decideItem('i1', taken, addStock(3)).state).toEqual({ price: 12, stock: 5, held: 0 });
    });
  });
});

describe('functions > item > domain > reserve and release', () => {
  const reserve = (amount: number): Command => ({ kind: 'reserve', value: { amount } });
  const release = (amount: number): Command => ({ kind: 'release', value: { amount } });

  it('reserve takes units and counts them as held by orders; release gives them back', () => {
    const reserved = decideItem('i1', item(5, 10), reserve(4));
    expect(reserved.state).toEqual(item(5, 6, 4));
    expect(reserved.result).toEqual({ kind: 'stock_level', value: { item_id: 'i1', stock: 6 } });
    expect(decideItem('i1', reserved.state, release(4)).state).toEqual(item(5, 10, 0));
  });

  it('reserve of more than the stock is OUT_OF_STOCK and changes nothing', () => {
    expectRefused(item(5, 3, 1), reserve(4), 'OUT_OF_STOCK');
  });

  it('client stock additions leave room for every held unit, so a release always fits', () => {
    const max = Number.MAX_SAFE_INTEGER;
    const state = item(5, max - 10, 10);
    expectRefused(state, { kind: 'add_stock', value: { amount: 1 } }, 'LIMIT_EXCEEDED');
    expect(decideItem('i1', state, release(10)).state).toEqual(item(5, max, 0));
  });
});
