import { expect, test } from '@playwright/test';
import { signInAsGuest } from './signIn';

/*
 * What someone does on GitHub itself reaches an open page without a reload: the sandbox GitHub
 * delivers its signed webhook to the portal (scripts/portal registers the organisation's hook),
 * the portal signals the page, and the page refetches what changed.
 */
const SECURITY = '/catalog/default/component/titanic-service/security';
const GITHUB = process.env.SANDBOX_GITHUB_URL ?? 'http://127.0.0.1:7080';
const REPO = `${GITHUB}/repos/acme-corp/titanic-service`;
const headers = {
  authorization: 'Bearer sandbox-github-portal-bot',
  'content-type': 'application/json',
};

test('an alert dismissed on GitHub leaves the open Security tab within seconds, without a reload', async ({
  page,
}, testInfo) => {
  await signInAsGuest(page);
  await page.goto(SECURITY);
  const heading = page.getByText(/^Findings \(\d+\)$/);
  // Loaded: the seeded repository has open findings.
  await expect(heading).toHaveText(/^Findings \([1-9]\d*\)$/);
  const before = Number(
    /\((\d+)\)/.exec((await heading.textContent()) ?? '')?.[1],
  );
  let navigations = 0;
  page.on('framenavigated', frame => {
    if (frame === page.mainFrame()) navigations += 1;
  });

  const alerts = (await (
    await fetch(`${REPO}/code-scanning/alerts?state=open&per_page=1`, {
      headers,
    })
  ).json()) as Array<{ number: number }>;
  const dismissed = await fetch(
    `${REPO}/code-scanning/alerts/${alerts[0].number}`,
    {
      method: 'PATCH',
      headers,
      body: JSON.stringify({
        state: 'dismissed',
        dismissed_reason: 'used in tests',
        dismissed_comment: 'Dismissed on GitHub by the live-data test',
      }),
    },
  );
  expect(dismissed.status).toBe(200);
  const at = Date.now();

  await expect(page.getByText(`Findings (${before - 1})`)).toBeVisible({
    timeout: 5_000,
  });
  const seconds = (Date.now() - at) / 1000;
  // eslint-disable-next-line no-console
  console.log(
    `alert dismissed on GitHub → shown on the open page in ${seconds.toFixed(
      1,
    )} s`,
  );
  expect(navigations).toBe(0);
  await page.screenshot({
    path: testInfo.outputPath('live-security.png'),
    fullPage: true,
  });
});
