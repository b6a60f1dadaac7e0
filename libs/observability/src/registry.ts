import { Registry, collectDefaultMetrics } from 'prom-client';

/**
 * A process's metrics registry, with prom-client's default process and Node.js metrics on it. One per
 * process, passed to whatever records metrics: a registry of its own (not prom-client's global one) keeps
 * tests that start several shops in one process from counting into each other.
 */
export function createMetricsRegistry(): Registry {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  return registry;
}

/** Latency buckets in seconds, from half a millisecond (an in-memory hop) to the 10 s reply timeout and past it. */
export const LATENCY_BUCKETS = [
  0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30,
];
