import { mockCredentials } from '@backstage/backend-test-utils';
import {
  AuditTrailResponse,
  EnvironmentsResponse,
  PendingApproval,
  ReviewDeploymentResponse,
  ReviewEligibilityResponse,
} from '@internal/plugin-delivery-common';
import { GITHUB_PORTAL_BOT_TOKEN, Sandbox } from '@internal/sandbox';
import request from 'supertest';
import { ALICE, BOB, ENTITIES_WITH_LOGINS } from '../__testUtils__/entities';
import { startFastSandbox } from '../__testUtils__/kubernetesSandbox';
import { TestPostgres, startPostgres } from '../__testUtils__/postgresServer';
import { ApprovalQuorum } from './approvalQuorum';
import {
  DeliveryBackend,
  apiPath,
  startDeliveryBackend,
} from '../__testUtils__/startDeliveryBackend';

jest.setTimeout(120_000);

/*
 * Minimum approvals by distinct people: production needs two. Each approval is recorded in the
 * portal until the second distinct person's, which is the one sent to GitHub. The sandbox's
 * titanic-service has two runs waiting for production: the guest's (#21) and alice's (#22).
 * Two replicas share one PostgreSQL, as the production profile runs them.
 */

const CAROL = 'user:default/carol';
const ENVIRONMENTS = [
  { name: 'dev' },
  { name: 'staging' },
  { name: 'prod', githubEnvironment: 'production', minimumApprovals: 2 },
];

const as = (userEntityRef: string) =>
  mockCredentials.user.header(userEntityRef);

