export * from './stock-api';
