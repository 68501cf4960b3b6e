import { mockCredentials } from '@backstage/backend-test-utils';
import {
  AuditTrailResponse,
  EnvironmentsResponse,
  GITHUB_TOKEN_HEADER,
  ReviewEligibilityResponse,
} from '@internal/plugin-delivery-common';
import { GITHUB_PORTAL_BOT_TOKEN, GUEST_GITHUB_LOGIN } from '@internal/sandbox';
import request from 'supertest';
import { ALICE, BOB, ENTITIES_WITH_LOGINS } from '../__testUtils__/entities';
import { gitHubUserToken } from '../__testUtils__/gitHubSignIn';
import {
  DeliveryBackend,
  apiPath,
  startDeliveryBackend,
} from '../__testUtils__/startDeliveryBackend';

jest.setTimeout(90_000);

/*
 * Reviews made with the reviewer's own GitHub identity (delivery.github.reviewWith: reviewer):
 * the person's GitHub token — what their GitHub sign-in obtained in the browser — comes with the
 * review request only; the portal checks it is theirs, and GitHub applies its own rules: its
 * required reviewers (titanic-maintainers: alice and the guest) and prevent-self-review. The
 * sandbox's production runs wait: one started by the guest, one by alice.
 */

const as = (userEntityRef: string) =>
  mockCredentials.user.header(userEntityRef);

