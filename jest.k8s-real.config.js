/**
 * `npm run test:k8s`: the suites that need a real Kubernetes (scripts/kube-local.sh), one file at a time since
 * they share the one cluster. Without a cluster they skip; with REQUIRE_KUBERNETES=1 they fail.
 * @type {import('jest').Config}
 */
const base = require('./jest.config');

module.exports = {
  ...base,
  roots: ['<rootDir>/test/k8s-real'],
  testPathIgnorePatterns: ['/node_modules/'],
  testTimeout: 300000,
};
