// The end-to-end suite: the same API test files as `npm test`, plus the real-engine tests, against the
// stack that `npm run test:e2e` starts (SHOP_URL). Requests wait for checkpoints, hence the long timeout.
const base = require('./jest.config.js');

/** @type {import('jest').Config} */
module.exports = {
  ...base,
  testMatch: ['<rootDir>/test/api/**/*.test.ts', '<rootDir>/test/e2e/**/*.test.ts'],
  testPathIgnorePatterns: ['/node_modules/', '/dist/'],
  testTimeout: 300_000,
};
