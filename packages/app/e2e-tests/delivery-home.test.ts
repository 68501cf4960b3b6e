import { expect, Page, test, TestInfo } from '@playwright/test';
import { signInAsGuest } from './signIn';

/*
 * Issue 16 end to end: the Home page and the Delivery overview over the sandbox (titanic-service
 * and the services with ninety days of history). This file sorts before deployments.test.ts on
 * purpose: that test approves the production run waiting for review, which Home shows here.
 */

/** Screenshots of the page in the light theme and in the dark one. */
async function screenshotBothThemes(
  page: Page,
  testInfo: TestInfo,
  name: string,
) {
  await page.screenshot({
    path: testInfo.outputPath(`${name}-light.png`),
    fullPage: true,
  });
  await page.evaluate(() => window.localStorage.setItem('theme', 'dark'));
  await page.reload();
  await expect(page.locator('main').first()).toBeVisible();
  await page.waitForLoadState('networkidle');
  await page.screenshot({
    path: testInfo.outputPath(`${name}-dark.png`),
    fullPage: true,
  });
  await page.evaluate(() => window.localStorage.setItem('theme', 'light'));
}

test.describe('Home and the Delivery overview', () => {
  test("Home shows the guest's pending approval, the team's services and their four keys", async ({
    page,
  }, testInfo) => {
    await signInAsGuest(page);
    await page
      .getByRole('navigation', { name: 'sidebar nav' })
      .locator('a[href="/home"]')
      .click();
    await expect(page).toHaveURL(/\/home$/);

    const approvals = page.getByRole('list', {
      name: 'Deployments waiting for your review',
    });
    await expect(approvals).toBeVisible({ timeout: 60_000 });
    await expect(
      approvals.getByRole('listitem').filter({ hasText: 'Titanic service' }),
    ).toContainText('→ prod');
    // alice's run; the guest's own #21 is someone else's to approve.
    await expect(approvals).toContainText('Titanic service pipeline #22');

    // The guest's team (titanic-team) owns titanic-service and three sandbox services.
    for (const service of [
      'Titanic service',
      'Passenger search',
      'Lifeboat roster',
      'Manifest importer',
    ]) {
      await expect(
        page.getByRole('link', { name: service, exact: true }).first(),
      ).toBeVisible();
    }
    await expect(page.getByText('Harbour gateway')).toHaveCount(0);
    // titanic-service's latest default-branch run failed its SonarCloud gate.
    await expect(page.getByText(/^#20 /)).toBeVisible();

    await expect(page.getByText("Your team's four keys")).toBeVisible();
    await expect(page.getByTestId('dora-deploymentFrequency')).toHaveText(
      /\/ (day|week)/,
    );
    await expect(page.getByTestId('dora-leadTime')).toHaveText(/(min|h|days)$/);
    await expect(
      page.getByRole('list', { name: 'Recent deployments and rollbacks' }),
    ).toBeVisible();
    // No card of the boilerplate, none that needs the internet.
    await expect(page.getByText('Random Joke')).toHaveCount(0);
    await expect(page.getByText('Welcome to Backstage')).toHaveCount(0);
    await screenshotBothThemes(page, testInfo, 'home');
  });

  test('the Delivery overview lists every service and sorts them by change failure rate', async ({
    page,
  }, testInfo) => {
    await signInAsGuest(page);
    await page.goto('/delivery');
    // A service first seen is read from GitHub in the background: reload until every one is read.
    await expect
      .poll(
        async () => {
          await page.reload();
          await expect(page.getByText(/^Services \(\d+\)$/)).toBeVisible();
          return page.getByText('reading history…').count();
        },
        { timeout: 90_000 },
      )
      .toBe(0);
    const rows = page
      .locator('table tbody tr')
      .filter({ has: page.locator('a[href^="/catalog/"]') });
    await expect(rows.filter({ hasText: 'Telegraph notifier' })).toHaveCount(1);
    await expect(rows.filter({ hasText: 'Passenger search' })).toHaveCount(1);

    // The change failure rate column, read from the table as it is shown.
    const header = page.getByRole('columnheader', {
      name: 'Change failure rate',
    });
    const index = await header.evaluate(cell =>
      Array.from(cell.parentElement!.children).indexOf(cell),
    );
    const rates = async () =>
      (await rows.locator(`td:nth-child(${index + 1})`).allTextContents()).map(
        text => (text === '—' ? Number.POSITIVE_INFINITY : parseFloat(text)),
      );
    await header.click();
    await expect
      .poll(async () => {
        const shown = await rates();
        return shown.every((rate, i) => i === 0 || shown[i - 1] <= rate);
      })
      .toBe(true);
    const ascending = await rates();
    expect(ascending.filter(Number.isFinite).length).toBeGreaterThan(3);
    await header.click();
    await expect
      .poll(async () => (await rates())[0])
      .toBe(Math.max(...ascending));
    await screenshotBothThemes(page, testInfo, 'delivery-overview');
  });
});
