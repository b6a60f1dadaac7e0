export * from './broker';
export * from './memory-broker';
