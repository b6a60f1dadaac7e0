export * from './app';
export * from './correlation/correlation-store';
export * from './correlation/memory-correlation-store';
export * from './gateway-ingress';
export * from './correlation/redis-correlation-store';
export * from './config';
