import { execFileSync } from 'node:child_process';
import { APIRequestContext, expect, request, test } from '@playwright/test';
import {
  backstageToken,
  signInWithGitHub,
  startGitHubSignIn,
} from './gitHubSignIn';

/*
 * The production profile, as `scripts/portal --production` runs it against the sandbox: GitHub
 * sign-in, people and teams from the GitHub organisation, PostgreSQL, Redis, and two backend
 * replicas (:7011, :7012) behind a round-robin proxy (:7007). alice and bob are titanic-team (the
 * owners of titanic-service), dave is data-team, mallory is outside the organisation. The tests
 * change the portal and the last one stops a replica, so they run in this order.
 */
const SERVICE = '/catalog/default/component/titanic-service';
const API = '/api/delivery/entities/Component/default/titanic-service';
const REPLICAS = ['http://127.0.0.1:7011', 'http://127.0.0.1:7012'];
const GITHUB = process.env.SANDBOX_GITHUB_URL ?? 'http://127.0.0.1:7080';

function lane(page: import('@playwright/test').Page, name: string) {
  return page.getByRole('group', { name: `${name} environment` });
}

/** A request context straight to one replica, bypassing the proxy. */
function replica(index: number): Promise<APIRequestContext> {
  return request.newContext({ baseURL: REPLICAS[index] });
}

