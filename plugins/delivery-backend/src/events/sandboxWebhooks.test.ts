import { mockCredentials } from '@backstage/backend-test-utils';
import {
  ApprovalsInboxResponse,
  DeliverySignal,
  EnvironmentsResponse,
  RunHistoryResponse,
} from '@internal/plugin-delivery-common';
import {
  GITHUB_DEVELOPER_TOKEN,
  GITHUB_ORG_ADMIN_TOKEN,
  GITHUB_PORTAL_BOT_TOKEN,
  Sandbox,
} from '@internal/sandbox';
import { Octokit } from '@octokit/rest';
import request from 'supertest';
import { ALICE } from '../__testUtils__/entities';
import { WEBHOOK_SECRET } from '../__testUtils__/gitHubWebhooks';
import {
  eventually,
  startFastSandbox,
} from '../__testUtils__/kubernetesSandbox';
import { PostgresServer } from '../__testUtils__/postgresServer';
import {
  DeliveryBackend,
  apiPath,
  startDeliveryBackend,
} from '../__testUtils__/startDeliveryBackend';
import { HOOK_EVENTS } from './gitHubChanges';

jest.setTimeout(120_000);

/*
 * The portal configured as an organisation would configure it on GitHub: an organisation webhook
 * to /api/events/http/github with the portal's secret. What happens on GitHub itself — a review,
 * the run it resumes — reaches the page through GitHub's own deliveries, long before the cache
 * would have asked GitHub again; a hook without the secret is refused.
 */

const owner = 'acme-corp';
const repo = 'titanic-service';
const CHANNEL = 'delivery:component:default/titanic-service';

async function read<T>(portal: DeliveryBackend, path: string): Promise<T> {
  const response = await request(portal.backend.server)
    .get(path)
    .set('Authorization', mockCredentials.user.header(ALICE));
  expect(response.status).toBe(200);
  return response.body as T;
}

