import { mockCredentials } from '@backstage/backend-test-utils';
import {
  AuditTrailResponse,
  EnvironmentsResponse,
} from '@internal/plugin-delivery-common';
import { GITHUB_PORTAL_BOT_TOKEN } from '@internal/sandbox';
import request from 'supertest';
import { ALICE } from '../__testUtils__/entities';
import {
  DeliveryBackend,
  apiPath,
  liveRevision,
  startDeliveryBackend,
} from '../__testUtils__/startDeliveryBackend';

jest.setTimeout(90_000);

/*
 * Anyone may register an entity, and its annotations say whatever its author wrote. An entity
 * owned by another team that names titanic-service's repository and namespaces (the fixtures'
 * titanic-lookalike) must not let anyone — even a user the permission policy allows — approve
 * titanic-service's deployments or roll its namespaces back.
 */
const TITANIC = 'titanic-service';
const LOOKALIKE = 'titanic-lookalike';

const as = (userEntityRef: string) =>
  mockCredentials.user.header(userEntityRef);

describe('an entity acts only on the repository it was read from and the namespaces its owner owns', () => {
  let portal: DeliveryBackend;

  beforeAll(async () => {
    portal = await startDeliveryBackend();
  });

  afterAll(async () => {
    await portal?.close();
  });

  async function environments(name: string) {
    const response = await request(portal.backend.server)
      .get(apiPath('environments', { name }))
      .set('Authorization', as(ALICE));
    expect(response.status).toBe(200);
    return response.body as EnvironmentsResponse;
  }

  async function audit(name: string) {
    const response = await request(portal.backend.server)
      .get(apiPath('audit', { name }))
      .set('Authorization', as(ALICE));
    return (response.body as AuditTrailResponse).entries;
  }

  it('reports nothing blocked for the entity defined in its own repository and owning its namespaces', async () => {
    const body = await environments(TITANIC);
    expect(body.approveBlockedReason).toBeNull();
    expect(body.environments.map(e => e.rollbackBlockedReason)).toEqual([
      null,
      null,
      null,
    ]);
  });

  it('tells the UI why a permitted user still may not act through the lookalike', async () => {
    const body = await environments(LOOKALIKE);
    expect(body.permissions).toEqual({ approve: true, rollback: true });
    expect(body.approveBlockedReason).toContain(
      'not from its repository github.sandbox.test/acme-corp/titanic-service',
    );
    for (const environment of body.environments) {
      expect(environment.rollbackBlockedReason).toContain(
        `Namespace ${environment.namespace} in cluster sandbox belongs to group:default/titanic-team, not to group:default/night-shift`,
      );
    }
  });

  it('refuses the rollback with 403 namespace-not-bound, patches nothing and audits a denial', async () => {
    const before = await liveRevision(portal, 'staging');
    const response = await request(portal.backend.server)
      .post(apiPath('rollback', { name: LOOKALIKE, environment: 'staging' }))
      .set('Authorization', as(ALICE))
      .send({ reason: 'night shift cleanup' });
    expect(response.status).toBe(403);
    expect(response.body.error.details.reason).toBe('namespace-not-bound');
    expect(await liveRevision(portal, 'staging')).toBe(before);
    const [entry] = await audit(LOOKALIKE);
    expect(entry).toMatchObject({
      actor: ALICE,
      action: 'rollback',
      environment: 'staging',
      permission: 'denied',
      result: 'denied',
      reason: 'night shift cleanup',
    });
    expect(entry.error).toContain('belongs to group:default/titanic-team');
  });

  it('refuses the approval with 403 repository-not-bound, leaves the run waiting and audits a denial', async () => {
    const { pendingApprovals } = await environments(TITANIC);
    const runId = pendingApprovals[0].runId;
    const response = await request(portal.backend.server)
      .post(apiPath('reviewDeployment', { name: LOOKALIKE, runId }))
      .set('Authorization', as(ALICE))
      .send({ decision: 'approve' });
    expect(response.status).toBe(403);
    expect(response.body.error.details.reason).toBe('repository-not-bound');
    const run = await fetch(
      `${portal.sandbox.github.baseUrl}/repos/acme-corp/titanic-service/actions/runs/${runId}`,
      { headers: { authorization: `Bearer ${GITHUB_PORTAL_BOT_TOKEN}` } },
    ).then(r => r.json());
    expect(run.status).toBe('waiting');
    const [entry] = await audit(LOOKALIKE);
    expect(entry).toMatchObject({
      action: 'approve',
      runId,
      permission: 'denied',
      result: 'denied',
    });
  });
});
