import {
  FindingsResponse,
  SonarCloudResponse,
  TrendResponse,
} from '@internal/plugin-delivery-common';
import {
  DeliveryBackend,
  getOk,
  startDeliveryBackend,
} from '../__testUtils__/startDeliveryBackend';

jest.setTimeout(90_000);

/*
 * The findings routes end to end over real HTTP: a test backend with the plugin, reading the
 * seeded sandbox GitHub and SonarCloud.
 */

describe('delivery API on the seeded titanic-service world', () => {
  let portal: DeliveryBackend;

  beforeAll(async () => {
    portal = await startDeliveryBackend();
  });

  afterAll(async () => {
    await portal?.close();
  });

  it('lists every code-scanning alert past 100 and counts them per tool and severity', async () => {
    const findings = await getOk<FindingsResponse>(portal, 'findings', {
      source: 'code-scanning',
    });
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
    const critical = await getOk<FindingsResponse>(portal, 'findings', {
      severity: 'critical',
    });
    expect(critical.findings.length).toBeGreaterThan(0);
    expect(
      critical.findings.every(
        f => f.severity === 'critical' && f.state === 'open',
      ),
    ).toBe(true);
    const trivyHigh = await getOk<FindingsResponse>(portal, 'findings', {
      tool: 'trivy',
      severity: 'high,critical',
    });
    expect(trivyHigh.findings.every(f => f.tool === 'Trivy')).toBe(true);
    expect(trivyHigh.totalCount).toBe(
      trivyHigh.counts.byTool.Trivy.high +
        trivyHigh.counts.byTool.Trivy.critical,
    );
    const closed = await getOk<FindingsResponse>(portal, 'findings', {
      state: 'fixed,dismissed',
    });
    expect(closed.findings.every(f => f.state !== 'open' && f.closedAt)).toBe(
      true,
    );
    const page = await getOk<FindingsResponse>(portal, 'findings', {
      offset: 100,
      limit: 50,
    });
    expect(page.findings).toHaveLength(50);
    const first = await getOk<FindingsResponse>(portal, 'findings', {
      limit: 150,
    });
    expect(page.findings).toEqual(first.findings.slice(100, 150));
  });

  it('normalizes a finding with rule, location, message, help link and first seen', async () => {
    const findings = await getOk<FindingsResponse>(portal, 'findings', {
      tool: 'Trivy',
      severity: 'critical',
    });
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
    const { report } = await getOk<SonarCloudResponse>(portal, 'sonarcloud');
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
    const trend = await getOk<TrendResponse>(portal, 'trend', { runs: 5 });
    expect(trend.branch).toBe('develop');
    expect(trend.points).toHaveLength(5);
    const times = trend.points.map(p => Date.parse(p.createdAt));
    expect([...times].sort((a, b) => a - b)).toEqual(times);
    expect(trend.points.at(-1)!.counts.total.total).toBeGreaterThan(0);
  });
});