describe('GitHub webhooks from the sandbox', () => {
  let postgres: PostgresServer;
  let sandbox: Sandbox;
  let portal: DeliveryBackend;
  let owners: Octokit;
  let hookId: number;

  beforeAll(async () => {
    postgres = await PostgresServer.start();
    // Live jobs at 1/200 of real time: a re-run reaches its production review in seconds.
    sandbox = await startFastSandbox({ timeScale: 0.005 });
    // Answers are cached ten minutes: anything fresher came from a webhook.
    portal = await startDeliveryBackend({
      sandbox,
      postgres,
      freshSeconds: 600,
    });
    owners = new Octokit({
      auth: GITHUB_ORG_ADMIN_TOKEN,
      baseUrl: sandbox.github.baseUrl,
    });
  });

  afterAll(async () => {
    await portal?.close();
    await sandbox?.close();
    await postgres?.destroy();
  });

  it('an organisation webhook with the portal secret is accepted, from its ping on', async () => {
    const { data: hook } = await owners.rest.orgs.createWebhook({
      org: owner,
      name: 'web',
      config: {
        url: `${portal.baseUrl}/api/events/http/github`,
        content_type: 'json',
        secret: WEBHOOK_SECRET,
      },
      events: [...HOOK_EVENTS],
    });
    hookId = hook.id;
    const [ping] = await eventually(async () => {
      const { data } = await owners.rest.orgs.listWebhookDeliveries({
        org: owner,
        hook_id: hookId,
      });
      return data.length > 0 && data;
    }, 'the ping to be delivered');
    expect(ping).toMatchObject({ event: 'ping', status_code: 202 });
  });

  it('a review made on GitHub reaches the page: waiting ends, the run moves on, the page is signalled', async () => {
    const environments = () =>
      read<EnvironmentsResponse>(portal, apiPath('environments'));
    const [waiting] = (await environments()).pendingApprovals;
    expect(waiting).toBeDefined();
    const bot = new Octokit({
      auth: GITHUB_PORTAL_BOT_TOKEN,
      baseUrl: sandbox.github.baseUrl,
    });
    const { data: pending } =
      await bot.rest.actions.getPendingDeploymentsForRun({
        owner,
        repo,
        run_id: waiting.runId,
      });
    await bot.rest.actions.reviewPendingDeploymentsForRun({
      owner,
      repo,
      run_id: waiting.runId,
      environment_ids: pending.map(p => p.environment.id!),
      state: 'approved',
      comment: 'Approved on GitHub',
    });
    await eventually(
      async () =>
        (
          await environments()
        ).pendingApprovals.every(approval => approval.runId !== waiting.runId),
      'the portal to stop showing the run as waiting',
    );
    await eventually(async () => {
      const { runs } = await read<RunHistoryResponse>(portal, apiPath('runs'));
      const run = runs.find(r => r.id === waiting.runId);
      return run?.status === 'completed' && run.conclusion === 'success';
    }, 'the portal to show the run completed');
    const changed = portal.signals
      .filter(signal => signal.channel === CHANNEL)
      .map(signal => (signal.message as DeliverySignal).type);
    expect(changed).toContain('changed');
    // Every delivery so far was taken.
    await sandbox.github.webhooks.idle();
    const { data: deliveries } = await owners.rest.orgs.listWebhookDeliveries({
      org: owner,
      hook_id: hookId,
      per_page: 100,
    });
    // An organisation webhook hears no deployment_review (a GitHub App event): the review
    // showed through the deploy job it released.
    const events = deliveries.map(d => d.event);
    expect(events).toEqual(
      expect.arrayContaining([
        'workflow_job',
        'workflow_run',
        'deployment_status',
      ]),
    );
    expect(events).not.toContain('deployment_review');
    expect(new Set(deliveries.map(d => d.status_code))).toEqual(new Set([202]));
  });

  it('a run that begins waiting reaches the approvals inbox and its team, from the webhooks alone', async () => {
    const bot = new Octokit({
      auth: GITHUB_PORTAL_BOT_TOKEN,
      baseUrl: sandbox.github.baseUrl,
    });
    const developer = new Octokit({
      auth: GITHUB_DEVELOPER_TOKEN,
      baseUrl: sandbox.github.baseUrl,
    });
    const { data } = await bot.rest.actions.listWorkflowRunsForRepo({
      owner,
      repo,
      branch: 'main',
      status: 'success',
    });
    const released = data.workflow_runs[0];
    portal.notifications.length = 0;
    // No scheduled read of GitHub runs in this test: the history hears the run from its webhooks.
    await developer.rest.actions.reRunWorkflow({
      owner,
      repo,
      run_id: released.id,
    });
    const told = await eventually(
      async () =>
        portal.notifications.find(
          n =>
            n.payload.scope ===
            `delivery-approval:${owner}/${repo}:${released.id}`,
        ),
      'the team to be told the run waits for its review',
      60_000,
    );
    expect(told.recipients).toMatchObject({
      type: 'entity',
      entityRef: 'group:default/titanic-team',
    });
    expect(told.payload.description).toContain('started by bob');
    const inbox = await read<ApprovalsInboxResponse>(
      portal,
      '/api/delivery/approvals',
    );
    expect(
      inbox.items
        .filter(item => item.runId === released.id)
        .map(i => i.entityRef),
    ).toContain('component:default/titanic-service');
  });

  it('a hook without the secret is refused, and GitHub records the refusal', async () => {
    const { data: unsigned } = await owners.rest.repos.createWebhook({
      owner,
      repo,
      config: {
        url: `${portal.baseUrl}/api/events/http/github`,
        content_type: 'json',
      },
      events: ['workflow_run'],
    });
    const [ping] = await eventually(async () => {
      const { data } = await owners.rest.repos.listWebhookDeliveries({
        owner,
        repo,
        hook_id: unsigned.id,
      });
      return data.length > 0 && data;
    }, 'the unsigned ping to be answered');
    expect(ping.status_code).toBe(401);
  });
});
