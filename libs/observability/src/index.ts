export * from './registry';
export * from './series-histogram';
export * from './request-observer';
export * from './metrics-server';
export type { Logger } from 'pino';
export { Counter, Gauge, Histogram, Registry } from 'prom-client';
export * from './worker-scrapes';
export * from './cluster-primary';
