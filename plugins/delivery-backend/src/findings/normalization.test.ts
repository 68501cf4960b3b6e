import { alertHelpUrl, alertSeverity, normalizeAlert } from './codeScanning';
import { GitHubAlert } from '../github/types';
import {
  describeCondition,
  normalizeSonarIssue,
  qualityGateOf,
  sonarIssueState,
} from './sonarCloudReport';
import { findingsTrend } from './findingsTrend';
import { Finding, PipelineRun } from '@internal/plugin-delivery-common';

const alert: GitHubAlert = {
  number: 476,
  created_at: '2026-11-25T14:34:22Z',
  updated_at: '2026-11-25T14:34:22Z',
  html_url:
    'https://github.com/acme-corp/titanic-service/security/code-scanning/476',
  state: 'open',
  fixed_at: null,
  dismissed_at: null,
  rule: {
    id: 'CVE-2025-32093',
    severity: 'note',
    security_severity_level: 'low',
    name: 'LanguageSpecificPackageVulnerability',
    description: 'glob-parent: improper input validation',
  },
  tool: { name: 'Trivy' },
  most_recent_instance: {
    message: {
      text: 'Package: glob-parent\nLink: [CVE-2025-32093](https://avd.aquasec.com/nvd/cve-2025-32093)',
    },
    location: { path: 'app/package-lock.json', start_line: 1, end_line: 1 },
  },
};

describe('code-scanning alerts as findings', () => {
  it('normalizes tool, rule, severity, state, location, help link and first seen', () => {
    expect(normalizeAlert(alert)).toMatchObject({
      id: 'code-scanning:476',
      tool: 'Trivy',
      rule: {
        id: 'CVE-2025-32093',
        name: 'LanguageSpecificPackageVulnerability',
      },
      severity: 'low',
      rawSeverity: 'low',
      state: 'open',
      location: { path: 'app/package-lock.json', startLine: 1, endLine: 1 },
      helpUrl: 'https://avd.aquasec.com/nvd/cve-2025-32093',
      firstSeenAt: '2026-11-25T14:34:22Z',
      closedAt: null,
    });
  });

  it('uses the SARIF level when a rule has no security severity', () => {
    expect(alertSeverity({ severity: 'error' })).toBe('high');
    expect(alertSeverity({ severity: 'warning' })).toBe('medium');
    expect(alertSeverity({ severity: 'note' })).toBe('low');
    expect(alertSeverity({ severity: 'none' })).toBe('info');
    expect(
      alertSeverity({ severity: 'note', security_severity_level: 'critical' }),
    ).toBe('critical');
  });

  it('links a rule’s documentation from its help URI, message or advisory id', () => {
    expect(
      alertHelpUrl({
        ...alert,
        rule: { ...alert.rule, help_uri: 'https://docs.test/x' },
      }),
    ).toBe('https://docs.test/x');
    expect(
      alertHelpUrl({
        ...alert,
        rule: { id: 'GHSA-abcd-efgh-ijkl' },
        most_recent_instance: {},
      }),
    ).toBe('https://github.com/advisories/GHSA-abcd-efgh-ijkl');
    expect(
      alertHelpUrl({
        ...alert,
        rule: { id: 'aws-access-token' },
        most_recent_instance: {},
      }),
    ).toBeNull();
  });

  it('closes fixed and dismissed alerts at the time they were closed', () => {
    expect(
      normalizeAlert({
        ...alert,
        state: 'fixed',
        fixed_at: '2026-11-26T00:00:00Z',
      }),
    ).toMatchObject({
      state: 'fixed',
      closedAt: '2026-11-26T00:00:00Z',
    });
    expect(
      normalizeAlert({
        ...alert,
        state: 'dismissed',
        dismissed_at: '2026-11-27T00:00:00Z',
      }).closedAt,
    ).toBe('2026-11-27T00:00:00Z');
  });
});

