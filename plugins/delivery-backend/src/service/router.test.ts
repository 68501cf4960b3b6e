import { mockCredentials } from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  DashboardResponse,
  DeliveryErrorBody,
} from '@internal/plugin-delivery-common';
import request from 'supertest';
import {
  DeliveryBackend,
  apiPath,
  startDeliveryBackend,
} from '../__testUtils__/startDeliveryBackend';

jest.setTimeout(60_000);

describe('delivery router', () => {
  let allowed: DeliveryBackend;

  beforeAll(async () => {
    allowed = await startDeliveryBackend();
  });

  afterAll(async () => {
    await allowed?.close();
  });

  it('answers 401 to a request without credentials', async () => {
    const response = await request(allowed.backend.server)
      .get(apiPath('dashboard'))
      .set('Authorization', mockCredentials.none.header());
    expect(response.status).toBe(401);
  });

  it('serves the dashboard of an annotated entity in one call', async () => {
    const response = await request(allowed.backend.server)
      .get(apiPath('dashboard'))
      .set('Authorization', mockCredentials.user.header('user:default/alice'));
    expect(response.status).toBe(200);
    const body = response.body as DashboardResponse;
    expect(body.entityRef).toBe('component:default/titanic-service');
    expect(body.repository).toMatchObject({
      slug: 'acme-corp/titanic-service',
      defaultBranch: 'develop',
    });
    expect(body.latestRun?.branch).toBe('develop');
    expect(body.latestRun?.gates.map(g => g.id)).toEqual([
      'gitleaks',
      'checkov',
      'sonarcloud',
      'tests',
      'build',
      'trivy',
      'deploy',
    ]);
    expect(body.findingCounts.total.total).toBeGreaterThan(100);
    expect(body.sonarcloud?.qualityGate.status).toMatch(/OK|ERROR|WARN/);
    expect(body.canRerun).toBe(true);
    expect(body.freshness.stale).toBe(false);
  });

  it('says 400 with the reason when the entity has no project-slug annotation', async () => {
    const response = await request(allowed.backend.server).get(
      apiPath('dashboard', { name: 'no-repo' }),
    );
    expect(response.status).toBe(400);
    const body = response.body as DeliveryErrorBody;
    expect(body.error.name).toBe('InputError');
    expect(body.error.message).toContain('github.com/project-slug');
    expect(body.error.details?.reason).toBe('missing-annotation');
  });

  it('says 404 when GitHub does not know the repository', async () => {
    const response = await request(allowed.backend.server).get(
      apiPath('runs', { name: 'ghost-service' }),
    );
    expect(response.status).toBe(404);
    expect((response.body as DeliveryErrorBody).error.details?.reason).toBe(
      'unknown-repository',
    );
  });

  it('says 404 for an entity the catalog does not have', async () => {
    const response = await request(allowed.backend.server).get(
      apiPath('findings', { name: 'nobody' }),
    );
    expect(response.status).toBe(404);
    expect(response.body.error.name).toBe('NotFoundError');
  });

  it('refuses unknown filter values with 400', async () => {
    const response = await request(allowed.backend.server).get(
      apiPath('findings', {}, { severity: 'catastrophic' }),
    );
    expect(response.status).toBe(400);
    expect(response.body.error.message).toContain('catastrophic');
  });

  it('accepts a live probe only from a person, with a well-formed nonce', async () => {
    const probe = (authorization: string, body: object) =>
      request(allowed.backend.server)
        .post(apiPath('liveProbe'))
        .set('Authorization', authorization)
        .send(body);
    const alice = mockCredentials.user.header('user:default/alice');
    const accepted = await probe(alice, { nonce: 'page-1234abcd' });
    expect(accepted.status).toBe(202);
    expect(accepted.body).toEqual({
      channel: 'delivery:component:default/titanic-service',
    });
    const malformed = await probe(alice, { nonce: 'x' });
    expect(malformed.status).toBe(400);
    expect((malformed.body as DeliveryErrorBody).error.message).toContain(
      'nonce must be 8 to 64 letters',
    );
    const service = await probe(mockCredentials.service.header(), {
      nonce: 'page-1234abcd',
    });
    expect(service.status).toBe(403);
  });

  it('refuses a run id that is not a number with 400', async () => {
    const response = await request(allowed.backend.server).get(
      apiPath('run', { runId: 'latest' }),
    );
    expect(response.status).toBe(400);
  });

  it('says 404 with the reason for a run the repository does not have', async () => {
    const response = await request(allowed.backend.server).get(
      apiPath('run', { runId: 42 }),
    );
    expect(response.status).toBe(404);
    expect(response.body.error.details.reason).toBe('unknown-run');
  });

  describe('when the permission policy denies', () => {
    let denied: DeliveryBackend;

    beforeAll(async () => {
      denied = await startDeliveryBackend({
        sandbox: allowed.sandbox,
        policy: () => AuthorizeResult.DENY,
      });
    });

    afterAll(async () => {
      await denied?.close();
    });

    it('answers 403 to reads and never calls GitHub', async () => {
      denied.resetCounts();
      for (const route of [
        'dashboard',
        'runs',
        'findings',
        'sonarcloud',
        'trend',
      ] as const) {
        const response = await request(denied.backend.server).get(
          apiPath(route),
        );
        expect(response.status).toBe(403);
        expect(response.body.error.name).toBe('NotAllowedError');
      }
      expect(denied.githubCalls().api).toBe(0);
    });
  });

  describe('asking the permission framework', () => {
    let counted: DeliveryBackend;
    const asked: string[] = [];

    beforeAll(async () => {
      counted = await startDeliveryBackend({
        sandbox: allowed.sandbox,
        policy: name => {
          asked.push(name);
          return name === 'delivery.read'
            ? AuthorizeResult.ALLOW
            : AuthorizeResult.DENY;
        },
      });
    });

    afterAll(async () => {
      await counted?.close();
    });

    it('asks once per viewer and entity for a page’s parallel requests', async () => {
      asked.length = 0;
      const routes = [
        'dashboard',
        'runs',
        'findings',
        'sonarcloud',
        'trend',
      ] as const;
      const responses = await Promise.all(
        routes.map(route =>
          request(counted.backend.server)
            .get(apiPath(route))
            .set(
              'Authorization',
              mockCredentials.user.header('user:default/bob'),
            ),
        ),
      );
      expect(responses.map(r => r.status)).toEqual([200, 200, 200, 200, 200]);
      expect(asked).toEqual(['delivery.read', 'delivery.pipeline.rerun']);
      const other = await request(counted.backend.server)
        .get(apiPath('dashboard'))
        .set(
          'Authorization',
          mockCredentials.user.header('user:default/carol'),
        );
      expect(other.status).toBe(200);
      expect(asked).toHaveLength(4);
    });

    it('always asks afresh before a re-run', async () => {
      asked.length = 0;
      const response = await request(counted.backend.server)
        .post(apiPath('rerunFailedJobs', { runId: 42 }))
        .set('Authorization', mockCredentials.user.header('user:default/bob'));
      expect(response.status).toBe(403);
      expect(asked).toEqual(['delivery.pipeline.rerun']);
    });
  });

  it('shows no quality gate and no stale-data warning for a project SonarCloud has not analysed yet', async () => {
    const response = await request(allowed.backend.server).get(
      apiPath('dashboard', { name: 'not-analysed' }),
    );
    expect(response.status).toBe(200);
    const body = response.body as DashboardResponse;
    expect(body.sonarcloud).toBeNull();
    expect(JSON.stringify(body.freshness)).not.toContain('SonarCloud');
  });

  it('refuses to re-run the pipeline of a repository the entity was not read from, whoever asks', async () => {
    const failed = allowed.sandbox.world.state.runs.find(
      r => r.branch === 'develop' && r.runNumber === 20,
    )!;
    const attemptsBefore = failed.runAttempt;
    const response = await request(allowed.backend.server).post(
      apiPath('rerunFailedJobs', {
        name: 'titanic-lookalike',
        runId: failed.id,
      }),
    );
    expect(response.status).toBe(403);
    const body = response.body as DeliveryErrorBody;
    expect(body.error.details?.reason).toBe('repository-not-bound');
    expect(body.error.message).toContain(
      'not from its repository github.sandbox.test/acme-corp/titanic-service',
    );
    expect(failed.runAttempt).toBe(attemptsBefore);
  });

  describe('re-running failed jobs', () => {
    let readOnly: DeliveryBackend;

    beforeAll(async () => {
      readOnly = await startDeliveryBackend({
        sandbox: allowed.sandbox,
        policy: name =>
          name === 'delivery.read'
            ? AuthorizeResult.ALLOW
            : AuthorizeResult.DENY,
      });
    });

    afterAll(async () => {
      await readOnly?.close();
    });

    beforeEach(() => {
      readOnly.auditorEvents.length = 0;
    });

    it('hides the re-run button from those who may only read', async () => {
      const response = await request(readOnly.backend.server).get(
        apiPath('dashboard'),
      );
      expect(response.status).toBe(200);
      expect(response.body.canRerun).toBe(false);
    });

    it('answers 403 to a denied re-run and audits the attempt', async () => {
      const runs = allowed.sandbox.world.state.runs;
      const failed = runs.find(
        r => r.branch === 'develop' && r.runNumber === 20,
      )!;
      const response = await request(readOnly.backend.server).post(
        apiPath('rerunFailedJobs', { runId: failed.id }),
      );
      expect(response.status).toBe(403);
      expect(
        readOnly.auditorEvents.filter(e => e.status !== 'initiated'),
      ).toEqual([
        {
          eventId: 'pipeline-rerun',
          status: 'failed',
          error: expect.stringMatching(/^NotAllowedError: /),
        },
      ]);
    });
  });
});
