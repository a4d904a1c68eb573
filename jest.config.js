// ESM throughout, as in actions/typescript-action: ts-jest compiles the TypeScript, the harness is plain ESM.
export default {
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: { '^.+\\.ts$': ['ts-jest', { useESM: true }] },
  testMatch: ['**/__tests__/**/*.test.ts'],
  testTimeout: 120000,
  // Not jest's default in os.tmpdir(): a test run leaves nothing there.
  cacheDirectory: '<rootDir>/node_modules/.cache/jest',
  globalSetup: './scripts/harness/jest-global-setup.js',
  globalTeardown: './scripts/harness/jest-global-teardown.js',
  verbose: true
}
