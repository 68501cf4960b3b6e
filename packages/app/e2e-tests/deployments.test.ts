import { expect, Page, Request, test, TestInfo } from '@playwright/test';
import { signInAsGuest } from './signIn';

/*
 * Issue 8 end to end, against the sandbox GitHub and Kubernetes: the guest (titanic-team, owner of
 * titanic-service) approves the production run waiting for review and rolls staging back; on
 * titanic-service-oncall (owned by platform-team, sandbox only) the same guest is a non-owner.
 * The tests share one portal and change it, so they run in this order.
 */
const SERVICE = '/catalog/default/component/titanic-service';
const ONCALL = '/catalog/default/component/titanic-service-oncall';
const API = '/api/delivery/entities/Component/default';

function lane(page: Page, name: string) {
  return page.getByRole('group', { name: `${name} environment` });
}

/** Records how long every environments request the UI makes takes, request start to response end. */
function recordEnvironmentsLatency(page: Page): number[] {
  const latencies: number[] = [];
  page.on('requestfinished', (request: Request) => {
    if (
      /\/api\/delivery\/.*\/environments$/.test(new URL(request.url()).pathname)
    ) {
      const timing = request.timing();
      if (timing.responseEnd > 0) latencies.push(timing.responseEnd);
    }
  });
  return latencies;
}

function reportLatency(testInfo: TestInfo, latencies: number[]) {
  if (latencies.length === 0) return;
  const sorted = [...latencies].sort((a, b) => a - b);
  const at = (q: number) =>
    sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)];
  const summary = `environments requests seen by the UI: n=${
    sorted.length
  } p50=${at(0.5).toFixed(0)}ms p95=${at(0.95).toFixed(0)}ms max=${sorted[
    sorted.length - 1
  ].toFixed(0)}ms`;
  testInfo.annotations.push({
    type: 'environments-latency',
    description: summary,
  });
  // The measurement belongs in the run's output, next to the pass/fail line.
  // eslint-disable-next-line no-console
  console.log(summary);
}