describe('minimum approvals by distinct people', () => {
  let sandbox: Sandbox;
  let postgres: TestPostgres;
  let first: DeliveryBackend;
  let second: DeliveryBackend;
  let guestRun: PendingApproval;
  let aliceRun: PendingApproval;

  const environments = async (portal = first) =>
    (
      await request(portal.backend.server)
        .get(apiPath('environments'))
        .set('Authorization', as(BOB))
    ).body as EnvironmentsResponse;
  const approve = (runId: number, who: string, portal = first) =>
    request(portal.backend.server)
      .post(apiPath('reviewDeployment', { runId }))
      .set('Authorization', as(who))
      .send({ decision: 'approve', environments: ['prod'] });
  const github = (path: string) =>
    fetch(
      `${sandbox.github.baseUrl}/repos/acme-corp/titanic-service/actions/runs/${path}`,
      { headers: { authorization: `Bearer ${GITHUB_PORTAL_BOT_TOKEN}` } },
    ).then(r => r.json());
  const latestAudit = async () => {
    const trail = await request(first.backend.server)
      .get(apiPath('audit', {}, { environment: 'prod' }))
      .set('Authorization', as(BOB));
    return (trail.body as AuditTrailResponse).entries[0];
  };

  beforeAll(async () => {
    [sandbox, postgres] = await Promise.all([
      startFastSandbox(),
      startPostgres(),
    ]);
    const knex = await postgres.database();
    const replica = () =>
      startDeliveryBackend({
        sandbox,
        knex,
        entities: ENTITIES_WITH_LOGINS,
        environments: ENVIRONMENTS,
      });
    first = await replica();
    second = await replica();
    const { pendingApprovals } = await environments();
    guestRun = pendingApprovals.find(
      a => a.requestedBy.login === 'guest-acme',
    )!;
    aliceRun = pendingApprovals.find(a => a.requestedBy.login === 'alice')!;
  });

  afterAll(async () => {
    await first?.close();
    await second?.close();
    await sandbox?.close();
    await postgres?.stop();
  });

  it('says how many distinct people production needs, and that none approved yet', () => {
    expect(guestRun.environments).toEqual([
      expect.objectContaining({
        githubEnvironment: 'production',
        approvalsRequired: 2,
        approvedBy: [],
      }),
    ]);
  });

  it('records the first approval without telling GitHub: the run still waits', async () => {
    const response = await approve(guestRun.runId, BOB);
    expect(response.status).toBe(200);
    const body = response.body as ReviewDeploymentResponse;
    expect(body.environments).toEqual([]);
    expect(body.runStatus).toBe('waiting');
    expect(body.awaitingApprovals).toEqual([
      {
        githubEnvironment: 'production',
        approvalsRequired: 2,
        approvedBy: [expect.objectContaining({ userEntityRef: BOB })],
      },
    ]);
    expect(await github(`${guestRun.runId}/pending_deployments`)).toHaveLength(
      1,
    );
    expect(await github(`${guestRun.runId}/approvals`)).toEqual([]);
    expect(await latestAudit()).toMatchObject({
      actor: BOB,
      action: 'approve',
      result: 'succeeded',
      to: `run ${guestRun.runId} approval 1 of 2 recorded for production`,
    });
    // Both replicas show it: it is in the shared database, not in one replica's memory.
    const shown = (await environments(second)).pendingApprovals.find(
      a => a.runId === guestRun.runId,
    )!;
    expect(shown.environments[0].approvedBy).toEqual([
      expect.objectContaining({ userEntityRef: BOB }),
    ]);
  });

  it('tells each person beforehand whether their approval would count', async () => {
    const eligibility = async (who: string) =>
      (
        await request(first.backend.server)
          .get(apiPath('reviewEligibility', { runId: guestRun.runId }))
          .set('Authorization', as(who))
      ).body as ReviewEligibilityResponse;
    expect((await eligibility(BOB)).environments).toEqual([
      {
        githubEnvironment: 'production',
        environment: 'prod',
        canApprove: false,
        canReject: true,
        reason: 'Your approval is recorded — someone else must approve it too',
      },
    ]);
    expect((await eligibility(ALICE)).environments).toEqual([
      expect.objectContaining({ canApprove: true, reason: null }),
    ]);
  });

  it('counts one person once: a second approval of theirs is 409 already-approved, audited', async () => {
    const response = await approve(guestRun.runId, BOB, second);
    expect(response.status).toBe(409);
    expect(response.body.error.details.reason).toBe('already-approved');
    expect(response.body.error.message).toContain('someone else must approve');
    expect(await latestAudit()).toMatchObject({
      actor: BOB,
      result: 'failed',
    });
    expect(await github(`${guestRun.runId}/pending_deployments`)).toHaveLength(
      1,
    );
  });

  it('does not count the requester: 403 self-review, nothing recorded', async () => {
    const response = await approve(aliceRun.runId, ALICE);
    expect(response.status).toBe(403);
    expect(response.body.error.details.reason).toBe('self-review');
    const shown = (await environments()).pendingApprovals.find(
      a => a.runId === aliceRun.runId,
    )!;
    expect(shown.environments[0].approvedBy).toEqual([]);
  });

  it('sends the second distinct approval to GitHub, and the run moves on', async () => {
    const response = await approve(guestRun.runId, ALICE, second);
    expect(response.status).toBe(200);
    const body = response.body as ReviewDeploymentResponse;
    expect(body.environments).toEqual(['production']);
    expect(body.awaitingApprovals).toEqual([]);
    expect(await github(`${guestRun.runId}/pending_deployments`)).toEqual([]);
    const approvals = await github(`${guestRun.runId}/approvals`);
    expect(approvals).toHaveLength(1);
    expect(approvals[0].comment).toContain('Alice');
    expect(await latestAudit()).toMatchObject({
      actor: ALICE,
      result: 'succeeded',
      to: `run ${guestRun.runId} approved`,
    });
  });

  it('makes one GitHub approval of two people approving at once on two replicas', async () => {
    const answers = await Promise.all([
      approve(aliceRun.runId, BOB, first),
      approve(aliceRun.runId, CAROL, second),
    ]);
    expect(answers.map(a => a.status)).toEqual([200, 200]);
    const bodies = answers.map(a => a.body as ReviewDeploymentResponse);
    // One was recorded first (1 of 2); the other, counted after it, was sent to GitHub.
    expect(bodies.map(b => b.environments).sort()).toEqual([
      [],
      ['production'],
    ]);
    expect(await github(`${aliceRun.runId}/pending_deployments`)).toEqual([]);
    expect(await github(`${aliceRun.runId}/approvals`)).toHaveLength(1);
  });
});

describe('counting approvals one at a time', () => {
  let postgres: TestPostgres;

  beforeAll(async () => {
    postgres = await startPostgres();
  });

  afterAll(async () => {
    await postgres?.stop();
  });

  it('lets only the approval that completes the count through, however many arrive at once', async () => {
    const knex = await postgres.database();
    await knex.migrate.latest({ directory: `${__dirname}/../../migrations` });
    const quorum = new ApprovalQuorum(knex, new Map([['production', 2]]));
    const sent: string[] = [];
    const people = ['ann', 'ben', 'cat', 'dan', 'eve'];
    const outcomes = await Promise.all(
      people.map(name =>
        quorum
          .approve(
            {
              repo: { host: 'github.com', owner: 'acme-corp', name: 'orders' },
              runId: 7,
              environments: ['production'],
              userEntityRef: `user:default/${name}`,
              displayName: null,
              comment: null,
            },
            async () => {
              sent.push(name);
            },
          )
          // After the approval that completed it, the run no longer waits: GitHub would refuse.
          .catch(error => error as Error),
      ),
    );
    // Two are counted: the first is recorded, the second is sent; no later one is sent again.
    expect(sent).toHaveLength(1);
    const met = outcomes.filter(
      o => !(o instanceof Error) && o.met.includes('production'),
    );
    expect(met).toHaveLength(1);
  });
});
