// One jest run over every workspace. Workspace imports resolve to their TypeScript sources, so tests
// never need a build first.
const workspaces = {
  '@shop/protos': 'protos',
  '@shop/statefun': 'libs/statefun',
  '@shop/broker': 'libs/broker',
  '@shop/service-kit': 'libs/service-kit',
  '@shop/observability': 'libs/observability',
  '@shop/functions': 'functions',
  '@shop/embedded-runtime': 'runtime/embedded',
  '@shop/users-service': 'services/users',
  '@shop/payments-service': 'services/payments',
  '@shop/stock-service': 'services/stock',
  '@shop/orders-service': 'services/orders',
  '@shop/gateway': 'services/gateway',
  '@shop/launcher': 'launcher',
  '@shop/bench': 'bench',
};

/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.check.json' }] },
  moduleNameMapper: Object.fromEntries(
    Object.entries(workspaces).map(([name, dir]) => [`^${name}$`, `<rootDir>/${dir}/src/index.ts`]),
  ),
  testMatch: ['<rootDir>/**/src/**/*.test.ts', '<rootDir>/test/**/*.test.ts'],
  // test/e2e needs the real engines: `npm run test:e2e` starts them and runs it.
  // bench/results holds the benchmark's reports, never tests.
  testPathIgnorePatterns: ['/node_modules/', '/dist/', '<rootDir>/test/e2e/', '<rootDir>/bench/results/'],
  testTimeout: 30000,
};
