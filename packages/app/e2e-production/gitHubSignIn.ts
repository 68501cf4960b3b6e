import { expect, Page } from '@playwright/test';

/**
 * Signs in the way a person does in production: "Sign In" on the GitHub card opens GitHub's
 * authorize page in a popup (the sandbox GitHub's, where one picks who one is), which closes once
 * the portal has the identity.
 */
export async function startGitHubSignIn(page: Page, login: string) {
  await page.goto('/');
  const card = page.getByText('Sign in with your GitHub account', {
    exact: false,
  });
  await expect(card).toBeVisible();
  const popupOpened = page.waitForEvent('popup');
  await page.getByRole('button', { name: 'Sign In' }).click();
  const popup = await popupOpened;
  await expect(
    popup.getByRole('heading', { name: 'Authorize Titanic Portal' }),
  ).toBeVisible();
  // The popup may close as soon as the click lands: listen for it before clicking, and a click
  // whose page went away under it has done its work.
  const closed = popup.waitForEvent('close');
  await popup
    .getByRole('button', { name: new RegExp(`^Continue as ${login} \\(`) })
    .click()
    .catch(error => {
      if (!popup.isClosed()) throw error;
    });
  await closed;
}

/** Signs `login` in and waits for the portal's sidebar. */
export async function signInWithGitHub(page: Page, login: string) {
  await startGitHubSignIn(page, login);
  await expect(
    page
      .getByRole('navigation', { name: 'sidebar nav' })
      .getByRole('link', { name: 'Catalog', exact: true }),
  ).toBeVisible();
}

/**
 * The signed-in person's Backstage token, from the auth backend's refresh endpoint with the
 * browser's session cookie (what the app itself does), for direct API calls.
 */
export async function backstageToken(page: Page): Promise<string> {
  const response = await page.request.get(
    '/api/auth/github/refresh?optional&env=production',
    { headers: { 'x-requested-with': 'XMLHttpRequest' } },
  );
  expect(response.status()).toBe(200);
  const body = await response.json();
  return `Bearer ${body.backstageIdentity.token}`;
}
