import { Router } from 'express';
import { v4 as uuid } from 'uuid';
import { BatchCommandCodec, batchKey, ItemCommandCodec, Topics, MAX_BATCH } from '@shop/protos';
import { commandSender, entityId, nonNegativeInt, positiveInt, type Ingress } from '@shop/service-kit';

/** `/stock/*`: each call is one command to shop/item, keyed by item id, on the stock topic. */
export function stockRoutes(ingress: Ingress): Router {
  const router = Router();
  const send = commandSender(ingress, Topics.stock, ItemCommandCodec);
  const sendBatch = commandSender(ingress, Topics.batch, BatchCommandCodec);

  router.post('/stock/item/create/:price', (req, res) =>
    send(res, uuid(), {
      kind: 'create',
      value: { price: positiveInt(req, 'price'), stock: 0, reset: false },
    }),
  );
  router.get('/stock/find/:item_id', (req, res) =>
    send(res, entityId(req, 'item_id'), { kind: 'find', value: {} }),
  );
  router.get('/stock/availability/:item_id', (req, res) =>
    send(res, entityId(req, 'item_id'), { kind: 'availability', value: {} }),
  );
  router.post('/stock/add/:item_id/:amount', (req, res) =>
    send(res, entityId(req, 'item_id'), { kind: 'add_stock', value: { amount: positiveInt(req, 'amount') } }),
  );
  router.post('/stock/subtract/:item_id/:amount', (req, res) =>
    send(res, entityId(req, 'item_id'), {
      kind: 'subtract_stock',
      value: { amount: positiveInt(req, 'amount') },
    }),
  );
  router.post('/stock/batch_init/:n/:starting_stock/:item_price', (req, res) =>
    sendBatch(res, batchKey('items'), {
      kind: 'items',
      value: {
        n: nonNegativeInt(req, 'n', MAX_BATCH),
        starting_stock: nonNegativeInt(req, 'starting_stock'),
        item_price: positiveInt(req, 'item_price'),
      },
    }),
  );
  return router;
}
