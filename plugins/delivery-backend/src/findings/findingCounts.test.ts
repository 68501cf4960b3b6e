import { Finding } from '@internal/plugin-delivery-common';
import { countFindings, filterFindings, sortFindings } from './findingCounts';

function finding(
  id: string,
  tool: string,
  severity: Finding['severity'],
  state: Finding['state'] = 'open',
  firstSeenAt = '2026-11-01T00:00:00Z',
): Finding {
  return {
    id,
    source: tool === 'SonarCloud' ? 'sonarcloud' : 'code-scanning',
    tool,
    rule: { id: 'r', name: null, description: null },
    severity,
    rawSeverity: severity,
    state,
    location: { path: 'a.ts', startLine: 1, endLine: 1 },
    message: 'm',
    helpUrl: null,
    htmlUrl: 'https://example.test',
    firstSeenAt,
    updatedAt: null,
    closedAt: state === 'open' ? null : '2026-11-02T00:00:00Z',
  };
}

const findings = [
  finding('1', 'Trivy', 'critical'),
  finding('2', 'Trivy', 'high', 'open', '2026-11-05T00:00:00Z'),
  finding('3', 'Trivy', 'high', 'fixed'),
  finding('4', 'Checkov', 'high'),
  finding('5', 'SonarCloud', 'low'),
];

describe('finding counts and filters', () => {
  it('counts findings per tool and severity with totals', () => {
    const counts = countFindings(findings.filter(f => f.state === 'open'));
    expect(counts.byTool.Trivy).toEqual({
      critical: 1,
      high: 1,
      medium: 0,
      low: 0,
      info: 0,
      total: 2,
    });
    expect(counts.byTool.Checkov.high).toBe(1);
    expect(counts.total).toEqual({
      critical: 1,
      high: 2,
      medium: 0,
      low: 1,
      info: 0,
      total: 4,
    });
  });

  it('filters by tool case-insensitively, severity, state and source', () => {
    const ids = (filter: Parameters<typeof filterFindings>[1]) =>
      filterFindings(findings, filter).map(f => f.id);
    expect(ids({ tool: ['trivy'], state: ['open'] })).toEqual(['1', '2']);
    expect(ids({ severity: ['high'] })).toEqual(['2', '3', '4']);
    expect(ids({ state: ['fixed'] })).toEqual(['3']);
    expect(ids({ source: ['sonarcloud'] })).toEqual(['5']);
    expect(ids({})).toHaveLength(5);
  });

  it('orders the most severe first, then the newest', () => {
    expect(sortFindings(findings).map(f => f.id)).toEqual([
      '1',
      '2',
      '3',
      '4',
      '5',
    ]);
  });
});
