import { mockCredentials } from '@backstage/backend-test-utils';
import {
  AuditTrailResponse,
  EnvironmentsResponse,
  ReviewDeploymentResponse,
  RollbackResponse,
  RolloutStatus,
} from '@internal/plugin-delivery-common';
import {
  GITHUB_PORTAL_BOT_TOKEN,
  VIEWER_TOKEN,
  imageFor,
} from '@internal/sandbox';
import request from 'supertest';
import { ALICE, BOB } from '../__testUtils__/entities';
import { eventually } from '../__testUtils__/kubernetesSandbox';
import {
  DeliveryBackend,
  apiPath,
  liveRevision,
  ownersOnly,
  startDeliveryBackend,
} from '../__testUtils__/startDeliveryBackend';

jest.setTimeout(90_000);

const as = (userEntityRef: string) =>
  mockCredentials.user.header(userEntityRef);

async function githubRun(backend: DeliveryBackend, runId: number) {
  const response = await fetch(
    `${backend.sandbox.github.baseUrl}/repos/acme-corp/titanic-service/actions/runs/${runId}`,
    { headers: { authorization: `Bearer ${GITHUB_PORTAL_BOT_TOKEN}` } },
  );
  return (await response.json()) as {
    status: string;
    conclusion: string | null;
  };
}

async function audit(
  backend: DeliveryBackend,
  query: Record<string, string | number> = {},
) {
  const response = await request(backend.backend.server)
    .get(apiPath('audit', {}, query))
    .set('Authorization', as(ALICE));
  expect(response.status).toBe(200);
  return response.body as AuditTrailResponse;
}

