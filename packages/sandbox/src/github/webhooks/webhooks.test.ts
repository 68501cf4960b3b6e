import { Octokit } from '@octokit/rest';
import git from 'isomorphic-git';
import gitHttp from 'isomorphic-git/http/node';
import fs from 'node:fs';
import { createHmac } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  GITHUB_ORG_ADMIN_TOKEN,
  GITHUB_PORTAL_BOT_TOKEN,
  GitHubSandbox,
  startGitHubServer,
} from '../../index';
import { listen, readBody } from '../../http/listen';

import { webhookPayloadProblems } from './webhookSchemas';

/*
 * The sandbox GitHub tells webhooks what changes, as GitHub does: hooks are managed through the
 * REST API by the organisation's owners, every delivery is signed with the hook's secret, every
 * payload is one @octokit/webhooks-schemas accepts, and the events follow what happens —
 * a review and the run it resumes, deployments and their statuses, a push.
 */

jest.setTimeout(60_000);

const owner = 'acme-corp';
const repo = 'titanic-service';
const SECRET = 'hook-secret';

interface Received {
  event: string;
  delivery: string;
  hookId: string;
  signature: string | undefined;
  body: string;
  payload: any;
}

let github: GitHubSandbox;
let admin: Octokit;
let bot: Octokit;
let received: Received[] = [];
let answer = 200;
let receiver: { url: string; close(): Promise<void> };

/** Waits until the deliveries so far satisfy `found`, then returns what it found. */
async function eventually<T>(
  found: () => T | undefined | false,
  what: string,
  deadlineMs = 20_000,
): Promise<T> {
  const deadline = Date.now() + deadlineMs;
  while (Date.now() < deadline) {
    const value = found();
    if (value) return value;
    await new Promise(resolve => setTimeout(resolve, 25));
  }
  throw new Error(
    `timed out waiting for ${what}; received ${received
      .map(r => `${r.event}.${r.payload.action ?? ''}`)
      .join(', ')}`,
  );
}

const of = (event: string, action?: string) =>
  received.filter(
    r =>
      r.event === event &&
      (action === undefined || r.payload.action === action),
  );

beforeAll(async () => {
  receiver = await listen(
    (request: http.IncomingMessage, response: http.ServerResponse) => {
      void readBody(request).then(body => {
        const text = body.toString('utf8');
        received.push({
          event: String(request.headers['x-github-event']),
          delivery: String(request.headers['x-github-delivery']),
          hookId: String(request.headers['x-github-hook-id']),
          signature: request.headers['x-hub-signature-256'] as
            | string
            | undefined,
          body: text,
          payload: JSON.parse(text),
        });
        response.writeHead(answer).end();
      });
    },
    { host: '127.0.0.1', port: 0 },
  );
  github = await startGitHubServer({ timeScale: 0.01 });
  admin = new Octokit({
    auth: GITHUB_ORG_ADMIN_TOKEN,
    baseUrl: github.baseUrl,
  });
  bot = new Octokit({ auth: GITHUB_PORTAL_BOT_TOKEN, baseUrl: github.baseUrl });
});

afterAll(async () => {
  await github?.close();
  await receiver?.close();
});

beforeEach(() => {
  received = [];
  answer = 200;
});

/** Whatever a test made the sandbox send, GitHub could have sent. */
function expectOnlyValidPayloads() {
  expect(github.webhooks.problems).toEqual([]);
  for (const delivery of received) {
    expect(webhookPayloadProblems(delivery.event, delivery.payload)).toEqual(
      [],
    );
  }
}

