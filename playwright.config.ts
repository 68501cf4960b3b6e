import { defineConfig } from '@playwright/test';
import { getPackagesSync } from '@manypkg/get-packages';
import fs from 'node:fs';
import path from 'node:path';

// Debian's Chromium: a browser downloaded by Playwright cannot be fetched on our machines.
const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const chromiumArgs = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

// Every workspace with an e2e-tests folder is a project.
const { packages } = getPackagesSync(__dirname);
const projects = packages
  .filter(pkg => fs.existsSync(path.join(pkg.dir, 'e2e-tests')))
  .map(pkg => ({
    name: pkg.packageJson.name,
    testDir: path.join(pkg.dir, 'e2e-tests'),
  }));

const baseURL = process.env.PLAYWRIGHT_URL ?? 'http://localhost:7007';

export default defineConfig({
  timeout: 120_000,
  expect: { timeout: 30_000 },
  // One portal serves every test; tests that change it (rollbacks, approvals) must not race.
  workers: 1,
  fullyParallel: false,
  forbidOnly: !!process.env.CI,
  retries: 0,
  reporter: [
    ['list'],
    ['html', { open: 'never', outputFolder: 'test-results/e2e-report' }],
    ...(process.env.PLAYWRIGHT_JSON_REPORT
      ? ([
          ['json', { outputFile: process.env.PLAYWRIGHT_JSON_REPORT }],
        ] as const)
      : []),
  ],
  outputDir: process.env.PLAYWRIGHT_OUTPUT_DIR ?? 'test-results/e2e',
  // The whole portal, on a throwaway PostgreSQL: the same runner as scripts/start.
  webServer: process.env.PLAYWRIGHT_URL
    ? []
    : [
        {
          command: 'scripts/portal --postgres > test-results/portal.log 2>&1',
          url: `${baseURL}/.backstage/health/v1/readiness`,
          reuseExistingServer: !process.env.CI,
          timeout: 300_000,
          gracefulShutdown: { signal: 'SIGTERM', timeout: 15_000 },
        },
      ],
  use: {
    baseURL,
    launchOptions: { executablePath: chromiumPath, args: chromiumArgs },
    screenshot: 'only-on-failure',
    trace: 'retain-on-failure',
    viewport: { width: 1440, height: 900 },
  },
  projects,
});
