import { mockCredentials } from '@backstage/backend-test-utils';
import {
  AuditTrailResponse,
  EnvironmentsResponse,
} from '@internal/plugin-delivery-common';
import { GITHUB_PORTAL_BOT_TOKEN } from '@internal/sandbox';
import request from 'supertest';
import { ALICE, BOB, ENTITIES_WITH_LOGINS } from '../__testUtils__/entities';
import {
  AuditedEvent,
  DeliveryBackend,
  apiPath,
  startDeliveryBackend,
} from '../__testUtils__/startDeliveryBackend';

jest.setTimeout(90_000);

/*
 * Four eyes: whoever started a run on GitHub may not approve its deployment through the portal,
 * whatever the permission policy allows. People are matched to GitHub logins through their
 * github.com/user-login annotation (what the github-org provider sets). The sandbox's waiting
 * production run was started by alice.
 */

const as = (userEntityRef: string) =>
  mockCredentials.user.header(userEntityRef);

describe('four eyes on production approvals', () => {
  let portal: DeliveryBackend;
  let runId: number;

  beforeAll(async () => {
    portal = await startDeliveryBackend({ entities: ENTITIES_WITH_LOGINS });
  });

  afterAll(async () => {
    await portal?.close();
  });

  it('says who started the waiting run, on GitHub and in the catalog', async () => {
    const response = await request(portal.backend.server)
      .get(apiPath('environments'))
      .set('Authorization', as(BOB));
    const [waiting] = (response.body as EnvironmentsResponse).pendingApprovals;
    runId = waiting.runId;
    expect(waiting.requestedBy).toEqual({ login: 'alice', userRefs: [ALICE] });
  });

  it('refuses the approval of the person who started the run (403 self-review), audited, nothing approved', async () => {
    portal.auditorEvents.length = 0;
    const response = await request(portal.backend.server)
      .post(apiPath('reviewDeployment', { runId }))
      .set('Authorization', as(ALICE))
      .send({ decision: 'approve', environments: ['prod'], comment: 'mine' });
    expect(response.status).toBe(403);
    expect(response.body.error.details.reason).toBe('self-review');
    expect(response.body.error.message).toContain(
      'You started this deployment (run',
    );
    expect(response.body.error.message).toContain(
      'someone else must approve it',
    );

    const pending = await fetch(
      `${portal.sandbox.github.baseUrl}/repos/acme-corp/titanic-service/actions/runs/${runId}/pending_deployments`,
      { headers: { authorization: `Bearer ${GITHUB_PORTAL_BOT_TOKEN}` } },
    ).then(r => r.json());
    expect(pending).toHaveLength(1);

    const failed = portal.auditorEvents.find(
      (event: AuditedEvent) =>
        event.eventId === 'deployment-review' && event.status === 'failed',
    );
    expect(failed?.error).toContain('You started this deployment');
    const trail = await request(portal.backend.server)
      .get(apiPath('audit', {}, { environment: 'prod' }))
      .set('Authorization', as(BOB));
    const [entry] = (trail.body as AuditTrailResponse).entries;
    expect(entry).toMatchObject({
      actor: ALICE,
      action: 'approve',
      runId,
      from: `run ${runId} waiting, requested by alice (${ALICE})`,
    });
    expect(entry).toMatchObject({ permission: 'denied', result: 'denied' });
  });

  it('lets someone else approve it', async () => {
    const response = await request(portal.backend.server)
      .post(apiPath('reviewDeployment', { runId }))
      .set('Authorization', as(BOB))
      .send({ decision: 'approve', environments: ['prod'] });
    expect(response.status).toBe(200);
    expect(response.body.reviewer.userEntityRef).toBe(BOB);
    // The audit trail names who asked and who decided.
    const trail = await request(portal.backend.server)
      .get(apiPath('audit', {}, { environment: 'prod' }))
      .set('Authorization', as(BOB));
    const [entry] = (trail.body as AuditTrailResponse).entries;
    expect(entry).toMatchObject({
      actor: BOB,
      action: 'approve',
      result: 'succeeded',
      from: `run ${runId} waiting, requested by alice (${ALICE})`,
      to: `run ${runId} approved`,
    });
  });
});
