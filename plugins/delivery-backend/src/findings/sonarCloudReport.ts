import {
  Finding,
  FindingSeverity,
  FindingState,
  QualityGate,
  QualityGateCondition,
  QualityGateStatus,
  SonarMeasure,
} from '@internal/plugin-delivery-common';

/*
 * SonarCloud's Web API answers (api/qualitygates/project_status, api/measures/component,
 * api/issues/search) in the contract's terms: issues as findings, the quality gate with its
 * conditions explained, the summary measures.
 */

/** The measures shown next to the quality gate. */
export const SUMMARY_METRICS = [
  'coverage',
  'new_coverage',
  'bugs',
  'vulnerabilities',
  'code_smells',
  'security_hotspots',
  'duplicated_lines_density',
  'ncloc',
];

export interface SonarStatus {
  projectStatus: {
    status: string;
    conditions?: Array<{
      status: string;
      metricKey: string;
      comparator: string;
      errorThreshold?: string;
      actualValue?: string;
    }>;
  };
}

export interface SonarMeasures {
  component: {
    measures: Array<{
      metric: string;
      value?: string;
      period?: { value: string };
      periods?: Array<{ value: string }>;
    }>;
  };
  metrics?: Array<{ key: string; name: string; type: string }>;
}

export interface SonarIssue {
  key: string;
  rule: string;
  severity: string;
  component: string;
  line?: number;
  textRange?: { startLine: number; endLine: number };
  status: string;
  resolution?: string;
  message: string;
  creationDate: string;
  updateDate?: string;
  type?: string;
}

export interface SonarIssues {
  total: number;
  paging?: { pageIndex: number; pageSize: number; total: number };
  issues: SonarIssue[];
}

const SEVERITY: Record<string, FindingSeverity> = {
  BLOCKER: 'critical',
  CRITICAL: 'high',
  MAJOR: 'medium',
  MINOR: 'low',
  INFO: 'info',
};

export function sonarIssueState(
  issue: Pick<SonarIssue, 'status' | 'resolution'>,
): FindingState {
  if (issue.resolution === 'FIXED' || issue.resolution === 'REMOVED')
    return 'fixed';
  if (issue.resolution || issue.status === 'ACCEPTED') return 'dismissed';
  if (issue.status === 'CLOSED') return 'fixed';
  return 'open';
}

export function normalizeSonarIssue(
  issue: SonarIssue,
  options: { baseUrl: string; projectKey: string },
): Finding {
  const path = issue.component.includes(':')
    ? issue.component.split(':').slice(1).join(':')
    : issue.component;
  const state = sonarIssueState(issue);
  return {
    id: `sonarcloud:${issue.key}`,
    source: 'sonarcloud',
    tool: 'SonarCloud',
    rule: { id: issue.rule, name: issue.type ?? null, description: null },
    severity: SEVERITY[issue.severity] ?? 'info',
    rawSeverity: issue.severity,
    state,
    location: {
      path,
      startLine: issue.textRange?.startLine ?? issue.line ?? null,
      endLine: issue.textRange?.endLine ?? issue.line ?? null,
    },
    message: issue.message,
    helpUrl: `${options.baseUrl}/coding_rules?open=${encodeURIComponent(
      issue.rule,
    )}&rule_key=${encodeURIComponent(issue.rule)}`,
    htmlUrl: `${options.baseUrl}/project/issues?id=${encodeURIComponent(
      options.projectKey,
    )}&open=${encodeURIComponent(issue.key)}`,
    firstSeenAt: new Date(issue.creationDate).toISOString(),
    updatedAt: issue.updateDate
      ? new Date(issue.updateDate).toISOString()
      : null,
    closedAt:
      state !== 'open' && issue.updateDate
        ? new Date(issue.updateDate).toISOString()
        : null,
  };
}

function gateStatus(status: string): QualityGateStatus {
  return status === 'OK' || status === 'WARN' || status === 'ERROR'
    ? status
    : 'NONE';
}

/** SonarCloud names the failing side: LT fails below the threshold, so ≥ is required. */
const COMPARATORS: Record<string, string> = { LT: '≥', GT: '≤' };

