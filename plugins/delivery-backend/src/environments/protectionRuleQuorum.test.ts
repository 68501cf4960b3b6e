import { mockCredentials } from '@backstage/backend-test-utils';
import {
  EnvironmentsResponse,
  ReviewDeploymentResponse,
} from '@internal/plugin-delivery-common';
import request from 'supertest';
import { ALICE } from '../__testUtils__/entities';
import { GatedPortal, startGatedPortal } from '../__testUtils__/gatedPortal';
import { GATED_SERVICE } from '../__testUtils__/gatedRepository';
import { eventually } from '../__testUtils__/kubernetesSandbox';
import { apiPath } from '../__testUtils__/startDeliveryBackend';

jest.setTimeout(180_000);

/*
 * Minimum approvals where the portal is the GitHub App's protection rule: production of
 * gated-service needs two distinct people. The first approval is recorded and GitHub's callback
 * is not answered — the run still waits; the second answers it, and the run deploys. bob starts
 * the run, so alice and carol approve it.
 */

const CAROL = 'user:default/carol';
const ENTITY = { name: GATED_SERVICE };

describe('minimum approvals on the portal’s own protection rule', () => {
  let gated: GatedPortal;
  let runId: number;

  const approve = (who: string) =>
    request(gated.portal.backend.server)
      .post(apiPath('reviewDeployment', { ...ENTITY, runId }))
      .set('Authorization', mockCredentials.user.header(who))
      .send({ decision: 'approve', environments: ['prod'] });

  beforeAll(async () => {
    gated = await startGatedPortal({
      environments: [
        { name: 'dev' },
        { name: 'staging' },
        { name: 'prod', githubEnvironment: 'production', minimumApprovals: 2 },
      ],
    });
    runId = await gated.startRun('Deploy with two approvals');
    await eventually(async () => {
      const response = await request(gated.portal.backend.server)
        .get(apiPath('environments', ENTITY))
        .set('Authorization', mockCredentials.user.header(ALICE));
      const body = response.body as EnvironmentsResponse;
      return body.pendingApprovals?.find(
        a =>
          a.runId === runId &&
          a.environments.some(
            e => e.gate === 'protection-rule' && e.approvalsRequired === 2,
          ),
      );
    }, `run ${runId} to wait on the portal's rule, needing two approvals`);
  });

  afterAll(async () => {
    await gated?.close();
  });

  it('records the first approval and leaves GitHub’s callback unanswered: the run still waits', async () => {
    const response = await approve(ALICE);
    expect(response.status).toBe(200);
    const body = response.body as ReviewDeploymentResponse;
    expect(body.environments).toEqual([]);
    expect(body.awaitingApprovals).toEqual([
      expect.objectContaining({
        githubEnvironment: 'production',
        approvalsRequired: 2,
      }),
    ]);
    expect((await gated.runStatus(runId)).status).toBe('waiting');
  });

  it('answers GitHub with the second distinct approval, and the run deploys', async () => {
    const response = await approve(CAROL);
    expect(response.status).toBe(200);
    const body = response.body as ReviewDeploymentResponse;
    expect(body.environments).toEqual(['production']);
    expect(body.awaitingApprovals).toEqual([]);
    const run = await eventually(async () => {
      const current = await gated.runStatus(runId);
      return current.status === 'completed' && current;
    }, `run ${runId} to complete`);
    expect(run.conclusion).toBe('success');
  });
});
