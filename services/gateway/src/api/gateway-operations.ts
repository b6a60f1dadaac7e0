import { Type } from '@sinclair/typebox';
import { ErrorCodes, type ErrorKind } from '@shop/protos';
import {
  BatchDone,
  ErrorBody,
  IngressMessage,
  Item,
  ItemCreated,
  Order,
  OrderCreated,
  PaymentStatus,
  Pending,
  StockLevel,
  Success,
  User,
  UserCreated,
  operation,
  replyToHttp,
  uuidParam,
  type Operation,
  type ReadReplies,
} from '@shop/service-kit';
import type { CorrelationStore } from '../correlation/correlation-store';
import { pollReply } from '../correlation/poll-reply';
import type { GatewayMetrics } from '../gateway-metrics';
import { checkReadiness, notReadyMessage, type ReadinessCheck } from '../readiness';

export interface GatewayOperationsOptions {
  store: CorrelationStore;
  metrics: GatewayMetrics;
  readReplies: ReadReplies;
  mode: string;
  version: string;
  readiness: Readonly<Record<string, ReadinessCheck>>;
  readinessTimeoutMs: number;
  /** True once the replica is shutting down: /readyz answers 503 from then on. */
  draining: () => boolean;
}

const TAG = 'gateway';

/** Every function's refusal, and the gateway's own: what a polled reply may be. */
const ANY_REFUSAL = (Object.keys(ErrorCodes) as ErrorKind[]).filter(
  (kind) => ErrorCodes[kind].status < 500 && kind !== 'ROUTE_NOT_FOUND' && kind !== 'METHOD_NOT_ALLOWED',
);
// anyOf, not oneOf: the bodies differ in their properties, and none allows others.
const ANY_ANSWER = Type.Union(
  [
    UserCreated,
    ItemCreated,
    OrderCreated,
    User,
    Item,
    StockLevel,
    Order,
    PaymentStatus,
    Success,
    BatchDone,
    IngressMessage,
  ],
  { description: 'Whatever the request answers' },
);

/** The gateway's own routes: what it is, whether it is alive and ready, and polling for late replies. */
export function gatewayOperations(options: GatewayOperationsOptions): Operation[] {
  const { store } = options;
  return [
    operation(
      {
        method: 'get',
        path: '/',
        operationId: 'about',
        tag: TAG,
        summary: 'What this is: name, version, mode and read path',
        params: {},
        responses: {
          200: {
            description: 'About this shop',
            body: Type.Object(
              {
                name: Type.Literal('statefun-shop'),
                version: Type.String(),
                mode: Type.String({ description: '`embedded` or `stack`' }),
                read_replies: Type.Union([Type.Literal('fast'), Type.Literal('committed')]),
              },
              { additionalProperties: false },
            ),
          },
        },
        errors: [],
        mutating: false,
      },
      (_params, _req, res) => {
        res.json({
          name: 'statefun-shop',
          version: options.version,
          mode: options.mode,
          read_replies: options.readReplies,
        });
      },
    ),
    // Liveness: the process serves HTTP. It checks nothing else, so that an outage of Kafka or Redis
    // takes replicas out of rotation (readiness) instead of restarting all of them at once.
    operation(
      {
        method: 'get',
        path: '/healthz',
        operationId: 'healthz',
        tag: TAG,
        summary: 'Liveness: the process answers HTTP',
        params: {},
        responses: {
          200: {
            description: 'Alive',
            body: Type.Object({ status: Type.Literal('ok') }, { additionalProperties: false }),
          },
        },
        errors: [],
        mutating: false,
      },
      (_params, _req, res) => {
        res.json({ status: 'ok' });
      },
    ),
    operation(
      {
        method: 'get',
        path: '/readyz',
        operationId: 'readyz',
        tag: TAG,
        summary: 'Readiness: the broker and the correlation store are usable',
        params: {},
        responses: {
          200: {
            description: 'Ready: every check is `ok`',
            body: Type.Object(
              { status: Type.Literal('ready'), checks: Type.Record(Type.String(), Type.String()) },
              { additionalProperties: false },
            ),
          },
          503: {
            description: 'SHOP_ERR_UNAVAILABLE: not ready, or shutting down; `checks` says why',
            body: Type.Object(
              { ...ErrorBody.properties, checks: Type.Record(Type.String(), Type.String()) },
              { additionalProperties: false },
            ),
          },
        },
        errors: [],
        mutating: false,
      },
      async (_params, _req, res) => {
        const readiness = options.draining()
          ? { ready: false, checks: { gateway: 'shutting down' } }
          : await checkReadiness(options.readiness, options.readinessTimeoutMs);
        if (readiness.ready) {
          res.json({ status: 'ready', checks: readiness.checks });
          return;
        }
        res.status(ErrorCodes.UNAVAILABLE.status).json({
          error: notReadyMessage(readiness),
          code: ErrorCodes.UNAVAILABLE.code,
          checks: readiness.checks,
        });
      },
    ),
    operation(
      {
        method: 'get',
        path: '/replies/{correlation_id}',
        operationId: 'pollReply',
        tag: TAG,
        summary: "A late request's answer, by its correlation ID, from any gateway replica",
        description:
          'Answers with the status and body the request would have had, once its reply is in; 202 while it ' +
          'is pending. Replies are kept for REPLY_TTL_SECONDS.',
        params: { correlation_id: uuidParam('the correlation ID the request was answered with') },
        responses: {
          200: { description: "The request's answer", body: ANY_ANSWER },
          201: { description: "The request's answer (it created something)", body: ANY_ANSWER },
          202: { description: 'Not answered yet', body: Pending },
        },
        errors: [...ANY_REFUSAL, 'UNAVAILABLE'],
        mutating: false,
      },
      async ({ correlation_id: id }, _req, res) => {
        const reply = await pollReply(store, id, res, options.metrics);
        if (!reply) return;
        const answer = replyToHttp(reply);
        res.status(answer.status).json(answer.body);
      },
    ),
  ];
}
