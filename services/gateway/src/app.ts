import express, { type Express, type Router } from 'express';
import { validate as isUuid } from 'uuid';
import { ErrorCodes, ReplyCodec, ReplyTopics } from '@shop/protos';
import type { Broker, Subscription } from '@shop/broker';
import { ShopError, replyToHttp, type ReadReplies } from '@shop/service-kit';
import type { CorrelationStore } from './correlation/correlation-store';
import { DOMAINS, domainRoutes, type Domain } from './domains';
import { GatewayIngress } from './gateway-ingress';
import { jsonErrors } from './json-errors';
import { checkReadiness, notReadyMessage, type ReadinessCheck } from './readiness';

export interface GatewayOptions {
  broker: Broker;
  store: CorrelationStore;
  replyTimeoutMs: number;
  /**
   * Where replies to reads come from (READ_REPLIES, default `fast`): see protos/shop.proto. Either way
   * the gateway consumes both reply topics, so replicas in different modes can share the group.
   */
  readReplies?: ReadReplies;
  /** Shown by `GET /`: `embedded` or `stack`. */
  mode: string;
  version: string;
  onError?: (error: unknown) => void;
  /** More routes on the REST port, after the API's own (the HTTP ingress, when it shares the port). */
  routes?: readonly Router[];
  /** The domain services this process runs (default all): the others answer 404. */
  domains?: readonly Domain[];
  /**
   * What `GET /readyz` checks, by name (default the broker and the correlation store, as `broker` and
   * `correlation_store`). Each is bounded by `readinessTimeoutMs` (default 2500).
   */
  readiness?: Readonly<Record<string, ReadinessCheck>>;
  readinessTimeoutMs?: number;
  /**
   * Replies older than this (by their record's timestamp) are skipped, not stored: nobody can still be
   * waiting for them or polling them. A new consumer group starts at the start of the egress topic, so
   * this bounds what its first read stores. Default: kept, whatever their age.
   */
  replyMaxAgeMs?: number;
  /** The clock the reply age is measured with (tests move it). */
  now?: () => number;
}

export interface Gateway {
  readonly app: Express;
  /** Starts consuming the egress topic; replies are routed through the correlation store. */
  start(): Promise<void>;
  /** From now on /readyz answers 503, so that load balancers stop sending before the server closes. */
  drain(): void;
  stop(): Promise<void>;
}

export function createGateway(options: GatewayOptions): Gateway {
  const { broker, store } = options;
  const readReplies = options.readReplies ?? 'fast';
  const ingress = new GatewayIngress(broker, store, options.replyTimeoutMs, readReplies);
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);

  app.get('/', (_req, res) => {
    res.json({
      name: 'statefun-shop',
      version: options.version,
      mode: options.mode,
      read_replies: readReplies,
    });
  });
  // Liveness: the process serves HTTP. It checks nothing else, so that an outage of Kafka or Redis takes
  // replicas out of rotation (readiness) instead of restarting all of them at once.
  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  const readinessChecks = options.readiness ?? {
    broker: () => broker.check(),
    correlation_store: () => store.check(),
  };
  let draining = false;
  app.get('/readyz', async (_req, res) => {
    const readiness = draining
      ? { ready: false, checks: { gateway: 'shutting down' } }
      : await checkReadiness(readinessChecks, options.readinessTimeoutMs ?? 2_500);
    if (readiness.ready) {
      res.json({ status: 'ready', checks: readiness.checks });
      return;
    }
    res.status(ErrorCodes.UNAVAILABLE.status).json({
      error: notReadyMessage(readiness),
      code: ErrorCodes.UNAVAILABLE.code,
      checks: readiness.checks,
    });
  });
  for (const routes of domainRoutes(options.domains ?? DOMAINS, ingress)) app.use(routes);

  app.get('/replies/:correlation_id', async (req, res) => {
    const id = req.params.correlation_id;
    if (!isUuid(id)) throw new ShopError('BAD_REQUEST', `correlation_id must be a UUID, got "${id}"`);
    const found = await store.poll(id.toLowerCase());
    if (!found)
      throw new ShopError('REPLY_NOT_FOUND', `no request ${id} is known here, or its reply expired`);
    if (found.status === 'pending') {
      res.status(202).json({ correlation_id: id, status: 'pending' });
      return;
    }
    if (found.status === 'lost') {
      throw new ShopError(
        'REQUEST_LOST',
        `request ${id} was never sent: the gateway replica holding it stopped first; send it again`,
      );
    }
    const answer = replyToHttp(ReplyCodec.decode(found.reply));
    res.status(answer.status).json(answer.body);
  });

  for (const routes of options.routes ?? []) app.use(routes);

  app.use((req, res) => {
    res
      .status(ErrorCodes.ROUTE_NOT_FOUND.status)
      .json({ error: `no route ${req.method} ${req.path}`, code: ErrorCodes.ROUTE_NOT_FOUND.code });
  });

  app.use(jsonErrors(options.onError));

  let subscription: Subscription | undefined;
  return {
    app,
    async start() {
      const maxAge = options.replyMaxAgeMs ?? Infinity;
      const now = options.now ?? Date.now;
      subscription = await broker.subscribe('gateway', ReplyTopics, async (record) => {
        if (now() - record.timestamp > maxAge) return;
        await store.deliver(record.key, record.value);
      });
    },
    drain() {
      draining = true;
    },
    async stop() {
      draining = true;
      await subscription?.unsubscribe();
      await store.close();
    },
  };
}
