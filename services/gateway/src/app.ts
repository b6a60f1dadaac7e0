import express, { type Express, type Router } from 'express';
import { ErrorCodes, ReplyTopics } from '@shop/protos';
import type { Broker, Subscription } from '@shop/broker';
import {
  openApiDocument,
  operationsRouter,
  type OpenApiDocument,
  type Operation,
  type ReadReplies,
} from '@shop/service-kit';
import { Registry, observeRequests, type Logger } from '@shop/observability';
import pino from 'pino';
import { docsAssets, docsOperations } from './api/docs-operations';
import { gatewayOperations } from './api/gateway-operations';
import type { CorrelationStore } from './correlation/correlation-store';
import { DOMAINS, DOMAIN_TAGS, domainOperations, type Domain } from './domains';
import { GatewayIngress } from './gateway-ingress';
import { strictRequests } from './http-server';
import { jsonErrors } from './json-errors';
import type { ReadinessCheck } from './readiness';
import { gatewayMetrics, timedBroker, timedStore, type GatewayMetrics } from './gateway-metrics';

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
  /** More operations, described in /openapi.json and routed like the API's own. */
  operations?: readonly Operation[];
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
  /**
   * Where the gateway's metrics go (default a registry nobody reads). Build them with `gatewayMetrics`
   * to share them with the HTTP ingress.
   */
  metrics?: GatewayMetrics;
  /**
   * Whether each correlation-store call and each publish is timed (`shop_correlation_store_duration_seconds`,
   * `shop_broker_publish_duration_seconds`). Default true: on the stack they are the hops to Redis and Kafka.
   * The embedded shop turns it off: its store and broker are in-process maps with no hop to time, and the
   * timing would cost a promise and an observation per call on every request.
   */
  timeTransport?: boolean;
  /** Where each request's line goes (at info), and the rest at their levels (default silent). */
  log?: Logger;
}

export interface Gateway {
  readonly app: Express;
  /** Every operation this gateway routes, as described at /openapi.json. */
  readonly operations: readonly Operation[];
  readonly openApi: OpenApiDocument;
  /** Starts consuming the egress topic; replies are routed through the correlation store. */
  start(): Promise<void>;
  /** From now on /readyz answers 503, so that load balancers stop sending before the server closes. */
  drain(): void;
  stop(): Promise<void>;
}

export function createGateway(options: GatewayOptions): Gateway {
  const metrics = options.metrics ?? gatewayMetrics(new Registry());
  const log = options.log ?? pino({ level: 'silent' });
  const timeTransport = options.timeTransport ?? true;
  const broker = timeTransport ? timedBroker(options.broker, metrics) : options.broker;
  const store = timeTransport ? timedStore(options.store, metrics) : options.store;
  const readReplies = options.readReplies ?? 'fast';
  const domains = options.domains ?? DOMAINS;
  const ingress = new GatewayIngress(broker, store, options.replyTimeoutMs, readReplies, metrics);
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.set('case sensitive routing', true);
  app.set('strict routing', true);

  let draining = false;
  const operations: Operation[] = [
    ...gatewayOperations({
      store,
      metrics,
      readReplies,
      mode: options.mode,
      version: options.version,
      readiness: options.readiness ?? {
        broker: () => broker.check(),
        correlation_store: () => store.check(),
      },
      readinessTimeoutMs: options.readinessTimeoutMs ?? 2_500,
      draining: () => draining,
    }),
    ...docsOperations(() => openApi),
    ...domainOperations(domains, ingress),
    ...(options.operations ?? []),
  ];
  const openApi = openApiDocument(operations, {
    title: 'statefun-shop',
    version: options.version,
    description:
      "The shop's REST API. Every call becomes one command to one entity's function; the answer is its reply, " +
      'or 202 with where to poll when the reply is late.',
    tags: [
      { name: 'gateway', description: 'The front door: about, health, late replies, this description' },
      ...DOMAINS.filter((domain) => domains.includes(domain)).map((domain) => DOMAIN_TAGS[domain]),
    ],
  });

  app.use(observeRequests({ server: 'rest', durations: metrics.requests, log }));
  app.use(strictRequests());
  app.use(operationsRouter(operations));
  app.use(docsAssets());
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
    operations,
    openApi,
    async start() {
      const maxAge = options.replyMaxAgeMs ?? Infinity;
      const now = options.now ?? Date.now;
      subscription = await broker.subscribe('gateway', ReplyTopics, async (record) => {
        metrics.consumed.inc({ topic: record.topic });
        if (now() - record.timestamp > maxAge) return;
        await store.deliver(record.key, record.value);
      });
      metrics.watchLag(subscription);
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