describe('SonarCloud', () => {
  it('maps issue severities and resolutions onto findings', () => {
    const issue = normalizeSonarIssue(
      {
        key: 'AY1',
        rule: 'typescript:S1234',
        severity: 'BLOCKER',
        component: 'acme-corp_titanic-service:src/app.ts',
        textRange: { startLine: 12, endLine: 14 },
        status: 'OPEN',
        message: 'Remove this unused import.',
        creationDate: '2026-11-01T10:00:00+0000',
        type: 'CODE_SMELL',
      },
      {
        baseUrl: 'https://sonarcloud.io',
        projectKey: 'acme-corp_titanic-service',
      },
    );
    expect(issue).toMatchObject({
      id: 'sonarcloud:AY1',
      tool: 'SonarCloud',
      severity: 'critical',
      state: 'open',
      location: { path: 'src/app.ts', startLine: 12, endLine: 14 },
      firstSeenAt: '2026-11-01T10:00:00.000Z',
      htmlUrl:
        'https://sonarcloud.io/project/issues?id=acme-corp_titanic-service&open=AY1',
    });
    expect(sonarIssueState({ status: 'RESOLVED', resolution: 'FIXED' })).toBe(
      'fixed',
    );
    expect(sonarIssueState({ status: 'RESOLVED', resolution: 'WONTFIX' })).toBe(
      'dismissed',
    );
    expect(sonarIssueState({ status: 'CONFIRMED' })).toBe('open');
  });

  it('summarizes a failed quality gate by its failing conditions', () => {
    const gate = qualityGateOf(
      {
        projectStatus: {
          status: 'ERROR',
          conditions: [
            {
              status: 'ERROR',
              metricKey: 'new_coverage',
              comparator: 'LT',
              errorThreshold: '80',
              actualValue: '41.0',
            },
            {
              status: 'OK',
              metricKey: 'new_duplicated_lines_density',
              comparator: 'GT',
              errorThreshold: '3',
              actualValue: '1.2',
            },
            {
              status: 'ERROR',
              metricKey: 'new_reliability_rating',
              comparator: 'GT',
              errorThreshold: '1',
              actualValue: '3',
            },
          ],
        },
      },
      { component: { measures: [] } },
    );
    expect(gate.status).toBe('ERROR');
    expect(gate.summary).toBe(
      'quality gate ERROR: new coverage 41% (required ≥ 80%), new reliability rating C (required ≤ A)',
    );
    expect(gate.conditions[0]).toMatchObject({
      metricName: 'Coverage on New Code',
      onNewCode: true,
    });
    expect(
      describeCondition(
        {
          metric: 'coverage',
          metricName: 'Coverage',
          comparator: 'LT',
          threshold: '70',
          actual: '64.2',
          status: 'ERROR',
          onNewCode: false,
        },
        'PERCENT',
      ),
    ).toBe('coverage 64.2% (required ≥ 70%)');
  });
});

describe('findings trend', () => {
  it('counts what was open when each run finished, oldest run first', () => {
    const run = (id: number, updatedAt: string) =>
      ({
        id,
        runNumber: id,
        headSha: 's',
        createdAt: updatedAt,
        updatedAt,
        conclusion: 'success',
        failedGateId: null,
      } as PipelineRun);
    const f = (
      state: Finding['state'],
      firstSeenAt: string,
      closedAt: string | null,
    ) =>
      ({ ...normalizeAlert(alert), state, firstSeenAt, closedAt } as Finding);
    const points = findingsTrend(
      [
        run(3, '2026-11-20T00:00:00Z'),
        run(1, '2026-11-01T00:00:00Z'),
        run(2, '2026-11-10T00:00:00Z'),
      ],
      [
        f('open', '2026-10-30T00:00:00Z', null),
        f('fixed', '2026-11-05T00:00:00Z', '2026-11-15T00:00:00Z'),
        f('open', '2026-11-18T00:00:00Z', null),
      ],
    );
    expect(points.map(p => [p.runId, p.counts.total.total])).toEqual([
      [1, 1],
      [2, 2],
      [3, 2],
    ]);
  });
});