test.describe.serial('the portal in production', () => {
  test('offers GitHub sign-in only: there is no guest, not even as an API', async ({
    page,
  }, testInfo) => {
    await page.goto('/');
    await expect(
      page.getByText('Sign in with your GitHub account', { exact: false }),
    ).toBeVisible();
    await expect(page.getByRole('button', { name: 'Enter' })).toHaveCount(0);
    await expect(page.getByText('Guest', { exact: true })).toHaveCount(0);
    await page.screenshot({ path: testInfo.outputPath('sign-in.png') });

    for (const path of ['/api/auth/guest/refresh', '/api/auth/guest/start']) {
      const response = await page.request.get(path, {
        headers: { 'x-requested-with': 'XMLHttpRequest' },
      });
      expect(response.status(), path).toBe(404);
    }
  });

  test('refuses a GitHub account outside the organisation, saying why', async ({
    page,
  }, testInfo) => {
    await startGitHubSignIn(page, 'mallory');

    // The GitHub card now says why, in place of its invitation.
    await expect(
      page.getByText(
        'Sign-in refused. The GitHub account "mallory" is not a person of this portal',
        { exact: false },
      ),
    ).toBeVisible();
    // Still on the sign-in page: nobody got in.
    await expect(page.getByRole('button', { name: 'Sign In' })).toBeVisible();
    await expect(
      page.getByRole('navigation', { name: 'sidebar nav' }),
    ).toHaveCount(0);
    await page.screenshot({
      path: testInfo.outputPath('refused.png'),
      fullPage: true,
    });
    const mallory = await page.request.get(
      '/api/catalog/entities/by-name/user/default/mallory',
    );
    expect(mallory.status()).toBe(401);
  });

  test('a non-owner signed in with GitHub sees rollback disabled, and the API refuses it', async ({
    page,
  }, testInfo) => {
    await signInWithGitHub(page, 'dave');
    await page.goto(`${SERVICE}/deployments`);

    const staging = lane(page, 'staging');
    await expect(
      staging.getByRole('button', { name: 'Roll back staging' }),
    ).toBeDisabled();
    await expect(page.getByTestId('denied-reason').first()).toContainText(
      'the permission policy denies you',
    );
    await page.screenshot({
      path: testInfo.outputPath('non-owner.png'),
      fullPage: true,
    });

    const authorization = await backstageToken(page);
    const rollback = await page.request.post(
      `${API}/environments/staging/rollback`,
      {
        headers: { authorization },
        data: { reason: 'e2e: dave is not an owner' },
      },
    );
    expect(rollback.status()).toBe(403);
    expect((await rollback.json()).error.name).toBe('NotAllowedError');
  });

  test('an owner signed in with GitHub rolls staging back, and the audit trail names them', async ({
    page,
  }, testInfo) => {
    await signInWithGitHub(page, 'alice');
    await page.goto(`${SERVICE}/deployments`);

    const staging = lane(page, 'staging');
    await staging.getByRole('button', { name: 'Roll back staging' }).click();
    const dialog = page.getByRole('dialog');
    await dialog
      .getByLabel('Reason')
      .fill('e2e: production profile rollback by alice');
    await dialog
      .getByRole('button', { name: /^Roll back to revision/ })
      .click();
    await expect(dialog.getByTestId('rollback-result')).toContainText(
      'Rolled back staging',
      { timeout: 90_000 },
    );
    await page.screenshot({ path: testInfo.outputPath('rolled-back.png') });
    await dialog.getByRole('button', { name: 'Close' }).click();

    const authorization = await backstageToken(page);
    const audit = await page.request.get(
      `${API}/audit?environment=staging&action=rollback&limit=1`,
      { headers: { authorization } },
    );
    const [entry] = (await audit.json()).entries;
    expect(entry).toMatchObject({
      actor: 'user:default/alice',
      reason: 'e2e: production profile rollback by alice',
      result: 'succeeded',
    });
  });

  test("a review made on GitHub itself reaches the open page and both replicas through GitHub's webhook", async ({
    page,
  }, testInfo) => {
    await signInWithGitHub(page, 'alice');
    await page.goto(`${SERVICE}/deployments`);
    const production = lane(page, 'prod');
    const waiting = production.getByTestId('waiting-for-approval');
    await expect(waiting).toBeVisible();
    let navigations = 0;
    page.on('framenavigated', frame => {
      if (frame === page.mainFrame()) navigations += 1;
    });

    // Someone approves on GitHub (the sandbox's API, as the bot a reviewer of production).
    const github = `${GITHUB}/repos/acme-corp/titanic-service`;
    const headers = {
      authorization: 'Bearer sandbox-github-portal-bot',
      'content-type': 'application/json',
    };
    const runs = await (
      await fetch(`${github}/actions/runs?status=waiting`, { headers })
    ).json();
    const runId = runs.workflow_runs[0].id;
    const pending = await (
      await fetch(`${github}/actions/runs/${runId}/pending_deployments`, {
        headers,
      })
    ).json();
    const review = await fetch(
      `${github}/actions/runs/${runId}/pending_deployments`,
      {
        method: 'POST',
        headers,
        body: JSON.stringify({
          environment_ids: pending.map(
            (p: { environment: { id: number } }) => p.environment.id,
          ),
          state: 'approved',
          comment: 'e2e: approved on GitHub',
        }),
      },
    );
    expect(review.status).toBe(200);

    // The guest's run may still wait; the approved one does not.
    await expect(waiting).not.toContainText(
      `#${runs.workflow_runs[0].run_number}`,
      { timeout: 10_000 },
    );
    expect(navigations).toBe(0);
    await page.screenshot({
      path: testInfo.outputPath('approved-on-github.png'),
    });
    // The webhook reached one replica; the event bus took it to the other.
    const authorization = await backstageToken(page);
    for (const context of await Promise.all([replica(0), replica(1)])) {
      await expect(async () => {
        const response = await context.get(`${API}/environments`, {
          headers: { authorization },
        });
        const { pendingApprovals } = await response.json();
        expect(
          pendingApprovals.map((a: { runId: number }) => a.runId),
        ).not.toContain(runId);
      }).toPass({ timeout: 20_000 });
    }
    // Production rolls the approved version out; the tests after this one start from a still cluster.
    await expect(production.getByText('Healthy')).toBeVisible({
      timeout: 90_000,
    });
  });

  test('an owner approves the run still waiting with their own GitHub identity, and GitHub records them', async ({
    page,
  }, testInfo) => {
    await signInWithGitHub(page, 'alice');
    await page.goto(`${SERVICE}/deployments`);
    const production = lane(page, 'prod');
    await expect(production.getByTestId('waiting-for-approval')).toBeVisible();
    await page
      .getByRole('button', { name: 'Review the deployment to prod' })
      .click();
    const dialog = page.getByRole('dialog', {
      name: 'Review the deployment to prod',
    });
    await expect(dialog).toContainText(
      'You review with your own GitHub identity: GitHub applies its required reviewers and prevent-self-review.',
    );
    const runNumber = Number(
      /Run #(\d+)/.exec((await dialog.textContent()) ?? '')?.[1],
    );
    expect(runNumber).toBeGreaterThan(0);

    // The review needs the person's GitHub token with the repo scope: Backstage asks them to
    // log in to GitHub again for it, in GitHub's authorize popup.
    await dialog.getByRole('button', { name: 'Approve and deploy' }).click();
    const popupOpened = page.waitForEvent('popup');
    await page.getByRole('button', { name: 'Log in' }).click();
    const popup = await popupOpened;
    const closed = popup.waitForEvent('close');
    await popup
      .getByRole('button', { name: /^Continue as alice \(/ })
      .click()
      .catch(error => {
        if (!popup.isClosed()) throw error;
      });
    await closed;
    await expect(dialog.getByTestId('review-result')).toContainText(
      `Approved run #${runNumber} for production as`,
    );
    await page.screenshot({
      path: testInfo.outputPath('approved-as-alice.png'),
    });

    // GitHub's own record names alice, not the portal.
    const github = `${GITHUB}/repos/acme-corp/titanic-service`;
    const headers = { authorization: 'Bearer sandbox-github-portal-bot' };
    const runs = await (
      await fetch(`${github}/actions/runs?per_page=100`, { headers })
    ).json();
    const run = runs.workflow_runs.find(
      (r: { run_number: number }) => r.run_number === runNumber,
    );
    const approvals = await (
      await fetch(`${github}/actions/runs/${run.id}/approvals`, { headers })
    ).json();
    expect(approvals[0]).toMatchObject({
      state: 'approved',
      user: { login: 'alice' },
    });
    await dialog.getByRole('button', { name: 'Close' }).click();
    // Production rolls it out; the tests after this one start from a still cluster.
    await expect(production.getByText('Healthy')).toBeVisible({
      timeout: 90_000,
    });
  });

  test('both replicas give the same answers: catalog, permissions, delivery, audit, scaffolder', async ({
    page,
  }) => {
    await signInWithGitHub(page, 'alice');
    const authorization = await backstageToken(page);
    const headers = { authorization };
    const paths = [
      '/api/catalog/entities/by-name/component/default/titanic-service',
      '/api/catalog/entities/by-name/group/default/titanic-team',
      `${API}/environments`,
      `${API}/audit?limit=5`,
      '/api/scaffolder/v2/templates/default/template/titanic-service/parameter-schema',
    ];
    const [first, second] = await Promise.all([replica(0), replica(1)]);
    for (const path of paths) {
      // The cluster may still be moving (the rollback above settles its pods): the replicas must
      // agree once it holds still, not at one instant of it.
      await expect(async () => {
        const [a, b] = await Promise.all([
          first.get(path, { headers }),
          second.get(path, { headers }),
        ]);
        expect(a.status(), path).toBe(200);
        expect(b.status(), path).toBe(200);
        expect(stable(await a.json()), path).toEqual(stable(await b.json()));
      }).toPass({ timeout: 30_000 });
    }
    // The same permission decision from either replica: alice may roll back, per the policy.
    const decisions = await Promise.all(
      [first, second].map(async context => {
        const response = await context.post('/api/permission/authorize', {
          headers,
          data: {
            items: [
              {
                id: 'rollback',
                permission: {
                  type: 'resource',
                  name: 'delivery.deployment.rollback',
                  attributes: { action: 'update' },
                  resourceType: 'catalog-entity',
                },
                resourceRef: 'component:default/titanic-service',
              },
            ],
          },
        });
        return (await response.json()).items[0].result;
      }),
    );
    expect(decisions).toEqual(['ALLOW', 'ALLOW']);
    // Through the proxy, requests reach both replicas.
    const served = new Set<string>();
    for (let i = 0; i < 4; i++) {
      const response = await page.request.get(paths[0], { headers });
      served.add(response.headers()['x-titanic-replica']);
    }
    expect([...served].sort()).toEqual(['1', '2']);
  });

  test('a replica stopped mid-rollback: the other replica finishes following it', async ({
    page,
  }) => {
    await signInWithGitHub(page, 'alice');
    const authorization = await backstageToken(page);
    const first = await replica(0);
    const applied = await first.post(`${API}/environments/dev/rollback`, {
      headers: { authorization },
      data: { reason: 'e2e: replica 1 stops mid-rollback' },
    });
    expect(applied.status()).toBe(202);
    stopReplica(7011);

    // Only replica 2 answers now, through the proxy and directly.
    const second = await replica(1);
    await expect
      .poll(
        async () => {
          const audit = await second.get(
            `${API}/audit?environment=dev&action=rollback&limit=1`,
            { headers: { authorization } },
          );
          const [entry] = (await audit.json()).entries;
          return entry.reason === 'e2e: replica 1 stops mid-rollback'
            ? entry.rolloutStatus
            : 'not found';
        },
        { timeout: 60_000, intervals: [500] },
      )
      .toBe('complete');
    const viaProxy = await page.request.get(`${API}/environments`, {
      headers: { authorization },
    });
    expect(viaProxy.status()).toBe(200);
    expect(viaProxy.headers()['x-titanic-replica']).toBe('2');
  });
});

/** Drops what legitimately differs between two reads (ages, timestamps of the read itself). */
function stable(value: unknown): unknown {
  return JSON.parse(
    JSON.stringify(value, (key, v) =>
      ['ageSeconds', 'fetchedAt', 'observedAt', 'readAt'].includes(key)
        ? undefined
        : v,
    ),
  );
}

/** Kills the backend replica listening on `port`, as a crashed or evicted pod stops. */
function stopReplica(port: number) {
  const listing = execFileSync('ss', ['-ltnpH', `sport = :${port}`], {
    encoding: 'utf8',
  });
  const pid = /pid=(\d+)/.exec(listing)?.[1];
  if (!pid) throw new Error(`no process listens on :${port}: ${listing}`);
  process.kill(Number(pid), 'SIGKILL');
}
