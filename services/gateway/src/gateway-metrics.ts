import type { Broker, Subscription } from '@shop/broker';
import {
  Counter,
  Gauge,
  LATENCY_BUCKETS,
  SeriesHistogram,
  requestDurations,
  type HistogramSeries,
  type Registry,
  type RequestDurations,
} from '@shop/observability';
import type { CorrelationStore, Parked } from './correlation/correlation-store';

/** The gateway's metrics (names as in the README's "Observing it"), on one registry. */
export interface GatewayMetrics {
  readonly requests: RequestDurations;
  readonly parked: Gauge;
  readonly late: Counter;
  readonly lost: Counter;
  readonly store: SeriesHistogram<'operation'>;
  readonly publish: SeriesHistogram<'topic'>;
  readonly consumed: Counter<'topic'>;
  /** Reads the egress subscription's lag at each scrape. */
  watchLag(subscription: Subscription | undefined): void;
}

export function gatewayMetrics(registry: Registry): GatewayMetrics {
  const registers = [registry];
  let lagOf: Subscription | undefined;
  new Gauge({
    name: 'shop_egress_consumer_lag_records',
    help: 'Records on the egress topics not yet consumed by this gateway, as of its last fetch',
    labelNames: ['topic'],
    registers,
    collect() {
      this.reset();
      for (const [topic, records] of lagOf?.lag?.() ?? []) this.set({ topic }, records);
    },
  });
  return {
    requests: requestDurations(registry),
    parked: new Gauge({
      name: 'shop_requests_parked',
      help: 'Requests waiting for their reply now',
      registers,
    }),
    late: new Counter({
      name: 'shop_replies_late_total',
      help: 'Requests answered 202: the reply came after the reply timeout, and is polled',
      registers,
    }),
    lost: new Counter({
      name: 'shop_replies_lost_total',
      help: 'Polls answered 410: the replica holding the request stopped before sending it',
      registers,
    }),
    store: new SeriesHistogram({
      name: 'shop_correlation_store_duration_seconds',
      help: 'Correlation store calls by operation',
      labelNames: ['operation'],
      buckets: LATENCY_BUCKETS,
      registers,
    }),
    publish: new SeriesHistogram({
      name: 'shop_broker_publish_duration_seconds',
      help: 'Publishing one record (a command) to the broker, until it is acknowledged',
      labelNames: ['topic'],
      buckets: LATENCY_BUCKETS,
      registers,
    }),
    consumed: new Counter({
      name: 'shop_egress_records_consumed_total',
      help: 'Reply records consumed from the egress topics',
      labelNames: ['topic'],
      registers,
    }),
    watchLag(subscription) {
      lagOf = subscription;
    },
  };
}

/** `work`, with `end` called once it settles: a `then`, not an async frame, on the request path. */
function timed<T>(end: () => void, work: Promise<T>): Promise<T> {
  return work.then(
    (value) => {
      end();
      return value;
    },
    (error: unknown) => {
      end();
      throw error;
    },
  );
}

/** The same broker, each publish timed by topic. */
export function timedBroker(broker: Broker, metrics: GatewayMetrics): Broker {
  return {
    publish: (topic, key, value) =>
      timed(metrics.publish.series(topic).startTimer(), broker.publish(topic, key, value)),
    subscribe: (groupId, topics, handler) => broker.subscribe(groupId, topics, handler),
    check: () => broker.check(),
    close: () => broker.close(),
  };
}

/** The same store, each call timed by operation (`sent`: recording that a parked request's command went out). */
export function timedStore(store: CorrelationStore, metrics: GatewayMetrics): CorrelationStore {
  const [park, sent, requestOf, deliver, poll] = ['park', 'sent', 'request_of', 'deliver', 'poll'].map((op) =>
    metrics.store.series(op),
  ) as [HistogramSeries, HistogramSeries, HistogramSeries, HistogramSeries, HistogramSeries];
  const timedParked = (parked: Parked): Parked => ({
    reply: parked.reply,
    sent: () => timed(sent.startTimer(), parked.sent()),
  });
  return {
    park: (id, timeoutMs, request) =>
      timed(park.startTimer(), store.park(id, timeoutMs, request)).then((parked) =>
        parked ? timedParked(parked) : undefined,
      ),
    requestOf: (id) => timed(requestOf.startTimer(), store.requestOf(id)),
    deliver: (id, reply) => timed(deliver.startTimer(), store.deliver(id, reply)),
    poll: (id) => timed(poll.startTimer(), store.poll(id)),
    check: () => store.check(),
    close: () => store.close(),
  };
}
