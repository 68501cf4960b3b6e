import { mockCredentials } from '@backstage/backend-test-utils';
import {
  ApprovalsInboxResponse,
  AuditTrailResponse,
  EnvironmentsResponse,
  PendingApproval,
} from '@internal/plugin-delivery-common';
import { DeliveryRecord, Sandbox } from '@internal/sandbox';
import { Octokit } from '@octokit/rest';
import request from 'supertest';
import { ALICE, BOB } from '../__testUtils__/entities';
import { GatedPortal, startGatedPortal } from '../__testUtils__/gatedPortal';
import { GATED_SERVICE } from '../__testUtils__/gatedRepository';
import { postWebhook } from '../__testUtils__/gitHubWebhooks';
import { eventually } from '../__testUtils__/kubernetesSandbox';
import {
  DeliveryBackend,
  apiPath,
} from '../__testUtils__/startDeliveryBackend';
import { gateRequestOf } from '../events/protectionRuleFeed';

jest.setTimeout(180_000);

/*
 * The portal as a custom deployment protection rule: production of gated-service is gated by the
 * titanic-portal GitHub App alone (no required reviewers), whose webhook is the portal's events
 * path. A run bound for production waits; GitHub asks the App; the portal records the gate, shows
 * it on the environments card and in the inbox, and answers GitHub's callback with the decision
 * an allowed person makes — as the App, configured by its id and private key (Backstage exchanges
 * its JWT for installation tokens). bob pushes, so bob starts every run: four eyes keep him from approving them.
 */

const owner = 'acme-corp';
const repo = GATED_SERVICE;
const ENTITY = { name: GATED_SERVICE };
/** The titanic-portal App's webhook (the sandbox's world/appSeed.ts). */
const APP_HOOK_ID = 512_900_001;
const CALLBACK_ROUTE =
  'POST /repos/{owner}/{repo}/actions/runs/{run_id}/deployment_protection_rule';

const as = (userEntityRef: string) =>
  mockCredentials.user.header(userEntityRef);

