import { mockServices } from '@backstage/backend-test-utils';
import {
  DashboardResponse,
  FindingsResponse,
  RunHistoryResponse,
  SonarCloudResponse,
  TrendResponse,
} from '@internal/plugin-delivery-common';
import request from 'supertest';
import {
  ENTITY_PATH,
  SandboxBackend,
  startSandboxBackend,
} from './__testUtils__/sandboxBackend';

jest.setTimeout(90_000);

/*
 * The delivery API end to end over real HTTP: a test backend with the plugin, reading the
 * seeded sandbox GitHub and SonarCloud.
 */

describe('delivery API on the seeded titanic-service world', () => {
  let portal: SandboxBackend;

  beforeAll(async () => {
    portal = await startSandboxBackend();
  });

  afterAll(async () => {
    await portal?.close();
  });

  const get = async <T>(path: string): Promise<T> => {
    const response = await request(portal.backend.server).get(
      `${ENTITY_PATH}${path}`,
    );
    expect(response.status).toBe(200);
    return response.body as T;
  };

  it('names the gate that stopped each failed run and why, in the tools’ words', async () => {
    const history = await get<RunHistoryResponse>('/runs?limit=30');
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
    const history = await get<RunHistoryResponse>(
      '/runs?branch=develop&limit=1',
    );
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
    const history = await get<RunHistoryResponse>('/runs?branch=main&limit=1');
    const deploy = history.runs[0].gates.find(g => g.id === 'deploy')!;
    expect(deploy.status).toBe('waiting');
    expect(deploy.jobs.map(j => [j.environment, j.status])).toEqual([
      ['staging', 'success'],
      ['production', 'waiting'],
    ]);
  });

  it('lists every code-scanning alert past 100 and counts them per tool and severity', async () => {
    const findings = await get<FindingsResponse>(
      '/findings?source=code-scanning',
    );
    expect(findings.totalCount).toBeGreaterThan(100);
    expect(findings.findings).toHaveLength(findings.totalCount);
    expect(findings.counts.total.total).toBe(findings.totalCount);
    expect(Object.keys(findings.counts.byTool).sort()).toEqual([
      'Checkov',
      'Trivy',
    ]);
    const trivy = findings.counts.byTool.Trivy;
    expect(
      trivy.critical + trivy.high + trivy.medium + trivy.low + trivy.info,
    ).toBe(trivy.total);
    expect(findings.findings[0].severity).toBe('critical');
  });

  it('filters findings by tool, severity and state and pages through them', async () => {
    const critical = await get<FindingsResponse>('/findings?severity=critical');
    expect(critical.findings.length).toBeGreaterThan(0);
    expect(
      critical.findings.every(
        f => f.severity === 'critical' && f.state === 'open',
      ),
    ).toBe(true);
    const trivyHigh = await get<FindingsResponse>(
      '/findings?tool=trivy&severity=high,critical',
    );
    expect(trivyHigh.findings.every(f => f.tool === 'Trivy')).toBe(true);
    expect(trivyHigh.totalCount).toBe(
      trivyHigh.counts.byTool.Trivy.high +
        trivyHigh.counts.byTool.Trivy.critical,
    );
    const closed = await get<FindingsResponse>(
      '/findings?state=fixed,dismissed',
    );
    expect(closed.findings.every(f => f.state !== 'open' && f.closedAt)).toBe(
      true,
    );
    const page = await get<FindingsResponse>('/findings?offset=100&limit=50');
    expect(page.findings).toHaveLength(50);
    const first = await get<FindingsResponse>('/findings?limit=150');
    expect(page.findings).toEqual(first.findings.slice(100, 150));
  });

  it('normalizes a finding with rule, location, message, help link and first seen', async () => {
    const findings = await get<FindingsResponse>(
      '/findings?tool=Trivy&severity=critical',
    );
    expect(findings.findings[0]).toMatchObject({
      source: 'code-scanning',
      tool: 'Trivy',
      rule: { id: expect.stringMatching(/^CVE-/) },
      severity: 'critical',
      state: 'open',
      location: { path: expect.any(String) },
      helpUrl: expect.stringMatching(/^https:\/\/avd\.aquasec\.com\//),
      htmlUrl: expect.stringMatching(/security\/code-scanning\/\d+$/),
      firstSeenAt: expect.stringMatching(/^2026-/),
    });
  });

  it('explains the SonarCloud quality gate with its measures and open issues', async () => {
    const { report } = await get<SonarCloudResponse>('/sonarcloud');
    expect(report?.projectKey).toBe('acme-corp_titanic-service');
    expect(report?.qualityGate.conditions.length).toBeGreaterThan(0);
    expect(report?.qualityGate.summary).toMatch(
      /^quality gate (OK|ERROR|WARN)/,
    );
    expect(report?.measures.map(m => m.metric)).toContain('coverage');
    expect(
      report?.issues.every(i => i.tool === 'SonarCloud' && i.state === 'open'),
    ).toBe(true);
    expect(report?.issueCounts.total).toBe(report?.issues.length);
  });

  it('traces open findings across the default branch’s last runs', async () => {
    const trend = await get<TrendResponse>('/trend?runs=5');
    expect(trend.branch).toBe('develop');
    expect(trend.points).toHaveLength(5);
    const times = trend.points.map(p => Date.parse(p.createdAt));
    expect([...times].sort((a, b) => a - b)).toEqual(times);
    expect(trend.points.at(-1)!.counts.total.total).toBeGreaterThan(0);
  });

  it('costs about one GitHub call per view over ten dashboard views', async () => {
    const fresh = await startSandboxBackend({ sandbox: portal.sandbox });
    try {
      fresh.resetCounts();
      const perView: number[] = [];
      for (let view = 0; view < 10; view++) {
        const before = fresh.githubCalls().api;
        const response = await request(fresh.backend.server).get(
          `${ENTITY_PATH}/dashboard`,
        );
        expect(response.status).toBe(200);
        perView.push(fresh.githubCalls().api - before);
      }
      // The first view fills the cache; the next nine cost nothing.
      expect(perView[0]).toBeLessThanOrEqual(10);
      expect(perView.slice(1)).toEqual([0, 0, 0, 0, 0, 0, 0, 0, 0]);
      expect(fresh.githubCalls().api / 10).toBeLessThanOrEqual(1);
    } finally {
      await fresh.close();
    }
  });
});

describe('when GitHub rate-limits the portal', () => {
  let portal: SandboxBackend;

  beforeAll(async () => {
    // Nothing is fresh: every view asks GitHub, so the rate limit shows at once.
    portal = await startSandboxBackend({ freshSeconds: 0 });
  });

  afterAll(async () => {
    await portal?.close();
  });

  beforeEach(() => portal.sandbox.github.rateLimit.reset());

  it('serves the last dashboard with its age and says it is stale', async () => {
    const before = await request(portal.backend.server).get(
      `${ENTITY_PATH}/dashboard`,
    );
    expect(before.body.freshness.stale).toBe(false);
    portal.sandbox.github.rateLimit.exhaustPrimary({ resetInSeconds: 900 });
    await new Promise(resolve => setTimeout(resolve, 1100));
    const during = await request(portal.backend.server).get(
      `${ENTITY_PATH}/dashboard`,
    );
    expect(during.status).toBe(200);
    const body = during.body as DashboardResponse;
    expect(body.latestRun).toEqual(
      (before.body as DashboardResponse).latestRun,
    );
    expect(body.freshness.stale).toBe(true);
    expect(body.freshness.ageSeconds).toBeGreaterThanOrEqual(1);
    const github = body.freshness.sources.find(s => s.source === 'github')!;
    expect(github.staleReason).toMatch(
      /^GitHub rate limit reached; showing data from \d+ s ago$/,
    );
    expect(Date.parse(github.retryAt!)).toBeGreaterThan(Date.now() + 800_000);
  });

  it('answers 503 with the reason when nothing was cached yet', async () => {
    portal.sandbox.github.rateLimit.triggerSecondary({
      status: 429,
      retryAfterSeconds: 120,
    });
    const fresh = await startSandboxBackend({ sandbox: portal.sandbox });
    try {
      const response = await request(fresh.backend.server).get(
        `${ENTITY_PATH}/runs`,
      );
      expect(response.status).toBe(503);
      expect(response.body.error.name).toBe('ServiceUnavailableError');
      expect(response.body.error.details).toMatchObject({
        reason: 'rate-limited',
        retryAfterSeconds: expect.any(Number),
      });
    } finally {
      await fresh.close();
    }
  });
});

describe('re-running failed jobs', () => {
  let portal: SandboxBackend;
  const events: Array<{ outcome: string; meta?: unknown }> = [];

  beforeAll(async () => {
    const auditor = mockServices.auditor.mock();
    auditor.createEvent.mockImplementation(async () => ({
      success: async (o?: { meta?: unknown }) => {
        events.push({ outcome: 'succeeded', meta: o?.meta });
      },
      fail: async (o: { error: Error }) => {
        events.push({ outcome: `failed: ${o.error.name}` });
      },
    }));
    portal = await startSandboxBackend({ auditor: auditor.factory });
  });

  afterAll(async () => {
    await portal?.close();
  });

  it('asks GitHub to re-run the failed jobs, audits it, and refuses a second time with 409', async () => {
    const run = portal.sandbox.world.state.runs.find(r => r.runNumber === 20)!;
    const first = await request(portal.backend.server).post(
      `${ENTITY_PATH}/runs/${run.id}/rerun-failed-jobs`,
    );
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({
      runId: run.id,
      runAttempt: 2,
      jobs: ['SonarCloud / Quality gate'],
    });
    const again = await request(portal.backend.server).post(
      `${ENTITY_PATH}/runs/${run.id}/rerun-failed-jobs`,
    );
    expect(again.status).toBe(409);
    expect(again.body.error.details.reason).toBe('not-rerunnable');
    expect(events).toEqual([
      {
        outcome: 'succeeded',
        meta: {
          repository: 'acme-corp/titanic-service',
          runAttempt: 2,
          jobs: ['SonarCloud / Quality gate'],
        },
      },
      { outcome: 'failed: ConflictError' },
    ]);
    // The run page shows the new attempt at once instead of the cached failure.
    const after = await request(portal.backend.server).get(
      `${ENTITY_PATH}/runs/${run.id}`,
    );
    expect(after.body.run.runAttempt).toBe(2);
    expect(after.body.run.status).not.toBe('completed');
  });
});
