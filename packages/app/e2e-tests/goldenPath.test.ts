import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { expect, Page, test, TestInfo } from '@playwright/test';
import { signInAsGuest } from './signIn';

/*
 * Issue 17 end to end, the golden path as a newcomer walks it: a service created from the
 * template has its first push run its own pipeline in the sandbox — gates in order, dev and
 * staging deployed, production waiting for approval — then production is approved, a later push
 * reaches staging and staging is rolled back; a commit with a secret fails at Gitleaks and the
 * finding shows in the Security tab. The tests share the service, so they run in this order.
 */

const SANDBOX_GITHUB =
  process.env.SANDBOX_GITHUB_URL ?? 'http://127.0.0.1:7080';
const PORTAL_BOT_TOKEN = 'sandbox-github-portal-bot';
/** bob, a developer of the team: later commits are his pushes. */
const DEVELOPER_TOKEN = 'sandbox-github-developer';
const OWNER = 'acme-corp';
const JOURNEY_BUDGET_MS = 180_000;

const name = `shipping-${Date.now().toString(36)}`;
const service = `/catalog/default/component/${name}`;
let checkout: string | undefined;

function lane(page: Page, environment: string) {
  return page.getByRole('group', { name: `${environment} environment` });
}

/** The sandbox's own answer (not the portal's cached view): when the run itself got there. */
async function sandboxRuns(branch: string) {
  const response = await fetch(
    `${SANDBOX_GITHUB}/repos/${OWNER}/${name}/actions/runs?branch=${branch}`,
    { headers: { authorization: `Bearer ${PORTAL_BOT_TOKEN}` } },
  );
  return response.ok ? (await response.json()).workflow_runs : [];
}

/** Clones the new repository, commits `files` and pushes main, as a developer would. */
async function pushCommit(message: string, files: Record<string, string>) {
  const git = (args: string[], cwd?: string) =>
    promisify(execFile)('git', args, {
      cwd,
      env: {
        ...process.env,
        GIT_AUTHOR_NAME: 'Bob Baker',
        GIT_AUTHOR_EMAIL: 'bob@acme-corp.example',
        GIT_COMMITTER_NAME: 'Bob Baker',
        GIT_COMMITTER_EMAIL: 'bob@acme-corp.example',
      },
    });
  if (!checkout) {
    checkout = await mkdtemp(join(tmpdir(), `${name}-`));
    const remote = new URL(`${SANDBOX_GITHUB}/${OWNER}/${name}.git`);
    remote.username = 'bob';
    remote.password = DEVELOPER_TOKEN;
    await git(['clone', '--quiet', remote.toString(), checkout]);
  }
  for (const [path, content] of Object.entries(files)) {
    await mkdir(dirname(join(checkout, path)), { recursive: true });
    await writeFile(join(checkout, path), content);
  }
  await git(['add', '.'], checkout);
  await git(['commit', '--quiet', '-m', message], checkout);
  await git(['push', '--quiet', 'origin', 'HEAD:main'], checkout);
  return (await git(['rev-parse', 'HEAD'], checkout)).stdout.trim();
}

function report(testInfo: TestInfo, type: string, description: string) {
  testInfo.annotations.push({ type, description });
  // The figures belong in the run's output, next to the pass/fail line.
  // eslint-disable-next-line no-console
  console.log(description);
}

