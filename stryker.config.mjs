// Mutation testing (`npm run mutation`): the domain, the aggregator's merge and the API's auth and decision code,
// each mutant tested by the test files that cover it (Node's test runner prints TAP; one process per file).

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: 'tap',
  plugins: ['@stryker-mutator/tap-runner'],
  tap: {
    testFiles: [
      'packages/domain/src/**/*.test.ts',
      'apps/aggregator/src/merge/**/*.test.ts',
      'apps/api/src/routes/decision.test.ts',
      'apps/api/src/routes/profiles.test.ts',
      'apps/api/src/routes/reports.test.ts',
    ],
    nodeArgs: ['--import', 'tsx'],
    forceBail: true,
  },
  mutate: [
    'packages/domain/src/**/*.ts',
    'apps/aggregator/src/merge/**/*.ts',
    'apps/api/src/auth.ts',
    'apps/api/src/decision-service.ts',
    '!**/*.test.ts',
    '!**/test-builders.ts',
    '!**/index.ts',
  ],
  coverageAnalysis: 'perTest',
  concurrency: 2,
  timeoutMS: 30_000,
  reporters: ['clear-text', 'progress', 'json'],
  jsonReporter: { fileName: 'reports/mutation/mutation.json' },
  tempDirName: '.stryker-tmp',
  cleanTempDir: 'always',
  ignorePatterns: ['data', 'docs', 'reports'],
  // The sandbox needs no tsconfig rewrite (no `extends` or references), and Stryker's rewriter needs the
  // TypeScript JS API, which TypeScript 7 (the native compiler) does not ship: point it at no file.
  tsconfigFile: 'tsconfig.stryker-none.json',
};
