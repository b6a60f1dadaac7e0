export * from './codec';
export * from './errors';
export * from './http-ingress';
export * from './shop';
export * from './statefun';
export * from './topology';