test.describe.serial('environments, approvals and rollback', () => {
  test('a non-owner sees approve and rollback disabled with the reason, and the API answers 403', async ({
    page,
  }, testInfo) => {
    await signInAsGuest(page);
    const environments = page.waitForResponse(
      response =>
        response.url().endsWith('/titanic-service-oncall/environments') &&
        response.ok(),
    );
    await page.goto(ONCALL);
    const answered = await environments;
    const { authorization } = await answered.request().allHeaders();
    const runId: number = (await answered.json()).pendingApprovals[0]?.runId;
    expect(runId).toBeGreaterThan(0);

    const prod = lane(page, 'prod');
    await expect(prod.getByTestId('waiting-for-approval')).toBeVisible();
    await expect(
      prod.getByRole('button', { name: 'Review the deployment to prod' }),
    ).toBeDisabled();
    await expect(
      lane(page, 'staging').getByRole('button', { name: 'Roll back staging' }),
    ).toBeDisabled();
    const reasons = page.getByTestId('denied-reason');
    await expect(reasons.nth(0)).toContainText(
      'the permission policy denies you delivery.deployment.approve',
    );
    await expect(reasons.nth(1)).toContainText(
      'the permission policy denies you delivery.deployment.rollback',
    );
    // The reason is also the disabled button's tooltip.
    await lane(page, 'staging').getByTestId('denied-action').hover();
    await expect(page.getByRole('tooltip')).toContainText(
      'You may not roll back titanic-service-oncall',
    );
    await page.screenshot({
      path: testInfo.outputPath('non-owner-disabled.png'),
      fullPage: true,
    });

    // The same requests, sent straight to the API with the guest's own token.
    const rollback = await page.request.post(
      `${API}/titanic-service-oncall/environments/staging/rollback`,
      { headers: { authorization }, data: { reason: 'e2e: not an owner' } },
    );
    expect(rollback.status()).toBe(403);
    expect((await rollback.json()).error.name).toBe('NotAllowedError');
    const review = await page.request.post(
      `${API}/titanic-service-oncall/runs/${runId}/review`,
      { headers: { authorization }, data: { decision: 'approve' } },
    );
    expect(review.status()).toBe(403);
    // Still waiting: nothing was approved.
    await page.reload();
    await expect(
      lane(page, 'prod').getByTestId('waiting-for-approval'),
    ).toBeVisible();
  });

  test('approving the waiting production deployment moves the pipeline on, and another open page sees it live', async ({
    page,
    browser,
  }, testInfo) => {
    const latencies = recordEnvironmentsLatency(page);
    await signInAsGuest(page);
    await page.goto(SERVICE);

    // Someone else has the same page open in another browser: signals reach it.
    const elsewhere = await browser.newContext();
    const watcher = await elsewhere.newPage();
    await signInAsGuest(watcher);
    await watcher.goto(SERVICE);
    const watched = lane(watcher, 'prod').getByTestId('waiting-for-approval');
    await expect(watched).toBeVisible();
    await expect(watcher.getByTestId('live-status')).toHaveAttribute(
      'data-status',
      'live',
    );
    let reloads = 0;
    watcher.on('framenavigated', frame => {
      if (frame === watcher.mainFrame()) reloads += 1;
    });

    const prod = lane(page, 'prod');
    const waiting = prod.getByTestId('waiting-for-approval');
    await expect(waiting).toBeVisible();
    const runNumber = /#(\d+)/.exec((await waiting.textContent()) ?? '')?.[1];
    const before = await prod.getByTestId('environment-version').textContent();
    await page.screenshot({
      path: testInfo.outputPath('overview-waiting.png'),
      fullPage: true,
    });

    await prod
      .getByRole('button', { name: 'Review the deployment to prod' })
      .click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Comment').fill('e2e: staging looks good');
    await page.screenshot({ path: testInfo.outputPath('approve-dialog.png') });
    await dialog.getByRole('button', { name: 'Approve and deploy' }).click();
    await expect(dialog.getByTestId('review-result')).toContainText(
      `Approved run #${runNumber} for production`,
    );
    await page.screenshot({ path: testInfo.outputPath('approved.png') });

    // The other page learns of it within 2 s, without a reload (its own poll is a minute away).
    // The lane may go on to show the guest's own waiting run, never the approved one.
    await expect(watched).not.toContainText(`#${runNumber}`, {
      timeout: 2_000,
    });
    expect(reloads).toBe(0);
    await watcher.screenshot({
      path: testInfo.outputPath('elsewhere-after-approval.png'),
      fullPage: true,
    });
    await elsewhere.close();
    await dialog.getByRole('button', { name: 'Close' }).click();

    // The run stops waiting and production rolls the new version out.
    await expect(waiting).not.toContainText(`#${runNumber}`);
    await expect(prod.getByTestId('environment-version')).not.toHaveText(
      before ?? '',
      { timeout: 90_000 },
    );
    await expect(prod.getByText('Healthy')).toBeVisible({ timeout: 90_000 });
    await page.screenshot({
      path: testInfo.outputPath('overview-approved.png'),
      fullPage: true,
    });

    // The Pipeline tab shows the run going on past the approval.
    await page.getByRole('link', { name: 'Pipeline', exact: true }).click();
    const row = page.getByRole('row', { name: new RegExp(`#${runNumber}\\b`) });
    await expect(row).toBeVisible();
    await expect(row).not.toContainText('Waiting for approval', {
      timeout: 90_000,
    });
    await page.screenshot({
      path: testInfo.outputPath('pipeline-after-approval.png'),
      fullPage: true,
    });
    reportLatency(testInfo, latencies);
  });

  test('rolling staging back one revision puts the previous image live and records it in the audit trail', async ({
    page,
  }, testInfo) => {
    const latencies = recordEnvironmentsLatency(page);
    await signInAsGuest(page);
    await page.goto(`${SERVICE}/deployments`);

    const staging = lane(page, 'staging');
    const version = staging.getByTestId('environment-version');
    await expect(version).toBeVisible();
    const liveImage = await version.getAttribute('title');

    await staging.getByRole('button', { name: 'Roll back staging' }).click();
    const dialog = page.getByRole('dialog');
    const confirmation = dialog.getByTestId('rollback-confirmation');
    await expect(confirmation.getByTestId('rollback-live-image')).toHaveText(
      liveImage ?? '',
    );
    const targetImage =
      (await confirmation.getByTestId('rollback-target-image').textContent()) ??
      '';
    const targetRevision = /to revision (\d+)/.exec(
      (await confirmation.textContent()) ?? '',
    )?.[1];
    expect(targetImage).toMatch(/^ghcr\.io\/acme-corp\/titanic-service:/);
    expect(targetImage).not.toBe(liveImage);
    await dialog
      .getByLabel('Reason')
      .fill('e2e: roll staging back one revision');
    await page.screenshot({
      path: testInfo.outputPath('rollback-confirm.png'),
    });

    // The rollout's own duration, from the backend's data: the rollback's requestedAt to the
    // completedAt of the last rollout status the UI polled.
    let requestedAt: string | undefined;
    let completedAt: string | undefined;
    page.on('response', async response => {
      const path = new URL(response.url()).pathname;
      if (!path.includes('/titanic-service/environments/staging/')) return;
      const body = await response.json().catch(() => undefined);
      if (path.endsWith('/rollback')) requestedAt = body?.requestedAt;
      if (path.endsWith('/rollout') && body?.completedAt) {
        completedAt = body.completedAt;
      }
    });

    // When "rolled back" appears, stamped in the page itself, so screenshots and Playwright's
    // own polling do not count (browser and test share the machine's clock).
    await page.evaluate(() => {
      const stamps = window as unknown as { rolledBackAt?: number };
      stamps.rolledBackAt = undefined;
      new MutationObserver((_mutations, observer) => {
        const shown = document.querySelector('[data-testid="rollback-result"]');
        if (shown?.textContent?.includes('Rolled back')) {
          stamps.rolledBackAt = Date.now();
          observer.disconnect();
        }
      }).observe(document.body, {
        childList: true,
        subtree: true,
        characterData: true,
      });
    });
    const clickedAt = Date.now();
    await dialog
      .getByRole('button', { name: `Roll back to revision ${targetRevision}` })
      .click();
    await expect(dialog.getByTestId('rollback-progress')).toBeVisible();
    await page.screenshot({
      path: testInfo.outputPath('rollback-progress.png'),
    });
    const result = dialog.getByTestId('rollback-result');
    await expect(result).toContainText(
      `Rolled back staging to revision ${targetRevision}`,
      { timeout: 90_000 },
    );
    const rolledBackAt: number = await page.evaluate(
      () => (window as unknown as { rolledBackAt: number }).rolledBackAt,
    );
    const visibleAfter = (rolledBackAt - clickedAt) / 1000;
    const rollout =
      requestedAt && completedAt
        ? (Date.parse(completedAt) - Date.parse(requestedAt)) / 1000
        : NaN;
    const seconds = (from: number, to: number) =>
      ((to - from) / 1000).toFixed(2);
    const timing = `rollback: click → "rolled back" visible ${visibleAfter.toFixed(
      2,
    )} s; the rollout's own duration (requestedAt → completedAt) ${rollout.toFixed(
      2,
    )} s; click → requestedAt ${seconds(
      clickedAt,
      Date.parse(requestedAt ?? ''),
    )} s, completedAt → visible ${seconds(
      Date.parse(completedAt ?? ''),
      rolledBackAt,
    )} s; UI shows: ${await result.textContent()}`;
    testInfo.annotations.push({ type: 'rollback-timing', description: timing });
    // The measurements belong in the run's output, next to the pass/fail line.
    // eslint-disable-next-line no-console
    console.log(timing);
    // The budget: visible within the rollout's own duration + 2 s.
    expect(visibleAfter).toBeLessThanOrEqual(rollout + 2);
    await page.screenshot({ path: testInfo.outputPath('rollback-done.png') });
    await dialog.getByRole('button', { name: 'Close' }).click();

    // The lane shows the previous image live.
    const tag = targetImage.split(':').pop() ?? '';
    await expect(version).toHaveText(tag);
    await expect(version).toHaveAttribute('title', targetImage);
    await expect(staging.getByText('Healthy')).toBeVisible();

    // The Deployments history of staging has the audit entry.
    await page.getByRole('tab', { name: 'staging' }).click();
    const entry = page
      .getByRole('row', { name: /Rollback/ })
      .filter({ hasText: 'e2e: roll staging back one revision' })
      .first();
    await expect(entry).toBeVisible({ timeout: 30_000 });
    await expect(entry).toContainText('succeeded');
    await expect(entry).toContainText(targetImage);
    await page.screenshot({
      path: testInfo.outputPath('deployments-history.png'),
      fullPage: true,
    });
    reportLatency(testInfo, latencies);
  });
});
