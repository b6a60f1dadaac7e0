import { Router } from 'express';
import { v4 as uuid } from 'uuid';
import { Topics, UserCommandCodec } from '@shop/protos';
import { commandSender, entityId, positiveInt, type Ingress } from '@shop/service-kit';

/** `/users/*`: each call is one command to shop/user, keyed by user id, on the users topic. */
export function usersRoutes(ingress: Ingress): Router {
  const router = Router();
  const send = commandSender(ingress, Topics.users, UserCommandCodec);
  const find = { kind: 'find', value: {} } as const;

  router.post('/users/create', (_req, res) =>
    send(res, uuid(), { kind: 'create', value: { credit: 0, reset: false } }),
  );
  router.get('/users/find/:user_id', (req, res) => send(res, entityId(req, 'user_id'), find));
  router.get('/users/credit/:user_id', (req, res) => send(res, entityId(req, 'user_id'), find));
  router.delete('/users/remove/:user_id', (req, res) =>
    send(res, entityId(req, 'user_id'), { kind: 'remove', value: {} }),
  );
  router.post('/users/credit/add/:user_id/:amount', (req, res) =>
    send(res, entityId(req, 'user_id'), {
      kind: 'add_credit',
      value: { amount: positiveInt(req, 'amount') },
    }),
  );
  router.post('/users/credit/subtract/:user_id/:amount', (req, res) =>
    send(res, entityId(req, 'user_id'), {
      kind: 'subtract_credit',
      value: { amount: positiveInt(req, 'amount') },
    }),
  );
  return router;
}
