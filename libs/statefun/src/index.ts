export * from './context';
export * from './handler';
export * from './http';
export * from './message';
export * from './stateful-function';
export * from './types';
export * from './value-spec';
