import { expect, Page, test } from '@playwright/test';
import { signInAsGuest } from './signIn';

/*
 * The approvals inbox end to end, against the sandbox GitHub: the guest (titanic-team, a required
 * reviewer of production) sees the run they started themselves apart, with approving refused by
 * four eyes; bob re-runs two released pipelines, which wait for production's review; the team
 * hears of it in the notifications page; the guest approves one from the inbox (the run moves
 * on) and rejects the other with a comment, which the run then shows. The re-runs are of older
 * releases, so the seeded runs other tests review are left as they are.
 */
const GITHUB = process.env.SANDBOX_GITHUB_URL ?? 'http://127.0.0.1:7080';
const REPO = `${GITHUB}/repos/acme-corp/titanic-service`;
const BOT = 'Bearer sandbox-github-portal-bot';
/** bob's: a developer who may re-run the pipeline, never review production. */
const BOB = 'Bearer sandbox-github-developer';
const SERVICE = '/catalog/default/component/titanic-service';

interface Run {
  id: number;
  run_number: number;
  status: string;
  conclusion: string | null;
}

async function github<T>(path: string, auth = BOT, init: RequestInit = {}) {
  const response = await fetch(`${REPO}${path}`, {
    ...init,
    headers: { authorization: auth, 'content-type': 'application/json' },
  });
  return { status: response.status, body: (await response.json()) as T };
}

const runOf = async (id: number) =>
  (await github<Run>(`/actions/runs/${id}`)).body;

/** The inbox's row of a run (the first, should several components share its repository). */
const rowOf = (page: Page, run: Run) =>
  page.getByTestId(`approval-${run.id}`).first();

test.describe.serial('the approvals inbox', () => {
  let approved: Run;
  let rejected: Run;

  test.beforeAll(async () => {
    const released = (
      await github<{ workflow_runs: Run[] }>(
        '/actions/runs?branch=main&status=success&per_page=5',
      )
    ).body.workflow_runs;
    expect(released.length).toBeGreaterThanOrEqual(2);
    [approved, rejected] = released;
    for (const run of [approved, rejected]) {
      const rerun = await github(`/actions/runs/${run.id}/rerun`, BOB, {
        method: 'POST',
        body: '{}',
      });
      expect(rerun.status).toBe(201);
    }
  });

  test('the guest’s own waiting run is shown apart: someone else must approve it', async ({
    page,
  }, testInfo) => {
    await signInAsGuest(page);
    await page.goto('/approvals');
    const mine = page.getByTestId('started-by-you');
    await expect(mine).toContainText('someone else must approve them');
    await mine
      .getByRole('button', { name: /^Review Titanic service run/ })
      .first()
      .click();
    const dialog = page.getByRole('dialog');
    await expect(dialog.getByTestId('four-eyes')).toContainText(
      'You started this deployment (as guest-acme on GitHub) — someone else must approve it.',
    );
    await expect(
      dialog.getByRole('button', { name: 'Approve and deploy' }),
    ).toBeDisabled();
    await expect(dialog.getByRole('button', { name: 'Reject' })).toBeEnabled();
    await page.screenshot({
      path: testInfo.outputPath('four-eyes.png'),
      fullPage: true,
    });
    await dialog.getByRole('button', { name: 'Cancel' }).click();
  });

  test('runs waiting for production reach the inbox, its badge and the team’s notifications', async ({
    page,
  }, testInfo) => {
    test.setTimeout(240_000);
    // Re-runs go through every gate again before production's review.
    await expect
      .poll(async () => (await runOf(approved.id)).status, { timeout: 180_000 })
      .toBe('waiting');
    await expect
      .poll(async () => (await runOf(rejected.id)).status, { timeout: 180_000 })
      .toBe('waiting');

    await signInAsGuest(page);
    await page.goto('/approvals');
    for (const run of [approved, rejected]) {
      const row = rowOf(page, run);
      await expect(row).toContainText(`#${run.run_number}`);
      await expect(row).toContainText('bob');
      await expect(row).toContainText('prod');
      await expect(row).toContainText('✓ Trivy');
    }
    const badge = page.getByTestId('approvals-badge');
    await expect(badge).toHaveAttribute(
      'aria-label',
      /^([2-9]|\d\d+) deployments wait for your review$/,
    );
    await page.screenshot({
      path: testInfo.outputPath('inbox.png'),
      fullPage: true,
    });

    await page.goto('/notifications');
    await expect(
      page.getByText(
        `: run #${approved.run_number} waits for your review to deploy to prod`,
      ),
    ).toBeVisible();
    await page.screenshot({
      path: testInfo.outputPath('notifications.png'),
      fullPage: true,
    });
  });

  test('approving from the inbox moves the run on', async ({ page }) => {
    test.setTimeout(240_000);
    await signInAsGuest(page);
    await page.goto('/approvals');
    await rowOf(page, approved)
      .getByRole('button', { name: /^Review / })
      .click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Comment').fill('e2e: approved from the inbox');
    await dialog.getByRole('button', { name: 'Approve and deploy' }).click();
    await expect(dialog.getByTestId('review-result')).toContainText(
      `Approved run #${approved.run_number} for production`,
    );
    await dialog.getByRole('button', { name: 'Close' }).click();
    await expect(page.getByTestId(`approval-${approved.id}`)).toHaveCount(0);
    await expect
      .poll(async () => runOf(approved.id), { timeout: 180_000 })
      .toMatchObject({ status: 'completed', conclusion: 'success' });
  });

  test('a rejection with its comment shows on the run', async ({
    page,
  }, testInfo) => {
    await signInAsGuest(page);
    await page.goto('/approvals');
    await rowOf(page, rejected)
      .getByRole('button', { name: /^Review / })
      .click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Comment').fill('e2e: not during the freeze');
    await dialog.getByRole('button', { name: 'Reject' }).click();
    await expect(dialog.getByTestId('review-result')).toContainText(
      `Rejected run #${rejected.run_number} for production`,
    );
    await dialog.getByRole('button', { name: 'Close' }).click();
    await expect
      .poll(async () => runOf(rejected.id), { timeout: 60_000 })
      .toMatchObject({ status: 'completed', conclusion: 'failure' });

    await page.goto(`${SERVICE}/pipeline`);
    const row = page.getByRole('row', {
      name: new RegExp(`#${rejected.run_number}\\b`),
    });
    await expect(row).toContainText('e2e: not during the freeze');
    await row.click();
    await expect(
      page.getByText(`Gates of run #${rejected.run_number}`),
    ).toBeVisible();
    await page.screenshot({
      path: testInfo.outputPath('rejected-run.png'),
      fullPage: true,
    });
  });
});
