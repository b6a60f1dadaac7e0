import { Router } from 'express';
import { v4 as uuid } from 'uuid';
import { BatchCommandCodec, batchKey, Topics, UserCommandCodec, MAX_BATCH } from '@shop/protos';
import { commandSender, entityId, nonNegativeInt, positiveInt, type Ingress } from '@shop/service-kit';

/** `/payment/*`: the same shop/user entities as /users, seen as payment accounts, on the payments topic. */
export function paymentsRoutes(ingress: Ingress): Router {
  const router = Router();
  const send = commandSender(ingress, Topics.payments, UserCommandCodec);
  const sendBatch = commandSender(ingress, Topics.batch, BatchCommandCodec);

  router.post('/payment/create_user', (_req, res) =>
    send(res, uuid(), { kind: 'create', value: { credit: 0, reset: false } }),
  );
  router.get('/payment/find_user/:user_id', (req, res) =>
    send(res, entityId(req, 'user_id'), { kind: 'find', value: {} }),
  );
  router.post('/payment/add_funds/:user_id/:amount', (req, res) =>
    send(res, entityId(req, 'user_id'), {
      kind: 'add_credit',
      value: { amount: positiveInt(req, 'amount') },
    }),
  );
  router.post('/payment/pay/:user_id/:amount', (req, res) =>
    send(res, entityId(req, 'user_id'), {
      kind: 'pay',
      value: { order_id: '', amount: positiveInt(req, 'amount') },
    }),
  );
  router.post('/payment/pay/:user_id/:order_id/:amount', (req, res) =>
    send(res, entityId(req, 'user_id'), {
      kind: 'pay',
      value: { order_id: entityId(req, 'order_id'), amount: positiveInt(req, 'amount') },
    }),
  );
  router.post('/payment/cancel/:user_id/:order_id', (req, res) =>
    send(res, entityId(req, 'user_id'), {
      kind: 'cancel_payment',
      value: { order_id: entityId(req, 'order_id') },
    }),
  );
  router.get('/payment/status/:user_id/:order_id', (req, res) =>
    send(res, entityId(req, 'user_id'), {
      kind: 'payment_status',
      value: { order_id: entityId(req, 'order_id') },
    }),
  );
  router.post('/payment/batch_init/:n/:starting_money', (req, res) =>
    sendBatch(res, batchKey('users'), {
      kind: 'users',
      value: {
        n: nonNegativeInt(req, 'n', MAX_BATCH),
        starting_money: nonNegativeInt(req, 'starting_money'),
      },
    }),
  );
  return router;
}
