import { expect, test } from '@playwright/test';
import { signInAsGuest } from './signIn';

test.describe('the catalog', () => {
  test('a guest signs in and finds the titanic service and its system', async ({
    page,
  }, testInfo) => {
    await signInAsGuest(page);

    await page.goto('/?filters[kind]=component&filters[user]=all');
    const serviceLink = page.getByRole('link', {
      name: 'Titanic service',
      exact: true,
    });
    await expect(serviceLink).toBeVisible();
    await page.screenshot({
      path: testInfo.outputPath('catalog-components.png'),
      fullPage: true,
    });

    await serviceLink.click();
    await expect(page).toHaveURL(
      /\/catalog\/default\/component\/titanic-service/,
    );
    await expect(
      page.getByText('REST API over the Titanic passenger manifest', {
        exact: false,
      }),
    ).toBeVisible();
    await expect(
      page.getByRole('link', { name: 'Titanic team' }).first(),
    ).toBeVisible();
    await page.screenshot({
      path: testInfo.outputPath('titanic-service.png'),
      fullPage: true,
    });

    await page.goto('/?filters[kind]=system&filters[user]=all');
    await expect(
      page.getByRole('link', { name: 'Titanic', exact: true }),
    ).toBeVisible();
    await page.screenshot({
      path: testInfo.outputPath('catalog-systems.png'),
      fullPage: true,
    });
  });
});
