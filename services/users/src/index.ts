export * from './users-api';