describe("the portal as GitHub's custom deployment protection rule", () => {
  let gatedPortal: GatedPortal;
  let sandbox: Sandbox;
  let portal: DeliveryBackend;
  let bot: Octokit;
  const startRun = (message: string) => gatedPortal.startRun(message);
  const runStatus = (runId: number) => gatedPortal.runStatus(runId);

  async function environments(): Promise<EnvironmentsResponse> {
    const response = await request(portal.backend.server)
      .get(apiPath('environments', ENTITY))
      .set('Authorization', as(ALICE));
    expect(response.status).toBe(200);
    return response.body;
  }

  /** The run as the environments card lists it, once the portal's gate holds it. */
  async function gatedRun(runId: number): Promise<PendingApproval> {
    return eventually(
      async () =>
        (await environments()).pendingApprovals.find(
          approval =>
            approval.runId === runId &&
            approval.environments.some(e => e.gate === 'protection-rule'),
        ),
      `run ${runId} to wait on the portal's protection rule`,
      90_000,
    );
  }

  function review(
    userEntityRef: string,
    runId: number,
    body: Record<string, unknown>,
  ) {
    return request(portal.backend.server)
      .post(apiPath('reviewDeployment', { ...ENTITY, runId }))
      .set('Authorization', as(userEntityRef))
      .send(body);
  }

  async function latestAudit() {
    const trail = await request(portal.backend.server)
      .get(apiPath('audit', ENTITY, { environment: 'prod' }))
      .set('Authorization', as(ALICE));
    return (trail.body as AuditTrailResponse).entries[0];
  }

  async function appDeliveries(): Promise<DeliveryRecord[]> {
    await sandbox.github.webhooks.idle();
    return sandbox.github.webhooks
      .deliveries(APP_HOOK_ID)
      .filter(d => d.event === 'deployment_protection_rule');
  }

  beforeAll(async () => {
    gatedPortal = await startGatedPortal();
    ({ sandbox, portal, bot } = gatedPortal);
  });

  afterAll(async () => {
    await gatedPortal?.close();
  });

  describe('a run held for production', () => {
    let runId: number;

    beforeAll(async () => {
      portal.notifications.length = 0;
      runId = await startRun('First deploy');
    });

    it("is recorded from the App's webhook and shown as the portal's gate, on the card and in the inbox", async () => {
      const waiting = await gatedRun(runId);
      expect(waiting.requestedBy).toEqual({ login: 'bob', userRefs: [BOB] });
      expect(waiting.environments).toContainEqual(
        expect.objectContaining({
          gate: 'protection-rule',
          githubEnvironment: 'production',
          environment: 'prod',
          portalCanReview: true,
        }),
      );
      // GitHub asks no reviewer: only the App's rule holds the run.
      const { data: pending } =
        await bot.rest.actions.getPendingDeploymentsForRun({
          owner,
          repo,
          run_id: runId,
        });
      expect(pending).toEqual([]);

      const inbox = await request(portal.backend.server)
        .get('/api/delivery/approvals')
        .set('Authorization', as(ALICE));
      const item = (inbox.body as ApprovalsInboxResponse).items.find(
        i => i.runId === runId,
      );
      expect(item?.entityRef).toBe(`component:default/${GATED_SERVICE}`);
      expect(item?.environments.map(e => e.gate)).toEqual(['protection-rule']);
      // bob started it: his inbox offers it only among his own.
      const bobs = await request(portal.backend.server)
        .get('/api/delivery/approvals')
        .set('Authorization', as(BOB));
      const mine = bobs.body as ApprovalsInboxResponse;
      expect(mine.items.map(i => i.runId)).not.toContain(runId);
      expect(mine.startedByYou.map(i => i.runId)).toContain(runId);

      const told = await eventually(
        async () =>
          portal.notifications.find(
            n =>
              n.payload.scope === `delivery-approval:${owner}/${repo}:${runId}`,
          ),
        'the team to be told the run waits',
      );
      expect(told.recipients).toMatchObject({
        entityRef: 'group:default/titanic-team',
        excludeEntityRef: [BOB],
      });
    });

    it('refuses the approval of the person who started the run (403 self-review), audited, nothing sent to GitHub', async () => {
      portal.resetCounts();
      const response = await review(BOB, runId, {
        decision: 'approve',
        environments: ['prod'],
      });
      expect(response.status).toBe(403);
      expect(response.body.error.details.reason).toBe('self-review');
      expect(sandbox.github.requests.count(CALLBACK_ROUTE)).toBe(0);
      expect(await latestAudit()).toMatchObject({
        actor: BOB,
        action: 'approve',
        runId,
        from: `run ${runId} waiting, requested by bob (${BOB})`,
        permission: 'denied',
        result: 'denied',
      });
      expect((await runStatus(runId)).status).toBe('waiting');
    });

    it('refuses an environment the run does not wait on (400), audited, nothing sent to GitHub', async () => {
      portal.resetCounts();
      const response = await review(ALICE, runId, {
        decision: 'approve',
        environments: ['staging'],
      });
      expect(response.status).toBe(400);
      expect(response.body.error.details.reason).toBe(
        'environment-not-waiting',
      );
      expect(response.body.error.message).toContain(
        "waits on the portal's protection rule for production, not staging",
      );
      expect(sandbox.github.requests.count(CALLBACK_ROUTE)).toBe(0);
      const trail = await request(portal.backend.server)
        .get(apiPath('audit', ENTITY, { environment: 'staging' }))
        .set('Authorization', as(ALICE));
      expect((trail.body as AuditTrailResponse).entries[0]).toMatchObject({
        actor: ALICE,
        runId,
        result: 'failed',
      });
    });

    it("lets someone else approve it: GitHub's run proceeds, the audit names requester and approver", async () => {
      const response = await review(ALICE, runId, {
        decision: 'approve',
        environments: ['prod'],
        comment: 'Change window open',
      });
      expect(response.status).toBe(200);
      expect(response.body).toMatchObject({
        decision: 'approve',
        environments: ['production'],
        reviewer: { userEntityRef: ALICE },
      });
      expect(response.body.comment).toMatch(
        /^Approved in Titanic Portal by .*user:default\/alice.*: Change window open$/,
      );
      expect(await latestAudit()).toMatchObject({
        actor: ALICE,
        action: 'approve',
        environment: 'prod',
        result: 'succeeded',
        from: `run ${runId} waiting, requested by bob (${BOB})`,
        to: `run ${runId} approved`,
      });
      const run = await eventually(
        async () => {
          const current = await runStatus(runId);
          return current.status === 'completed' && current;
        },
        'the approved run to complete',
        90_000,
      );
      expect(run.conclusion).toBe('success');
      expect(
        (await environments()).pendingApprovals.map(a => a.runId),
      ).not.toContain(runId);
      // bob hears who decided, though GitHub keeps no review of an App's answer.
      const told = await eventually(
        async () =>
          portal.notifications.find(
            n =>
              n.payload.scope === `delivery-decision:${owner}/${repo}:${runId}`,
          ),
        'bob to be told of the decision',
      );
      expect(told.recipients).toEqual({ type: 'entity', entityRef: [BOB] });
      expect(told.payload.title).toContain('was approved for production');
      expect(told.payload.description).toBe(response.body.comment);
    });

    it('counts one decision: a second one answers 409 already-decided, audited, nothing sent to GitHub', async () => {
      portal.resetCounts();
      const response = await review(ALICE, runId, {
        decision: 'reject',
        environments: ['prod'],
      });
      expect(response.status).toBe(409);
      expect(response.body.error.details.reason).toBe('already-decided');
      expect(response.body.error.message).toContain(
        `approved for production by ${ALICE}`,
      );
      expect(sandbox.github.requests.count(CALLBACK_ROUTE)).toBe(0);
      expect(await latestAudit()).toMatchObject({
        actor: ALICE,
        action: 'reject',
        result: 'failed',
      });
    });
  });

  it('rejects with a comment, once, when two decisions arrive together: the run fails', async () => {
    const first = (await appDeliveries()).length;
    const runId = await startRun('Second deploy');
    await gatedRun(runId);
    expect((await appDeliveries()).length).toBeGreaterThan(first);
    portal.resetCounts();
    const answers = await Promise.all([
      review(ALICE, runId, {
        decision: 'reject',
        environments: ['prod'],
        comment: 'Change freeze',
      }),
      review(ALICE, runId, {
        decision: 'reject',
        environments: ['prod'],
        comment: 'Change freeze',
      }),
    ]);
    expect(answers.map(a => a.status).sort()).toEqual([200, 409]);
    const rejected = answers.find(a => a.status === 200)!;
    expect(rejected.body.comment).toMatch(/: Change freeze$/);
    expect(answers.find(a => a.status === 409)!.body.error.details.reason).toBe(
      'already-decided',
    );
    // GitHub heard one answer.
    expect(sandbox.github.requests.count(CALLBACK_ROUTE)).toBe(1);
    const run = await eventually(
      async () => {
        const current = await runStatus(runId);
        return current.status === 'completed' && current;
      },
      'the rejected run to end',
      90_000,
    );
    expect(run.conclusion).toBe('failure');
  });

  it('leaves the gate waiting when GitHub refuses the answer: a later decision counts', async () => {
    const runId = await startRun('Third deploy');
    await gatedRun(runId);
    portal.resetCounts();
    sandbox.github.rateLimit.triggerSecondary({ status: 403, requests: 1 });
    const refused = await review(ALICE, runId, {
      decision: 'approve',
      environments: ['prod'],
    });
    expect(refused.status).toBe(403);
    expect(refused.body.error.details.reason).toBe('github-forbidden');
    expect(refused.body.error.message).toContain(
      "GitHub does not let the portal's GitHub App approve run",
    );
    expect(sandbox.github.requests.count(CALLBACK_ROUTE)).toBe(1);
    expect(await latestAudit()).toMatchObject({
      actor: ALICE,
      runId,
      result: 'failed',
    });
    // Nothing was written: the gate still waits, and the next decision is GitHub's to take.
    await gatedRun(runId);
    sandbox.github.rateLimit.reset();
    const approved = await review(ALICE, runId, {
      decision: 'approve',
      environments: ['prod'],
    });
    expect(approved.status).toBe(200);
    const run = await eventually(
      async () => {
        const current = await runStatus(runId);
        return current.status === 'completed' && current;
      },
      'the approved run to complete',
      90_000,
    );
    expect(run.conclusion).toBe('success');
  });

  it('refuses an unsigned and a replayed protection-rule webhook', async () => {
    const [delivered] = await appDeliveries();
    expect(delivered.statusCode).toBe(202);
    const unsigned = await postWebhook(portal.backend.server, {
      event: 'deployment_protection_rule',
      payload: delivered.request.payload,
      secret: null,
    });
    expect(unsigned.status).toBe(401);
    expect(unsigned.body.error.reason).toBe('signature-missing');
    const replayed = await postWebhook(portal.backend.server, {
      event: 'deployment_protection_rule',
      payload: delivered.request.payload,
      delivery: delivered.guid,
    });
    expect(replayed.status).toBe(409);
    expect(replayed.body.error.reason).toBe('replayed-delivery');
  });

  it("accepts only GitHub's callback for the repository's run, on the configured API", async () => {
    const [delivered] = await appDeliveries();
    const payload = delivered.request.payload as {
      deployment_callback_url: string;
    };
    const apiBaseUrl = sandbox.github.baseUrl;
    const runId = Number(
      /\/actions\/runs\/(\d+)\//.exec(payload.deployment_callback_url)![1],
    );
    expect(gateRequestOf(payload, { apiBaseUrl, now: 1 })).toMatchObject({
      repository: `${owner}/${repo}`,
      runId,
      environment: 'production',
      requester: 'bob',
    });
    const pointing = (url: string) => ({
      ...payload,
      deployment_callback_url: url,
    });
    for (const elsewhere of [
      `https://attacker.example/repos/${owner}/${repo}/actions/runs/${runId}/deployment_protection_rule`,
      `${apiBaseUrl}/repos/${owner}/another-service/actions/runs/${runId}/deployment_protection_rule`,
      `${apiBaseUrl}/repos/${owner}/${repo}/actions/runs/${runId}/approve`,
      `${apiBaseUrl}.attacker.example/repos/${owner}/${repo}/actions/runs/${runId}/deployment_protection_rule`,
    ]) {
      expect(() =>
        gateRequestOf(pointing(elsewhere), { apiBaseUrl, now: 1 }),
      ).toThrow(/is not GitHub's callback/);
    }
  });
});
