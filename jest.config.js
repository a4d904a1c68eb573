// ESM throughout, as in actions/typescript-action: ts-jest compiles the TypeScript, the harness is plain ESM.
// Two projects, so that only a run with e2e tests in it waits for the bundle they run (jest-e2e-setup.js).
const shared = {
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: { '^.+\\.ts$': ['ts-jest', { useESM: true }] },
  // Not jest's default in os.tmpdir(): a test run leaves nothing there.
  cacheDirectory: '<rootDir>/node_modules/.cache/jest'
}

export default {
  projects: [
    {
      ...shared,
      displayName: 'unit',
      testMatch: ['<rootDir>/__tests__/**/*.test.ts'],
      testPathIgnorePatterns: ['/node_modules/', '<rootDir>/__tests__/e2e/']
    },
    {
      ...shared,
      displayName: 'e2e',
      testMatch: ['<rootDir>/__tests__/e2e/**/*.test.ts'],
      globalSetup: './scripts/harness/jest-e2e-setup.js',
      setupFilesAfterEnv: ['<rootDir>/scripts/harness/jest-e2e-after-each.js'],
      // The e2e tests run the bundle in a child process: what they import of src/ is not what they test.
      coveragePathIgnorePatterns: ['.*']
    }
  ],
  testTimeout: 120000,
  // `make test` and `make unit` collect coverage (--coverage); the figure can only rise (CONTRIBUTING.md).
  // istanbul's (babel), not V8's: it instruments as ts-jest compiles, where V8's costs a second per test file to
  // map back to the sources.
  coverageProvider: 'babel',
  collectCoverageFrom: ['src/**/*.ts'],
  coverageReporters: ['text-summary'],
  coverageThreshold: { global: { statements: 74.2, branches: 74.8, functions: 69.1, lines: 75 } },
  globalSetup: './scripts/harness/jest-global-setup.js',
  globalTeardown: './scripts/harness/jest-global-teardown.js',
  verbose: true
}