describe('webhooks of the sandbox GitHub', () => {
  let hookId: number;

  it('an owner creates an organisation webhook, and it is pinged, signed with its secret', async () => {
    const { data: hook } = await admin.rest.orgs.createWebhook({
      org: owner,
      name: 'web',
      config: {
        url: `${receiver.url}/hooks`,
        content_type: 'json',
        secret: SECRET,
      },
      events: ['*'],
    });
    hookId = hook.id;
    expect(hook.config.secret).toBe('********');
    const ping = await eventually(() => of('ping')[0], 'the ping');
    expect(ping.hookId).toBe(String(hook.id));
    expect(ping.signature).toBe(
      `sha256=${createHmac('sha256', SECRET).update(ping.body).digest('hex')}`,
    );
    expect(ping.payload.hook.config.url).toBe(`${receiver.url}/hooks`);
    expect(ping.payload.organization.login).toBe(owner);
    expect(ping.payload.sender.login).toBe('carol');
    expectOnlyValidPayloads();
  });

  it('is managed by the organisation owners alone, and refuses a hook without a URL or with unknown events', async () => {
    await expect(
      bot.rest.orgs.listWebhooks({ org: owner }),
    ).rejects.toMatchObject({ status: 404 });
    await expect(
      admin.rest.orgs.createWebhook({
        org: owner,
        name: 'web',
        config: {} as never,
      }),
    ).rejects.toMatchObject({ status: 422 });
    await expect(
      admin.rest.repos.createWebhook({
        owner,
        repo,
        config: { url: `${receiver.url}/x` },
        events: ['no_such_event'],
      }),
    ).rejects.toMatchObject({ status: 422 });
    const { data: hooks } = await admin.rest.orgs.listWebhooks({ org: owner });
    expect(hooks.map(h => h.id)).toEqual([hookId]);
  });

  it('approving a waiting production deployment delivers the review, then the deploy job and the run as they move on', async () => {
    const { data: runs } = await bot.rest.actions.listWorkflowRunsForRepo({
      owner,
      repo,
      status: 'waiting',
    });
    const run = runs.workflow_runs[0];
    const { data: pending } =
      await bot.rest.actions.getPendingDeploymentsForRun({
        owner,
        repo,
        run_id: run.id,
      });
    await bot.rest.actions.reviewPendingDeploymentsForRun({
      owner,
      repo,
      run_id: run.id,
      environment_ids: pending.map(p => p.environment.id!),
      state: 'approved',
      comment: 'Ship it',
    });
    const completed = await eventually(
      () =>
        of('workflow_run', 'completed').find(
          r => r.payload.workflow_run.id === run.id,
        ),
      'the run to complete',
    );
    const review = of('deployment_review', 'approved')[0];
    expect(review.payload).toMatchObject({
      workflow_run: { id: run.id },
      approver: { login: 'titanic-portal-bot' },
      comment: 'Ship it',
      workflow_job_run: { environment: 'production' },
    });
    const deployJob = review.payload.workflow_job_run.id;
    const jobActions = of('workflow_job')
      .filter(r => r.payload.workflow_job.id === deployJob)
      .map(r => r.payload.action);
    expect(jobActions).toEqual(['queued', 'in_progress', 'completed']);
    // In order: the review before its job moves, the job before the run completes.
    const order = (r: Received) => received.indexOf(r);
    expect(order(review)).toBeLessThan(
      order(
        of('workflow_job', 'completed').find(
          r => r.payload.workflow_job.id === deployJob,
        )!,
      ),
    );
    expect(completed.payload.workflow_run.conclusion).toBe('success');
    // The run goes on in progress once reviewed, then completes.
    const resumed = of('workflow_run', 'in_progress').find(
      r => r.payload.workflow_run.id === run.id,
    );
    expect(resumed).toBeDefined();
    expect(order(resumed!)).toBeLessThan(order(completed));
    expect(of('deployment_status').length).toBeGreaterThan(0);
    // Every delivery is signed, has its own id, and is listed among the hook's deliveries.
    for (const delivery of received) {
      expect(delivery.signature).toBe(
        `sha256=${createHmac('sha256', SECRET)
          .update(delivery.body)
          .digest('hex')}`,
      );
    }
    expect(new Set(received.map(r => r.delivery)).size).toBe(received.length);
    await github.webhooks.idle();
    const { data: deliveries } = await admin.request(
      'GET /orgs/{org}/hooks/{hook_id}/deliveries',
      { org: owner, hook_id: hookId, per_page: 100 },
    );
    expect(deliveries.map(d => d.guid)).toEqual(
      expect.arrayContaining(received.map(r => r.delivery)),
    );
    expect(new Set(deliveries.map(d => d.status_code))).toEqual(new Set([200]));
    expectOnlyValidPayloads();
  });

  it('a repository hook that asked for code scanning alerts alone hears an alert dismissed, not the re-run beside it', async () => {
    const { data: repoHook } = await admin.rest.repos.createWebhook({
      owner,
      repo,
      config: {
        url: `${receiver.url}/repo`,
        content_type: 'json',
        secret: SECRET,
      },
      events: ['code_scanning_alert'],
    });
    const { data: alerts } = await bot.rest.codeScanning.listAlertsForRepo({
      owner,
      repo,
      state: 'open',
    });
    await bot.rest.codeScanning.updateAlert({
      owner,
      repo,
      alert_number: alerts[0].number,
      state: 'dismissed',
      dismissed_reason: 'used in tests',
      dismissed_comment: 'A fixture',
    });
    const { data: failed } = await bot.rest.actions.listWorkflowRunsForRepo({
      owner,
      repo,
      status: 'failure',
    });
    const rerun = failed.workflow_runs[0];
    await bot.rest.actions.reRunWorkflowFailedJobs({
      owner,
      repo,
      run_id: rerun.id,
    });
    const requested = await eventually(
      () =>
        of('workflow_run', 'requested').find(
          r => r.payload.workflow_run.id === rerun.id,
        ),
      'the re-run',
    );
    expect(requested.payload.workflow_run.run_attempt).toBe(
      rerun.run_attempt! + 1,
    );
    const dismissed = await eventually(
      () =>
        received.find(
          r =>
            r.hookId === String(repoHook.id) &&
            r.event === 'code_scanning_alert',
        ),
      'the dismissal',
    );
    expect(dismissed.payload).toMatchObject({
      action: 'closed_by_user',
      alert: { number: alerts[0].number, state: 'dismissed' },
      sender: { login: 'titanic-portal-bot' },
    });
    await github.webhooks.idle();
    expect(
      received.filter(r => r.hookId === String(repoHook.id)).map(r => r.event),
    ).toEqual(['ping', 'code_scanning_alert']);
    await admin.rest.repos.deleteWebhook({ owner, repo, hook_id: repoHook.id });
    expectOnlyValidPayloads();
  });

  it('a push to a created repository is delivered, and a hook that fails has its failures recorded', async () => {
    const { data: created } = await admin.rest.repos.createInOrg({
      org: owner,
      name: 'hooked-service',
    });
    answer = 500;
    const dir = await mkdtemp(join(tmpdir(), 'sandbox-hooks-'));
    try {
      await writeFile(join(dir, 'README.md'), '# Hooked\n');
      await git.init({ fs, dir, defaultBranch: 'main' });
      await git.add({ fs, dir, filepath: '.' });
      const author = { name: 'Carol', email: 'carol@acme-corp.example' };
      await git.commit({ fs, dir, message: 'First commit', author });
      await git.push({
        fs,
        http: gitHttp,
        dir,
        url: created.clone_url,
        onAuth: () => ({
          username: 'x-access-token',
          password: GITHUB_ORG_ADMIN_TOKEN,
        }),
      });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
    const push = await eventually(() => of('push')[0], 'the push');
    expect(push.payload).toMatchObject({
      ref: 'refs/heads/main',
      created: true,
      repository: { full_name: `${owner}/hooked-service` },
      head_commit: { message: 'First commit' },
    });
    await github.webhooks.idle();
    const { data: deliveries } = await admin.request(
      'GET /orgs/{org}/hooks/{hook_id}/deliveries',
      { org: owner, hook_id: hookId },
    );
    expect(deliveries[0]).toMatchObject({
      event: 'push',
      status_code: 500,
      status: 'Invalid HTTP Response: 500',
    });
    expectOnlyValidPayloads();
  });
});
