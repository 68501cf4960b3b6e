import { expect, test } from '@playwright/test';
import { signInAsGuest } from './signIn';

/*
 * The delivery dashboards on titanic-service, served by the delivery backend from the sandbox
 * GitHub: the default branch's latest run stops at the SonarCloud gate (new coverage 41%).
 */
test.describe('delivery dashboards', () => {
  test('titanic-service shows its gate chain with the failing gate, runs, and CRITICAL findings', async ({
    page,
  }, testInfo) => {
    await signInAsGuest(page);
    await page.goto('/catalog/default/component/titanic-service');

    // Overview: the gate chain of the latest default-branch run, stopped at SonarCloud.
    const chain = page.getByRole('list', { name: 'Pipeline gates' });
    await expect(chain).toBeVisible();
    await expect(chain.getByRole('listitem')).toHaveCount(7);
    const failed = page.getByTestId('failed-gate-summary');
    await expect(failed).toContainText('Stopped at SonarCloud');
    await expect(failed).toContainText('quality gate ERROR: new coverage 41');
    await expect(
      chain.getByRole('listitem', { name: /SonarCloud: Failed/ }),
    ).toContainText('quality gate ERROR');

    // Overview: the scan summary with counts per tool and SonarCloud's quality gate.
    await expect(
      page.getByRole('table', { name: 'Open findings by tool and severity' }),
    ).toBeVisible();
    await expect(page.getByTestId('quality-gate')).toContainText('Failed');
    await page.screenshot({
      path: testInfo.outputPath('delivery-overview.png'),
      fullPage: true,
    });

    // Pipeline tab: run history with the gates of each run.
    await page.getByRole('link', { name: 'Pipeline', exact: true }).click();
    await expect(page).toHaveURL(/\/titanic-service\/pipeline/);
    await expect(
      page.getByText(/^Pipeline runs \(\d+ of \d+\)$/),
    ).toBeVisible();
    await expect(page.getByText(/^Gates of run #\d+$/)).toBeVisible();
    await expect(
      page
        .getByText('SonarCloud: quality gate ERROR', { exact: false })
        .first(),
    ).toBeVisible();
    await page.screenshot({
      path: testInfo.outputPath('delivery-pipeline.png'),
      fullPage: true,
    });

    // Security tab: filter the findings down to CRITICAL ones.
    await page.getByRole('link', { name: 'Security', exact: true }).click();
    await expect(page).toHaveURL(/\/titanic-service\/security/);
    await expect(page.getByTestId('findings-trend-chart')).toBeVisible();
    await expect(page.getByText(/^Findings \(\d+\)$/)).toBeVisible();
    await page.screenshot({
      path: testInfo.outputPath('delivery-security.png'),
      fullPage: true,
    });

    const criticalChip = page.getByRole('button', {
      name: /^Critical \(\d+\)$/,
    });
    const critical = Number(
      /\((\d+)\)/.exec((await criticalChip.textContent()) ?? '')?.[1],
    );
    expect(critical).toBeGreaterThan(0);
    const filtered = page.waitForResponse(
      response =>
        response.url().includes('/api/delivery/') &&
        response.url().includes('/findings?') &&
        response.url().includes('severity=critical') &&
        response.ok(),
    );
    await criticalChip.click();
    await filtered;
    await expect(criticalChip).toHaveAttribute('aria-pressed', 'true');
    await expect(page.getByText(`Findings (${critical})`)).toBeVisible();
    // Every listed finding is CRITICAL.
    const rows = page.locator('table tbody tr');
    await expect(rows.filter({ hasText: 'CRITICAL' }).first()).toBeVisible();
    await expect(rows.filter({ hasNotText: 'CRITICAL' })).toHaveCount(0);
    await page.screenshot({
      path: testInfo.outputPath('delivery-security-critical.png'),
      fullPage: true,
    });
  });
});
