import type { Broker, Subscription } from '@shop/broker';
import {
  Counter,
  Gauge,
  Histogram,
  LATENCY_BUCKETS,
  requestDurations,
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
  readonly store: Histogram<'operation'>;
  readonly publish: Histogram<'topic'>;
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
    store: new Histogram({
      name: 'shop_correlation_store_duration_seconds',
      help: 'Correlation store calls by operation',
      labelNames: ['operation'],
      buckets: LATENCY_BUCKETS,
      registers,
    }),
    publish: new Histogram({
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

async function timed<T>(end: () => void, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } finally {
    end();
  }
}

/** The same broker, each publish timed by topic. */
export function timedBroker(broker: Broker, metrics: GatewayMetrics): Broker {
  return {
    publish: (topic, key, value) =>
      timed(metrics.publish.startTimer({ topic }), () => broker.publish(topic, key, value)),
    subscribe: (groupId, topics, handler) => broker.subscribe(groupId, topics, handler),
    check: () => broker.check(),
    close: () => broker.close(),
  };
}

/** The same store, each call timed by operation (`sent`: recording that a parked request's command went out). */
export function timedStore(store: CorrelationStore, metrics: GatewayMetrics): CorrelationStore {
  const h = metrics.store;
  const timedParked = (parked: Parked): Parked => ({
    reply: parked.reply,
    sent: () => timed(h.startTimer({ operation: 'sent' }), () => parked.sent()),
  });
  return {
    park: (id, timeoutMs, request) =>
      timed(h.startTimer({ operation: 'park' }), () => store.park(id, timeoutMs, request)).then((parked) =>
        parked ? timedParked(parked) : undefined,
      ),
    requestOf: (id) => timed(h.startTimer({ operation: 'request_of' }), () => store.requestOf(id)),
    deliver: (id, reply) => timed(h.startTimer({ operation: 'deliver' }), () => store.deliver(id, reply)),
    poll: (id) => timed(h.startTimer({ operation: 'poll' }), () => store.poll(id)),
    check: () => store.check(),
    close: () => store.close(),
  };
}