describe('reviews with the reviewer’s own GitHub identity', () => {
  let portal: DeliveryBackend;
  let guestsRun: number;
  let alicesRun: number;
  let tokens: { alice: string; bob: string };

  const review = (
    runId: number,
    user: string,
    token: string | undefined,
    decision: 'approve' | 'reject' = 'approve',
  ) => {
    const call = request(portal.backend.server)
      .post(apiPath('reviewDeployment', { runId }))
      .set('Authorization', as(user));
    if (token) call.set(GITHUB_TOKEN_HEADER, token);
    return call.send({ decision, environments: ['prod'], comment: 'e2e' });
  };

  const eligibility = (
    runId: number,
    user: string,
    token: string | undefined,
  ) => {
    const call = request(portal.backend.server)
      .get(apiPath('reviewEligibility', { runId }))
      .set('Authorization', as(user));
    if (token) call.set(GITHUB_TOKEN_HEADER, token);
    return call;
  };

  const pendingOnGitHub = async (runId: number) =>
    (await fetch(
      `${portal.sandbox.github.baseUrl}/repos/acme-corp/titanic-service/actions/runs/${runId}/pending_deployments`,
      { headers: { authorization: `Bearer ${GITHUB_PORTAL_BOT_TOKEN}` } },
    ).then(r => r.json())) as unknown[];

  const lastAudit = async () =>
    (
      (
        await request(portal.backend.server)
          .get(apiPath('audit', {}, { environment: 'prod' }))
          .set('Authorization', as(BOB))
      ).body as AuditTrailResponse
    ).entries[0];

  beforeAll(async () => {
    portal = await startDeliveryBackend({
      entities: ENTITIES_WITH_LOGINS,
      reviewWith: 'reviewer',
    });
    tokens = {
      alice: await gitHubUserToken(portal.sandbox, 'alice'),
      bob: await gitHubUserToken(portal.sandbox, 'bob'),
    };
    const environments = (
      await request(portal.backend.server)
        .get(apiPath('environments'))
        .set('Authorization', as(ALICE))
    ).body as EnvironmentsResponse;
    guestsRun = environments.pendingApprovals.find(
      approval => approval.requestedBy.login === GUEST_GITHUB_LOGIN,
    )!.runId;
    alicesRun = environments.pendingApprovals.find(
      approval => approval.requestedBy.login === 'alice',
    )!.runId;
  });

  afterAll(async () => {
    await portal?.close();
  });

  it('tells the pages that reviews are the person’s own', async () => {
    const environments = (
      await request(portal.backend.server)
        .get(apiPath('environments'))
        .set('Authorization', as(ALICE))
    ).body as EnvironmentsResponse;
    expect(environments.reviewWith).toBe('reviewer');
  });

  it('asks for the person’s GitHub token (401) and sends nothing to GitHub without it', async () => {
    const response = await review(guestsRun, ALICE, undefined);
    expect(response.status).toBe(401);
    expect(response.body.error.details.reason).toBe('github-token-required');
    expect(response.body.error.message).toContain('sign in with GitHub');
    expect(await pendingOnGitHub(guestsRun)).toHaveLength(1);
  });

  it('refuses someone else’s token (401), audited as a denial', async () => {
    const response = await review(guestsRun, ALICE, tokens.bob);
    expect(response.status).toBe(401);
    expect(response.body.error.details.reason).toBe('github-token-mismatch');
    expect(response.body.error.message).toContain(
      "The GitHub token sent with the review is bob's",
    );
    expect(await lastAudit()).toMatchObject({
      actor: ALICE,
      runId: guestsRun,
      permission: 'denied',
      result: 'denied',
    });
    expect(await pendingOnGitHub(guestsRun)).toHaveLength(1);
  });

  it('passes on GitHub’s own refusal of someone who is not a required reviewer (403)', async () => {
    const response = await review(guestsRun, BOB, tokens.bob);
    expect(response.status).toBe(403);
    expect(response.body.error.details.reason).toBe('github-forbidden');
    expect(response.body.error.message).toContain(
      'GitHub does not let your GitHub identity (bob) approve run',
    );
    expect(response.body.error.message).toContain('not a required reviewer');
    expect(await pendingOnGitHub(guestsRun)).toHaveLength(1);
  });

  it('tells the person beforehand what GitHub answers for them: bob is no required reviewer', async () => {
    const response = await eligibility(guestsRun, BOB, tokens.bob);
    expect(response.status).toBe(200);
    expect(response.body as ReviewEligibilityResponse).toEqual({
      runId: guestsRun,
      reviewWith: 'reviewer',
      githubLogin: 'bob',
      environments: [
        {
          githubEnvironment: 'production',
          environment: 'prod',
          canApprove: false,
          canReject: false,
          reason: 'GitHub does not list you (bob) as a reviewer of production',
        },
      ],
    });
  });

  it('tells alice she may approve the guest’s run, and why not her own', async () => {
    const guests = (await eligibility(guestsRun, ALICE, tokens.alice))
      .body as ReviewEligibilityResponse;
    expect(guests.environments).toEqual([
      expect.objectContaining({
        canApprove: true,
        canReject: true,
        reason: null,
      }),
    ]);
    const hers = (await eligibility(alicesRun, ALICE, tokens.alice))
      .body as ReviewEligibilityResponse;
    expect(hers.environments).toEqual([
      // GitHub prevents self-review: it refuses her any review of her own run.
      expect.objectContaining({ canApprove: false, canReject: false }),
    ]);
    expect(hers.environments[0].reason).toContain(
      'You started this deployment',
    );
  });

  it('asks for the person’s GitHub token before answering for them (401)', async () => {
    const response = await eligibility(guestsRun, ALICE, undefined);
    expect(response.status).toBe(401);
    expect(response.body.error.details.reason).toBe('github-token-required');
    const mismatch = await eligibility(guestsRun, ALICE, tokens.bob);
    expect(mismatch.status).toBe(401);
    expect(mismatch.body.error.details.reason).toBe('github-token-mismatch');
  });

  it('lets a required reviewer approve as themselves: GitHub records them, not the portal', async () => {
    const response = await review(guestsRun, ALICE, tokens.alice);
    expect(response.status).toBe(200);
    expect(response.body.reviewer.userEntityRef).toBe(ALICE);
    const reviews = (await fetch(
      `${portal.sandbox.github.baseUrl}/repos/acme-corp/titanic-service/actions/runs/${guestsRun}/approvals`,
      { headers: { authorization: `Bearer ${GITHUB_PORTAL_BOT_TOKEN}` } },
    ).then(r => r.json())) as Array<{ state: string; user: { login: string } }>;
    expect(reviews[0]).toMatchObject({
      state: 'approved',
      user: { login: 'alice' },
    });
    expect(await lastAudit()).toMatchObject({
      actor: ALICE,
      result: 'succeeded',
      from: `run ${guestsRun} waiting, requested by ${GUEST_GITHUB_LOGIN}`,
    });
  });
});
