import { Router } from 'express';
import { v4 as uuid } from 'uuid';
import { BatchCommandCodec, batchKey, OrderCommandCodec, Topics, MAX_BATCH } from '@shop/protos';
import { commandSender, entityId, nonNegativeInt, positiveInt, type Ingress } from '@shop/service-kit';

/** `/orders/*`: each call is one command to shop/order, keyed by order id; checkout is a saga inside it. */
export function ordersRoutes(ingress: Ingress): Router {
  const router = Router();
  const send = commandSender(ingress, Topics.orders, OrderCommandCodec);
  const sendBatch = commandSender(ingress, Topics.batch, BatchCommandCodec);

  router.post('/orders/create/:user_id', (req, res) =>
    send(res, uuid(), { kind: 'create', value: { user_id: entityId(req, 'user_id') } }),
  );
  router.get('/orders/find/:order_id', (req, res) =>
    send(res, entityId(req, 'order_id'), { kind: 'find', value: {} }),
  );
  router.post('/orders/addItem/:order_id/:item_id{/:quantity}', (req, res) =>
    send(res, entityId(req, 'order_id'), {
      kind: 'add_item',
      value: {
        item_id: entityId(req, 'item_id'),
        quantity: req.params.quantity === undefined ? 1 : positiveInt(req, 'quantity'),
      },
    }),
  );
  router.delete('/orders/removeItem/:order_id/:item_id', (req, res) =>
    send(res, entityId(req, 'order_id'), {
      kind: 'remove_item',
      value: { item_id: entityId(req, 'item_id') },
    }),
  );
  router.delete('/orders/remove/:order_id', (req, res) =>
    send(res, entityId(req, 'order_id'), { kind: 'remove', value: {} }),
  );
  router.post('/orders/checkout/:order_id', (req, res) =>
    send(res, entityId(req, 'order_id'), { kind: 'checkout', value: {} }),
  );
  router.post('/orders/batch_init/:n/:n_items/:n_users/:item_price', (req, res) =>
    sendBatch(res, batchKey('orders'), {
      kind: 'orders',
      value: {
        n: nonNegativeInt(req, 'n', MAX_BATCH),
        n_items: positiveInt(req, 'n_items'),
        n_users: positiveInt(req, 'n_users'),
        item_price: positiveInt(req, 'item_price'),
      },
    }),
  );
  return router;
}
