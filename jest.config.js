// One jest run covers unit specs beside the code and the cross-package suites under test/.
// TypeScript is compiled by swc (no type checking here: test/typecheck.test.ts runs tsc once).
/** @type {import('jest').Config} */
module.exports = {
  // node + log capture bookkeeping (start/end lines, a "done" marker per file), and a sequencer that
  // runs the secret scan of the capture last: see test/security/no-secrets-in-logs.test.ts.
  testEnvironment: '<rootDir>/test/support/log-capture-environment.ts',
  testSequencer: '<rootDir>/test/support/log-capture-sequencer.js',
  roots: [
    '<rootDir>/schemas',
    '<rootDir>/packages',
    '<rootDir>/runtime',
    '<rootDir>/connectors',
    '<rootDir>/test',
  ],
  testMatch: ['**/*.test.ts'],
  testPathIgnorePatterns: ['/node_modules/', '/fixtures/'],
  modulePathIgnorePatterns: ['<rootDir>/.*/dist/'],
  // Handlers of published bundles (under a runtime's data directory, outside this tree) import the
  // SDK; jest resolves modules itself, so it gets the mapping the runtime makes with a resolve hook
  // (packages/engine/src/publishing/sdk-resolution.ts).
  moduleNameMapper: { '^@flowcard/sdk$': '<rootDir>/packages/sdk/src/index.ts' },
  transform: {
    '^.+\\.(t|j)sx?$': [
      '@swc/jest',
      {
        jsc: {
          parser: { syntax: 'typescript', decorators: true },
          transform: { legacyDecorator: true, decoratorMetadata: true },
          target: 'es2022',
        },
        module: { type: 'commonjs' },
      },
    ],
  },
  globalSetup: '<rootDir>/test/support/global-setup.ts',
  globalTeardown: '<rootDir>/test/support/global-teardown.ts',
  reporters: ['default', '<rootDir>/test/support/summary-reporter.js'],
  // Generous: tests start real processes (CLI, runtimes, Chromium), and a busy 2-core CI machine can take
  // tens of seconds to start one. No test asserts on time; this only bounds a hang.
  testTimeout: 120000,
  maxWorkers: process.env.CI ? 2 : '50%',
};
