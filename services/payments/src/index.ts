export * from './payments-api';
