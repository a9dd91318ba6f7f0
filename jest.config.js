/**
 * Two jest projects, split by what a test needs from the machine:
 * - `unit`: every `*.test.ts` that is not `*.int.test.ts`; no global set-up, so it runs with no AWS
 *   emulator, Terraform or browser (`npm run test:unit`, or `npx jest __tests__/lib/b3`).
 * - `integration`: `*.int.test.ts`; its globalSetup installs or finds the Python tools, Chromium and
 *   Terraform's provider mirror and starts moto_server. Jest runs a project's globalSetup only when
 *   one of that project's tests is selected.
 * `npm test` runs both.
 * @type {import('jest').Config}
 */
const shared = {
  testEnvironment: 'node',
  roots: ['<rootDir>/__tests__'],
  // hyparquet and hyparquet-writer ship only ES modules: let ts-jest turn them into CommonJS for jest.
  transform: { '^.+\\.[tj]s$': ['ts-jest', { isolatedModules: true, tsconfig: { allowJs: true } }] },
  transformIgnorePatterns: ['/node_modules/(?!(hyparquet|hyparquet-writer|hyparquet-compressors)/)'],
};

module.exports = {
  testTimeout: 60_000,
  projects: [
    {
      ...shared,
      displayName: 'unit',
      testMatch: ['**/*.test.ts'],
      testPathIgnorePatterns: ['/node_modules/', '\\.int\\.test\\.ts$'],
    },
    {
      ...shared,
      displayName: 'integration',
      testMatch: ['**/*.int.test.ts'],
      globalSetup: '<rootDir>/__tests__/support/global-setup.ts',
      globalTeardown: '<rootDir>/__tests__/support/global-teardown.ts',
    },
  ],
};
