export * from './ingress';
export * from './params';
export * from './reply-to-http';
export * from './shop-error';
export * from './env';
