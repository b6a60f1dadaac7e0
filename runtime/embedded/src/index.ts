export * from './dispatcher';
export * from './embedded-runtime';
export * from './module-config';