describe('environments routes', () => {
  let portal: DeliveryBackend;

  beforeAll(async () => {
    portal = await startDeliveryBackend({ policy: ownersOnly });
  });

  afterAll(async () => {
    await portal?.close();
  });

  it('answers 401 without credentials', async () => {
    const response = await request(portal.backend.server)
      .get(apiPath('environments'))
      .set('Authorization', mockCredentials.none.header());
    expect(response.status).toBe(401);
  });

  it('shows each environment from Kubernetes and GitHub, with the production run waiting for approval', async () => {
    const response = await request(portal.backend.server)
      .get(apiPath('environments'))
      .set('Authorization', as(ALICE));
    expect(response.status).toBe(200);
    const body = response.body as EnvironmentsResponse;
    expect(body.entityRef).toBe('component:default/titanic-service');
    expect(
      body.environments.map(e => [e.name, e.namespace, e.githubEnvironment]),
    ).toEqual([
      ['dev', 'titanic-dev', 'dev'],
      ['staging', 'titanic-staging', 'staging'],
      ['prod', 'titanic-prod', 'production'],
    ]);
    const staging = body.environments[1];
    expect(staging.kubernetesError).toBeNull();
    expect(staging.kubernetes).toMatchObject({
      revision: 6,
      image: imageFor('1.4.0'),
      tag: '1.4.0',
      paused: false,
      health: 'healthy',
      replicas: { desired: 2, updated: 2, ready: 2, available: 2 },
      rollout: { phase: 'complete' },
    });
    expect(staging.kubernetes!.pods).toHaveLength(2);
    expect(staging.kubernetes!.pods[0]).toMatchObject({
      state: 'running',
      ready: true,
      restarts: 0,
      revision: 6,
    });
    expect(
      staging.kubernetes!.revisions.map(r => [r.revision, r.tag, r.live]),
    ).toEqual([
      [6, '1.4.0', true],
      [5, '1.3.1', false],
      [4, '1.3.0', false],
      [3, '1.2.0', false],
      [2, '1.1.0', false],
      [1, '1.0.0', false],
    ]);
    expect(staging.kubernetes!.lastRolloutAt).toMatch(/^2026-11-20T/);
    expect(staging.githubDeployments.length).toBeGreaterThan(0);
    expect(staging.githubDeployments[0]).toMatchObject({
      environment: 'staging',
      state: expect.any(String),
    });

    const prod = body.environments[2];
    expect(prod.pendingApproval).not.toBeNull();
    expect(prod.pendingApproval!.environments[0]).toMatchObject({
      githubEnvironment: 'production',
      environment: 'prod',
      portalCanReview: true,
      reviewers: expect.arrayContaining([
        { type: 'User', name: 'titanic-portal-bot' },
      ]),
    });
    // alice's run and, older, the one the guest started.
    expect(body.pendingApprovals).toHaveLength(2);
    expect(body.permissions).toEqual({ approve: true, rollback: true });
  });

  it('reports an environment without a Deployment as not deployed, not as a cluster failure', async () => {
    const response = await request(portal.backend.server)
      .get(apiPath('environments', { name: 'orders-api' }))
      .set('Authorization', as(BOB));
    expect(response.status).toBe(200);
    const { environments } = response.body as EnvironmentsResponse;
    expect(
      environments.map(e => [e.namespace, e.kubernetes, e.kubernetesError]),
    ).toEqual([
      ['orders-api-dev', null, null],
      ['orders-api-staging', null, null],
      ['orders-api-prod', null, null],
    ]);
  });

  it('tells a reader who may not approve or roll back so the UI can disable the buttons', async () => {
    const response = await request(portal.backend.server)
      .get(apiPath('environments'))
      .set('Authorization', as(BOB));
    expect(response.status).toBe(200);
    expect((response.body as EnvironmentsResponse).permissions).toEqual({
      approve: false,
      rollback: false,
    });
  });

  describe('approving the waiting production deployment', () => {
    let runId: number;

    beforeAll(async () => {
      const response = await request(portal.backend.server)
        .get(apiPath('environments'))
        .set('Authorization', as(ALICE));
      runId = (response.body as EnvironmentsResponse).pendingApprovals[0].runId;
    });

    it('answers 403 to someone the policy denies, and audits the denial', async () => {
      const response = await request(portal.backend.server)
        .post(apiPath('reviewDeployment', { runId }))
        .set('Authorization', as(BOB))
        .send({ decision: 'approve', comment: 'ship it' });
      expect(response.status).toBe(403);
      expect(response.body.error.name).toBe('NotAllowedError');
      const { entries } = await audit(portal, { action: 'approve' });
      expect(entries[0]).toMatchObject({
        actor: BOB,
        permission: 'denied',
        result: 'denied',
        runId,
        reason: 'ship it',
      });
      expect((await githubRun(portal, runId)).status).toBe('waiting');
    });

    it('says 400 for a review without a decision', async () => {
      const response = await request(portal.backend.server)
        .post(apiPath('reviewDeployment', { runId }))
        .set('Authorization', as(ALICE))
        .send({ decision: 'yes' });
      expect(response.status).toBe(400);
      expect(response.body.error.message).toContain(
        'decision must be "approve" or "reject"',
      );
    });

    it('says 400 for an environment the run does not wait on, audited, nothing approved', async () => {
      const response = await request(portal.backend.server)
        .post(apiPath('reviewDeployment', { runId }))
        .set('Authorization', as(ALICE))
        .send({ decision: 'approve', environments: ['staging'] });
      expect(response.status).toBe(400);
      expect(response.body.error.details.reason).toBe(
        'environment-not-waiting',
      );
      expect(response.body.error.message).toContain(
        `Run ${runId} waits only for production, not staging`,
      );
      const { entries } = await audit(portal, { action: 'approve' });
      expect(entries[0]).toMatchObject({ runId, result: 'failed' });
      expect((await githubRun(portal, runId)).status).toBe('waiting');
    });

    it('approves through GitHub naming the Backstage user, and the run moves on to its deploy', async () => {
      const response = await request(portal.backend.server)
        .post(apiPath('reviewDeployment', { runId }))
        .set('Authorization', as(ALICE))
        .send({
          decision: 'approve',
          environments: ['prod'],
          comment: 'CAB approved',
        });
      expect(response.status).toBe(200);
      const body = response.body as ReviewDeploymentResponse;
      expect(body).toMatchObject({
        runId,
        decision: 'approve',
        environments: ['production'],
        reviewer: { userEntityRef: ALICE, displayName: 'Alice Andrews' },
        comment:
          'Approved in Titanic Portal by Alice Andrews (user:default/alice): CAB approved',
      });
      expect(body.runStatus).not.toBe('waiting');

      const approvals = await fetch(
        `${portal.sandbox.github.baseUrl}/repos/acme-corp/titanic-service/actions/runs/${runId}/approvals`,
        { headers: { authorization: `Bearer ${GITHUB_PORTAL_BOT_TOKEN}` } },
      ).then(r => r.json());
      expect(approvals[0]).toMatchObject({
        state: 'approved',
        comment: body.comment,
        user: { login: 'titanic-portal-bot' },
      });

      const run = await eventually(async () => {
        const current = await githubRun(portal, runId);
        return current.status === 'completed' && current;
      }, 'the approved run to finish its production deploy');
      expect(run.conclusion).toBe('success');

      const after = await request(portal.backend.server)
        .get(apiPath('environments'))
        .set('Authorization', as(ALICE));
      // Only the guest's run, which nobody approved, still waits.
      expect(
        (after.body as EnvironmentsResponse).pendingApprovals.map(
          a => a.requestedBy.login,
        ),
      ).toEqual(['guest-acme']);

      const { entries } = await audit(portal, { environment: 'prod' });
      expect(entries[0]).toMatchObject({
        actor: ALICE,
        action: 'approve',
        result: 'succeeded',
        permission: 'allowed',
        runId,
      });
      expect(portal.auditorEvents).toContainEqual(
        expect.objectContaining({
          eventId: 'deployment-review',
          status: 'succeeded',
        }),
      );
    });

    it('answers 409 once the run no longer waits', async () => {
      const response = await request(portal.backend.server)
        .post(apiPath('reviewDeployment', { runId }))
        .set('Authorization', as(ALICE))
        .send({ decision: 'approve' });
      expect(response.status).toBe(409);
      expect(response.body.error.details.reason).toBe('not-waiting');
      expect(response.body.error.message).toContain(
        `Run ${runId} is no longer waiting for approval`,
      );
      const { entries } = await audit(portal, { action: 'approve' });
      expect(entries[0]).toMatchObject({
        result: 'failed',
        error: expect.stringContaining('ConflictError'),
      });
    });
  });

  describe('rolling back', () => {
    it('rolls staging back one revision, then the rollout endpoint follows it to complete', async () => {
      const started = Date.now();
      const response = await request(portal.backend.server)
        .post(apiPath('rollback', { environment: 'staging' }))
        .set('Authorization', as(ALICE))
        .send({
          expectedCurrentRevision: 6,
          reason: 'p95 regression in 1.4.0',
        });
      expect(response.status).toBe(202);
      const body = response.body as RollbackResponse;
      expect(body).toMatchObject({
        outcome: 'rolled-back',
        from: { revision: 6, image: imageFor('1.4.0') },
        to: { revision: 5, image: imageFor('1.3.1') },
        newRevision: 7,
        rollout: { phase: 'progressing' },
      });
      const done = await eventually(async () => {
        const rollout = await request(portal.backend.server)
          .get(apiPath('rollout', { environment: 'staging' }))
          .set('Authorization', as(BOB));
        const status = rollout.body as RolloutStatus;
        return status.phase === 'complete' && status.revision === 7 && status;
      }, 'the rollback to complete');
      expect(done.image).toBe(imageFor('1.3.1'));
      expect(Date.now() - started).toBeLessThan(15_000);

      const entry = await eventually(async () => {
        const { entries } = await audit(portal, { environment: 'staging' });
        return entries[0]?.rolloutStatus === 'complete' && entries[0];
      }, 'the audit entry to record the finished rollout');
      expect(entry).toMatchObject({
        actor: ALICE,
        actorDisplayName: 'Alice Andrews',
        action: 'rollback',
        from: `revision 6 (${imageFor('1.4.0')})`,
        to: `revision 5 (${imageFor('1.3.1')})`,
        reason: 'p95 regression in 1.4.0',
        permission: 'allowed',
        result: 'succeeded',
      });
    });

    it('turns a double click into one rollback and a no-op answer', async () => {
      const send = () =>
        request(portal.backend.server)
          .post(apiPath('rollback', { environment: 'dev' }))
          .set('Authorization', as(ALICE))
          .send({ toRevision: 4, expectedCurrentRevision: 6 });
      const responses = await Promise.all([send(), send()]);
      expect(responses.map(r => r.status).sort()).toEqual([200, 202]);
      const noOp = responses.find(r => r.status === 200)!
        .body as RollbackResponse;
      expect(noOp).toMatchObject({
        outcome: 'no-op',
        message: expect.stringContaining('already at revision 7'),
      });
      const { entries } = await audit(portal, { environment: 'dev', limit: 2 });
      expect(entries.map(e => e.result).sort()).toEqual(['no-op', 'succeeded']);
    });

    it('validates the request: 400 for a bad revision or an unknown field, 404 for an unknown environment', async () => {
      const post = (environment: string, body: unknown) =>
        request(portal.backend.server)
          .post(apiPath('rollback', { environment }))
          .set('Authorization', as(ALICE))
          .send(body as object);
      const badRevision = await post('staging', { toRevision: 'five' });
      expect(badRevision.status).toBe(400);
      expect(badRevision.body.error.message).toContain(
        'toRevision must be a revision number',
      );
      expect(
        (await post('staging', { toRevision: 5, force: true })).body.error
          .message,
      ).toContain('Unknown field force');
      const unknown = await post('qa', {});
      expect(unknown.status).toBe(404);
      expect(unknown.body.error.details.reason).toBe('unknown-environment');
    });

    it('answers 403 to a user without the rollback permission, patches nothing and audits the denial', async () => {
      const before = await liveRevision(portal, 'prod');
      const response = await request(portal.backend.server)
        .post(apiPath('rollback', { environment: 'prod' }))
        .set('Authorization', as(BOB))
        .send({});
      expect(response.status).toBe(403);
      const { entries } = await audit(portal, {
        environment: 'prod',
        action: 'rollback',
      });
      expect(entries[0]).toMatchObject({
        actor: BOB,
        permission: 'denied',
        result: 'denied',
      });
      expect(await liveRevision(portal, 'prod')).toBe(before);
      expect(portal.auditorEvents).toContainEqual(
        expect.objectContaining({
          eventId: 'deployment-rollback',
          status: 'failed',
          error: expect.stringContaining('NotAllowedError'),
        }),
      );
    });

    it('explains the cluster’s 403 when the portal’s Kubernetes token may not patch, and audits the failure', async () => {
      const readOnly = await startDeliveryBackend({
        sandbox: portal.sandbox,
        policy: ownersOnly,
        kubernetesToken: VIEWER_TOKEN,
      });
      try {
        const response = await request(readOnly.backend.server)
          .post(apiPath('rollback', { environment: 'staging' }))
          .set('Authorization', as(ALICE))
          .send({});
        expect(response.status).toBe(403);
        expect(response.body.error.details.reason).toBe('kubernetes-forbidden');
        expect(response.body.error.message).toMatch(
          /^the portal's Kubernetes credentials may not patch deployments in titanic-staging \(cluster sandbox\): /,
        );
        const { entries } = await audit(readOnly, { environment: 'staging' });
        expect(entries[0]).toMatchObject({
          permission: 'allowed',
          result: 'failed',
          error: expect.stringContaining('may not patch'),
        });
      } finally {
        await readOnly.close();
      }
    });
  });
});

describe('rejecting the waiting production deployment', () => {
  let portal: DeliveryBackend;

  beforeAll(async () => {
    portal = await startDeliveryBackend({ policy: ownersOnly });
  });

  afterAll(async () => {
    await portal?.close();
  });

  it('rejects through GitHub and the run ends without deploying', async () => {
    const environments = await request(portal.backend.server)
      .get(apiPath('environments'))
      .set('Authorization', as(ALICE));
    const runId = (environments.body as EnvironmentsResponse)
      .pendingApprovals[0].runId;
    const response = await request(portal.backend.server)
      .post(apiPath('reviewDeployment', { runId }))
      .set('Authorization', as(ALICE))
      .send({ decision: 'reject', comment: 'freeze week' });
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({
      decision: 'reject',
      environments: ['production'],
    });
    const run = await githubRun(portal, runId);
    expect(run).toMatchObject({ status: 'completed', conclusion: 'failure' });
    const { entries } = await audit(portal);
    expect(entries[0]).toMatchObject({
      action: 'reject',
      result: 'succeeded',
      environment: 'prod',
      reason: 'freeze week',
    });
  });
});
