export * from './broker';
export * from './kafka-broker';
export * from './memory-broker';
