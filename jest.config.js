/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  // the real-cluster suite runs with `npm run test:k8s` (jest.k8s-real.config.js)
  testPathIgnorePatterns: ['/node_modules/', '<rootDir>/test/k8s-real/'],
  moduleFileExtensions: ['ts', 'js', 'json'],
  transform: { '^.+\\.ts$': '<rootDir>/scripts/jest-esbuild-transform.js' },
  testTimeout: 60000,
};
