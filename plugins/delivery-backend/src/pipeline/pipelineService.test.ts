import { RunHistoryResponse } from '@internal/plugin-delivery-common';
import request from 'supertest';
import {
  DeliveryBackend,
  apiPath,
  getOk,
  startDeliveryBackend,
} from '../__testUtils__/startDeliveryBackend';

jest.setTimeout(90_000);

/*
 * The pipeline routes end to end over real HTTP: a test backend with the plugin, reading the
 * seeded sandbox GitHub.
 */

describe('delivery API on the seeded titanic-service world', () => {
  let portal: DeliveryBackend;

  beforeAll(async () => {
    portal = await startDeliveryBackend();
  });

  afterAll(async () => {
    await portal?.close();
  });

  it('names the gate that stopped each failed run and why, in the tools’ words', async () => {
    const history = await getOk<RunHistoryResponse>(portal, 'runs', {
      limit: 30,
    });
    expect(history.runs).toHaveLength(history.totalCount);
    const failed = Object.fromEntries(
      history.runs
        .filter(run => run.conclusion === 'failure')
        .map(run => {
          const gate = run.gates.find(g => g.id === run.failedGateId)!;
          return [run.runNumber, `${gate.id}: ${gate.reason}`];
        }),
    );
    expect(failed).toEqual({
      20: 'sonarcloud: quality gate ERROR: new coverage 41% (required ≥ 80%)',
      17: 'deploy: deployment to production rejected by alice: Holding 1.4.0 until the load test on staging has finished.',
      14: 'tests: 1 test failed: database pool > retries the first connection while PostgreSQL starts',
      11: 'trivy: 2 CRITICAL and 5 HIGH vulnerabilities in the image',
      8: expect.stringMatching(/^checkov: \d+ failed IaC checks? .*CKV_K8S_/),
      5: 'tests: coverage 64.28% < 70%',
      2: 'gitleaks: 2 secrets found',
    });
  });

  it('reports every gate’s status, duration and logs link, skipped gates after a failure', async () => {
    const history = await getOk<RunHistoryResponse>(portal, 'runs', {
      branch: 'develop',
      limit: 1,
    });
    const [run] = history.runs;
    expect(run.runNumber).toBe(20);
    expect(run.gates.map(g => [g.id, g.status])).toEqual([
      ['gitleaks', 'success'],
      ['checkov', 'success'],
      ['sonarcloud', 'failure'],
      ['tests', 'success'],
      ['build', 'skipped'],
      ['trivy', 'skipped'],
      ['deploy', 'skipped'],
    ]);
    const sonar = run.gates[2];
    expect(sonar.durationSeconds).toBeGreaterThan(60);
    expect(sonar.logsUrl).toMatch(
      /^https:\/\/github\.com\/acme-corp\/titanic-service\/actions\/runs\/\d+\/job\/\d+$/,
    );
    expect(run.rerunnable).toBe(true);
  });

  it('shows a production deployment waiting for review as a waiting deploy gate', async () => {
    const history = await getOk<RunHistoryResponse>(portal, 'runs', {
      branch: 'main',
      limit: 1,
    });
    const deploy = history.runs[0].gates.find(g => g.id === 'deploy')!;
    expect(deploy.status).toBe('waiting');
    expect(deploy.jobs.map(j => [j.environment, j.status])).toEqual([
      ['staging', 'success'],
      ['production', 'waiting'],
    ]);
  });
});

describe('re-running failed jobs', () => {
  let portal: DeliveryBackend;

  beforeAll(async () => {
    portal = await startDeliveryBackend();
  });

  afterAll(async () => {
    await portal?.close();
  });

  it('asks GitHub to re-run the failed jobs, audits it, and refuses a second time with 409', async () => {
    const run = portal.sandbox.world.state.runs.find(r => r.runNumber === 20)!;
    const first = await request(portal.backend.server).post(
      apiPath('rerunFailedJobs', { runId: run.id }),
    );
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({
      runId: run.id,
      runAttempt: 2,
      jobs: ['SonarCloud / Quality gate'],
    });
    const again = await request(portal.backend.server).post(
      apiPath('rerunFailedJobs', { runId: run.id }),
    );
    expect(again.status).toBe(409);
    expect(again.body.error.details.reason).toBe('not-rerunnable');
    expect(portal.auditorEvents.filter(e => e.status !== 'initiated')).toEqual([
      {
        eventId: 'pipeline-rerun',
        status: 'succeeded',
        meta: {
          repository: 'acme-corp/titanic-service',
          runAttempt: 2,
          jobs: ['SonarCloud / Quality gate'],
        },
      },
      {
        eventId: 'pipeline-rerun',
        status: 'failed',
        error: expect.stringMatching(/^ConflictError: /),
      },
    ]);
    // The run page shows the new attempt at once instead of the cached failure.
    const after = await request(portal.backend.server).get(
      apiPath('run', { runId: run.id }),
    );
    expect(after.body.run.runAttempt).toBe(2);
    expect(after.body.run.status).not.toBe('completed');
  });
});
