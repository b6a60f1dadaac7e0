export * from './codec';
export * from './errors';
export * from './shop';
export * from './statefun';
export * from './topology';