test.describe.serial('the golden path, end to end', () => {
  test.afterAll(async () => {
    if (checkout) await rm(checkout, { recursive: true, force: true });
  });

  test('a new service goes through its gates to production, waits for approval, and staging rolls back', async ({
    page,
  }, testInfo) => {
    test.setTimeout(JOURNEY_BUDGET_MS);
    const started = Date.now();
    const seconds = (from = started) => ((Date.now() - from) / 1000).toFixed(1);
    await signInAsGuest(page);

    // Create: the template's form with its defaults (titanic-team owns it; dev, staging, prod).
    await page.goto('/create');
    await page.getByRole('button', { name: 'Choose' }).click();
    await page.getByLabel('Component name').fill(name);
    await page
      .getByLabel('Description')
      .fill('Ships the orders of the Titanic.');
    await page.getByRole('button', { name: 'Next' }).click();
    for (const [label, value] of [
      ['Owner', OWNER],
      ['Repository', name],
    ]) {
      const field = page.getByRole('textbox', { name: label });
      await field.click();
      await field.pressSequentially(value);
      await field.press('Tab');
    }
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByRole('button', { name: 'Review' }).click();
    const created = Date.now();
    await page.getByRole('button', { name: 'Create' }).click();

    // The sandbox's own view of the first run, for the time to "waiting for approval".
    let waitingAfter: string | undefined;
    const watch = (async () => {
      while (!waitingAfter && Date.now() - created < JOURNEY_BUDGET_MS) {
        const [run] = await sandboxRuns('main').catch(() => []);
        if (run?.status === 'waiting') waitingAfter = seconds(created);
        else await new Promise(resolve => setTimeout(resolve, 500));
      }
    })();

    // "Open in catalog" lands on the component at once.
    const openInCatalog = page.getByRole('link', { name: 'Open in catalog' });
    await expect(openInCatalog).toBeVisible({ timeout: 60_000 });
    const taskSeconds = seconds(created);
    await openInCatalog.click();
    await expect(page).toHaveURL(new RegExp(`${service}$`));
    await expect(page.getByRole('heading', { name }).first()).toBeVisible();
    await expect(page.getByText('Entity not found')).toHaveCount(0);
    await page.screenshot({
      path: testInfo.outputPath('1-component.png'),
      fullPage: true,
    });

    // The Pipeline tab: the first push's run on main, its gates going by.
    await page.getByRole('link', { name: 'Pipeline', exact: true }).click();
    const mainRun = page.getByRole('row', { name: /#1\b.*main/ });
    await expect(mainRun).toBeVisible({ timeout: 30_000 });
    await mainRun.click();
    const chain = page.getByRole('list', { name: 'Pipeline gates' });
    await expect(page.getByText('Gates of run #1')).toBeVisible();
    await expect(
      chain.getByRole('listitem', { name: /^Gitleaks: / }),
    ).toBeVisible();
    // While the run goes, some gate has not passed yet.
    await expect(
      chain
        .getByRole('listitem', { name: /: (Running|Queued|Not run)$/ })
        .first(),
    ).toBeVisible();
    await page.screenshot({
      path: testInfo.outputPath('2-pipeline-running.png'),
      fullPage: true,
    });

    // Dev (from develop) and staging (from main) run the version the first push built.
    await page.getByRole('link', { name: 'Overview', exact: true }).click();
    const tag = `sha-${(await sandboxRuns('main'))[0].head_sha.slice(0, 7)}`;
    const staging = lane(page, 'staging');
    await expect(
      lane(page, 'dev').getByTestId('environment-version'),
    ).toHaveText(tag, { timeout: 90_000 });
    await expect(staging.getByTestId('environment-version')).toHaveText(tag, {
      timeout: 30_000,
    });
    const prod = lane(page, 'prod');
    await expect(prod.getByText(/Not deployed yet/)).toBeVisible();
    await page.screenshot({
      path: testInfo.outputPath('3-dev-and-staging.png'),
      fullPage: true,
    });

    // The Pipeline tab again: every gate before production has passed, Deploy waits for approval.
    await page.getByRole('link', { name: 'Pipeline', exact: true }).click();
    await page.getByRole('row', { name: /#1\b.*main/ }).click();
    await expect(
      chain.getByRole('listitem', { name: 'Deploy: Waiting for approval' }),
    ).toBeVisible({
      timeout: 90_000,
    });
    for (const gate of [
      'Gitleaks',
      'Checkov',
      'SonarCloud',
      'Tests & coverage',
      'Build',
      'Trivy',
    ])
      await expect(
        chain.getByRole('listitem', { name: `${gate}: Passed` }),
      ).toBeVisible();
    const shownWaitingAfter = seconds(created);
    await page.screenshot({
      path: testInfo.outputPath('4-pipeline-waiting.png'),
      fullPage: true,
    });

    // Approve production: the run goes on and prod rolls the version out.
    await page.getByRole('link', { name: 'Overview', exact: true }).click();
    await expect(prod.getByTestId('waiting-for-approval')).toContainText(
      'run #1',
      { timeout: 30_000 },
    );
    await page.screenshot({
      path: testInfo.outputPath('5-production-waiting.png'),
      fullPage: true,
    });
    await prod
      .getByRole('button', { name: 'Review the deployment to prod' })
      .click();
    const review = page.getByRole('dialog');
    await review
      .getByLabel('Comment')
      .fill('e2e: first release of the new service');
    await review.getByRole('button', { name: 'Approve and deploy' }).click();
    await expect(review.getByTestId('review-result')).toContainText(
      'Approved run #1 for production',
    );
    await review.getByRole('button', { name: 'Close' }).click();
    await expect(prod.getByTestId('environment-version')).toHaveText(tag, {
      timeout: 60_000,
    });
    await expect(prod.getByText('Healthy')).toBeVisible({ timeout: 30_000 });
    await page.screenshot({
      path: testInfo.outputPath('6-production-approved.png'),
      fullPage: true,
    });

    // A later push runs the gates again and brings staging a second version…
    const second = await pushCommit('Document the shipping API', {
      'docs/shipping.md': '# Shipping\n\nHow orders leave the warehouse.\n',
    });
    const secondTag = `sha-${second.slice(0, 7)}`;
    await expect(staging.getByTestId('environment-version')).toHaveText(
      secondTag,
      { timeout: 90_000 },
    );
    await page.screenshot({
      path: testInfo.outputPath('7-staging-second-version.png'),
      fullPage: true,
    });

    // …which is rolled back to the first.
    await staging.getByRole('button', { name: 'Roll back staging' }).click();
    const rollback = page.getByRole('dialog');
    await expect(rollback.getByTestId('rollback-target-image')).toHaveText(
      `ghcr.io/${OWNER}/${name}:${tag}`,
    );
    await rollback
      .getByLabel('Reason')
      .fill('e2e: roll staging back to the first release');
    await rollback
      .getByRole('button', { name: /^Roll back to revision \d+$/ })
      .click();
    await expect(rollback.getByTestId('rollback-result')).toContainText(
      'Rolled back staging',
      {
        timeout: 60_000,
      },
    );
    await page.screenshot({ path: testInfo.outputPath('8-rollback.png') });
    await rollback.getByRole('button', { name: 'Close' }).click();
    await expect(staging.getByTestId('environment-version')).toHaveText(tag);
    await page.screenshot({
      path: testInfo.outputPath('9-rolled-back.png'),
      fullPage: true,
    });

    await watch;
    report(
      testInfo,
      'golden-path-timing',
      `golden path ${name}: Create → "Open in catalog" ${taskSeconds} s; Create → first run waiting for approval ${
        waitingAfter ?? '?'
      } s (sandbox), ${shownWaitingAfter} s (shown in the portal); whole journey ${seconds()} s`,
    );
    expect(Date.now() - started).toBeLessThanOrEqual(JOURNEY_BUDGET_MS);
  });

  test('a commit with a secret fails at Gitleaks and the finding shows in the Security tab', async ({
    page,
  }, testInfo) => {
    test.setTimeout(150_000);
    await signInAsGuest(page);
    // Assembled at run time so that no key-shaped string is committed to the portal.
    const key = ['AK', 'IA', 'QYLPMN5HHHFPZAM2'].join('');
    await pushCommit('Configure the carrier account', {
      'config/carrier.env': `AWS_ACCESS_KEY_ID=${key}\n`,
    });

    // The run fails at its first gate, with gitleaks' own reason (read from the job's log).
    await page.goto(`${service}/pipeline`);
    const failed = page.getByRole('row', {
      name: /Configure the carrier account/,
    });
    await expect(failed).toContainText('Gitleaks: 1 secret found', {
      timeout: 100_000,
    });
    await failed.click();
    await expect(
      page
        .getByRole('list', { name: 'Pipeline gates' })
        .getByRole('listitem', { name: 'Gitleaks: Failed' }),
    ).toBeVisible();
    await page.screenshot({
      path: testInfo.outputPath('10-gitleaks-failed.png'),
      fullPage: true,
    });

    // The Security tab lists the finding gitleaks uploaded to code scanning.
    await page.getByRole('link', { name: 'Security', exact: true }).click();
    const finding = page.getByRole('row', { name: /aws-access-token/ }).first();
    await expect(finding).toBeVisible({ timeout: 30_000 });
    await expect(finding).toContainText('config/carrier.env');
    await expect(finding).toContainText('gitleaks');
    await page.screenshot({
      path: testInfo.outputPath('11-security-finding.png'),
      fullPage: true,
    });
  });
});
