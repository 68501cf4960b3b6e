import { defineConfig } from '@playwright/test';
import path from 'node:path';
import base from './playwright.config';

/*
 * The browser tests of the production profile: `scripts/portal --production` (GitHub sign-in
 * through the sandbox's OAuth flow, the org from GitHub, PostgreSQL, Redis, two backend replicas
 * behind a round-robin proxy on :7007). They share the local profile's browser settings.
 */
const baseURL = process.env.PLAYWRIGHT_URL ?? 'http://localhost:7007';

export default defineConfig({
  ...base,
  outputDir: process.env.PLAYWRIGHT_OUTPUT_DIR ?? 'test-results/e2e-production',
  reporter: [
    ['list'],
    [
      'html',
      { open: 'never', outputFolder: 'test-results/e2e-production-report' },
    ],
    ...(process.env.PLAYWRIGHT_JSON_REPORT
      ? ([
          ['json', { outputFile: process.env.PLAYWRIGHT_JSON_REPORT }],
        ] as const)
      : []),
  ],
  webServer: process.env.PLAYWRIGHT_URL
    ? []
    : [
        {
          command:
            'scripts/portal --production > test-results/portal-production.log 2>&1',
          url: `${baseURL}/.backstage/health/v1/readiness`,
          reuseExistingServer: !process.env.CI,
          timeout: 420_000,
          gracefulShutdown: { signal: 'SIGTERM', timeout: 15_000 },
        },
      ],
  use: { ...base.use, baseURL },
  projects: [
    {
      name: 'production',
      testDir: path.join(__dirname, 'packages/app/e2e-production'),
    },
  ],
});
