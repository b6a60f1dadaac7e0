import { v4 as uuid } from 'uuid';
import { BatchCommandCodec, batchKey, ItemCommandCodec, MAX_BATCH, Topics } from '@shop/protos';
import {
  BatchDone,
  Item,
  ItemCreated,
  StockLevel,
  commandRoutes,
  entityIdParam,
  nonNegativeIntParam,
  positiveIntParam,
  type Ingress,
  type Operation,
} from '@shop/service-kit';

const itemId = { item_id: entityIdParam('the item') };
const amount = { amount: positiveIntParam('how many units') };

/** `/stock/*`: each call is one command to shop/item, keyed by item id, on the stock topic. */
export function stockApi(ingress: Ingress): Operation[] {
  const route = commandRoutes(ingress, 'stock');
  const items = { topic: Topics.stock, codec: ItemCommandCodec };
  const batch = { topic: Topics.batch, codec: BatchCommandCodec };
  return [
    route(items, {
      method: 'post',
      path: '/stock/item/create/{price}',
      operationId: 'createItem',
      summary: 'Create an item with 0 stock',
      params: { price: positiveIntParam('the price of one unit') },
      success: { status: 201, body: ItemCreated },
      errors: [],
      creates: 'item_id',
      command: ({ price }) => ({
        key: uuid(),
        command: { kind: 'create', value: { price, stock: 0, reset: false } },
      }),
    }),
    route(items, {
      method: 'get',
      path: '/stock/find/{item_id}',
      operationId: 'findItem',
      summary: 'An item: its stock and price',
      params: itemId,
      success: { status: 200, body: Item },
      errors: ['ITEM_NOT_FOUND'],
      command: ({ item_id }) => ({ key: item_id, command: { kind: 'find', value: {} } }),
    }),
    route(items, {
      method: 'get',
      path: '/stock/availability/{item_id}',
      operationId: 'itemAvailability',
      summary: "An item's stock",
      params: itemId,
      success: { status: 200, body: StockLevel },
      errors: ['ITEM_NOT_FOUND'],
      command: ({ item_id }) => ({ key: item_id, command: { kind: 'availability', value: {} } }),
    }),
    route(items, {
      method: 'post',
      path: '/stock/add/{item_id}/{amount}',
      operationId: 'addStock',
      summary: 'Add stock',
      params: { ...itemId, ...amount },
      success: { status: 200, body: StockLevel },
      errors: ['ITEM_NOT_FOUND', 'LIMIT_EXCEEDED'],
      command: ({ item_id, amount }) => ({ key: item_id, command: { kind: 'add_stock', value: { amount } } }),
    }),
    route(items, {
      method: 'post',
      path: '/stock/subtract/{item_id}/{amount}',
      operationId: 'subtractStock',
      summary: 'Take stock; never below 0',
      params: { ...itemId, ...amount },
      success: { status: 200, body: StockLevel },
      errors: ['ITEM_NOT_FOUND', 'OUT_OF_STOCK'],
      command: ({ item_id, amount }) => ({
        key: item_id,
        command: { kind: 'subtract_stock', value: { amount } },
      }),
    }),
    route(batch, {
      method: 'post',
      path: '/stock/batch_init/{n}/{starting_stock}/{item_price}',
      operationId: 'batchInitItems',
      summary: 'Create or reset items "0" … "n-1", each with the same stock and price',
      params: {
        n: nonNegativeIntParam('how many items', MAX_BATCH),
        starting_stock: nonNegativeIntParam('the stock each starts with'),
        item_price: positiveIntParam('the price of one unit of each'),
      },
      success: { status: 200, body: BatchDone },
      errors: ['BATCH_RUNNING'],
      command: ({ n, starting_stock, item_price }) => ({
        key: batchKey('items'),
        command: { kind: 'items', value: { n, starting_stock, item_price } },
      }),
    }),
  ];
}