/** Names and types of metrics quality gates usually check, for conditions on metrics not fetched. */
const KNOWN_METRICS: Record<string, { name: string; type: string }> = {
  new_coverage: { name: 'Coverage on New Code', type: 'PERCENT' },
  coverage: { name: 'Coverage', type: 'PERCENT' },
  new_duplicated_lines_density: {
    name: 'Duplicated Lines on New Code (%)',
    type: 'PERCENT',
  },
  duplicated_lines_density: { name: 'Duplicated Lines (%)', type: 'PERCENT' },
  new_reliability_rating: {
    name: 'Reliability Rating on New Code',
    type: 'RATING',
  },
  new_security_rating: { name: 'Security Rating on New Code', type: 'RATING' },
  new_maintainability_rating: {
    name: 'Maintainability Rating on New Code',
    type: 'RATING',
  },
  new_security_hotspots_reviewed: {
    name: 'Security Hotspots Reviewed on New Code',
    type: 'PERCENT',
  },
  new_bugs: { name: 'New Bugs', type: 'INT' },
  new_vulnerabilities: { name: 'New Vulnerabilities', type: 'INT' },
  new_code_smells: { name: 'New Code Smells', type: 'INT' },
};

/** "new coverage 41% (required ≥ 80%)", "new reliability rating C (required ≤ A)" */
export function describeCondition(
  condition: QualityGateCondition,
  type?: string,
): string {
  const name = (condition.metricName ?? condition.metric.replace(/_/g, ' '))
    .replace(/\s*on New Code/i, '')
    .replace(/^new /i, '')
    .toLowerCase();
  const format = (value: string | null) => {
    if (value === null) return '?';
    const number = Number(value);
    if (
      type === 'RATING' &&
      Number.isInteger(number) &&
      number >= 1 &&
      number <= 5
    ) {
      return 'ABCDE'[number - 1];
    }
    const shown = Number.isFinite(number) ? String(number) : value;
    return type === 'PERCENT' ? `${shown}%` : shown;
  };
  const comparator = COMPARATORS[condition.comparator] ?? condition.comparator;
  return `${condition.onNewCode ? 'new ' : ''}${name} ${format(
    condition.actual,
  )} (required ${comparator} ${format(condition.threshold)})`;
}

export function qualityGateOf(
  status: SonarStatus,
  measures: SonarMeasures,
): QualityGate {
  const metrics = new Map<string, { name: string; type: string }>(
    Object.entries(KNOWN_METRICS),
  );
  for (const metric of measures.metrics ?? []) metrics.set(metric.key, metric);
  const conditions: QualityGateCondition[] = (
    status.projectStatus.conditions ?? []
  ).map(c => ({
    metric: c.metricKey,
    metricName: metrics.get(c.metricKey)?.name ?? null,
    comparator: c.comparator,
    threshold: c.errorThreshold ?? null,
    actual: c.actualValue ?? null,
    status: gateStatus(c.status),
    onNewCode: c.metricKey.startsWith('new_'),
  }));
  const overall = gateStatus(status.projectStatus.status);
  const failing = conditions.filter(c => c.status === 'ERROR');
  const summary =
    overall === 'ERROR' && failing.length
      ? `quality gate ERROR: ${failing
          .map(c => describeCondition(c, metrics.get(c.metric)?.type))
          .join(', ')}`
      : `quality gate ${overall}`;
  return { status: overall, conditions, summary };
}

export function measuresOf(
  measures: SonarMeasures,
  wanted: string[],
): SonarMeasure[] {
  const metrics = new Map((measures.metrics ?? []).map(m => [m.key, m]));
  return measures.component.measures
    .filter(m => wanted.includes(m.metric))
    .map(m => ({
      metric: m.metric,
      name: metrics.get(m.metric)?.name ?? null,
      value: m.value ?? m.period?.value ?? m.periods?.[0]?.value ?? '',
      onNewCode: m.metric.startsWith('new_'),
    }))
    .sort((a, b) => wanted.indexOf(a.metric) - wanted.indexOf(b.metric));
}
