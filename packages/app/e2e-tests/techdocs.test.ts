import { expect, test } from '@playwright/test';
import { signInAsGuest } from './signIn';

test('the titanic service documentation renders in TechDocs', async ({
  page,
}, testInfo) => {
  await signInAsGuest(page);
  await page.goto('/docs/default/component/titanic-service');

  // The first visit builds the site with mkdocs; later visits read the published copy.
  await expect(
    page.getByRole('heading', {
      name: 'Titanic service: platform documentation',
    }),
  ).toBeVisible({ timeout: 90_000 });
  await page
    .getByRole('link', { name: 'Disaster recovery & backup' })
    .first()
    .click();
  await expect(
    page.getByRole('heading', { name: 'Runbook: roll back a release' }),
  ).toBeVisible();
  await page.screenshot({
    path: testInfo.outputPath('techdocs.png'),
    fullPage: false,
  });
});
