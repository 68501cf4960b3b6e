import { CacheService, LoggerService } from '@backstage/backend-plugin-api';
import { NotFoundError, ServiceUnavailableError } from '@backstage/errors';
import { JsonValue } from '@backstage/types';
import {
  Finding,
  FindingSeverity,
  FindingState,
  QualityGate,
  QualityGateCondition,
  QualityGateStatus,
  SonarCloudReport,
  SonarMeasure,
} from '@internal/plugin-delivery-common';
import { Fetched, Freshness, describeAge, oldest } from './cachedGitHub';
import { deliveryError } from './errors';
import { countFindings } from './findingCounts';

/*
 * SonarCloud's Web API (api/qualitygates/project_status, api/measures/component,
 * api/issues/search) read with a backend-held token, cached with the same freshness window as
 * GitHub and served stale when SonarCloud fails.
 */

export const SONAR_PROJECT_KEY_ANNOTATION = 'sonarqube.org/project-key';

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

interface SonarStatus {
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

interface SonarMeasures {
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

interface SonarIssue {
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

interface SonarIssues {
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

interface CachedAnswer {
  data: JsonValue;
  validatedAt: number;
}

export interface SonarCloudOptions {
  baseUrl: string;
  token?: string;
  cache: CacheService;
  logger: LoggerService;
  freshSeconds: number;
  keepSeconds: number;
  fetch?: typeof fetch;
}

const ISSUE_PAGE_SIZE = 500;
/** SonarCloud refuses to page past 10 000 results. */
const ISSUE_LIMIT = 10_000;

export class SonarCloud {
  private readonly memory = new Map<string, CachedAnswer>();
  private readonly normalized = new WeakMap<object, Finding[]>();
  private readonly inFlight = new Map<string, Promise<Fetched<JsonValue>>>();

  constructor(private readonly options: SonarCloudOptions) {}

  get baseUrl(): string {
    return this.options.baseUrl;
  }

  /** Quality gate with its conditions and the summary measures (two calls). */
  async qualityGate(projectKey: string): Promise<
    Fetched<{
      qualityGate: QualityGate;
      measures: SonarMeasure[];
      dashboardUrl: string;
    }>
  > {
    // Only well-known metrics: one the server does not know fails the whole call.
    const [status, measures] = await Promise.all([
      this.get<SonarStatus>('/api/qualitygates/project_status', { projectKey }),
      this.get<SonarMeasures>('/api/measures/component', {
        component: projectKey,
        metricKeys: SUMMARY_METRICS.join(','),
        additionalFields: 'metrics',
      }),
    ]);
    return {
      data: {
        qualityGate: qualityGateOf(status.data, measures.data),
        measures: measuresOf(measures.data, SUMMARY_METRICS),
        dashboardUrl: `${
          this.options.baseUrl
        }/project/overview?id=${encodeURIComponent(projectKey)}`,
      },
      freshness: oldest(status.freshness, measures.freshness),
    };
  }

  /** Every open issue (500 per page, up to SonarCloud's 10 000 limit). */
  async openIssues(
    projectKey: string,
  ): Promise<Fetched<{ issues: Finding[]; total: number }>> {
    const issues: Finding[] = [];
    const freshnesses: Freshness[] = [];
    let total = 0;
    for (
      let page = 1;
      (page - 1) * ISSUE_PAGE_SIZE < Math.min(ISSUE_LIMIT, total || 1);
      page++
    ) {
      const answer = await this.get<SonarIssues>('/api/issues/search', {
        componentKeys: projectKey,
        resolved: 'false',
        ps: String(ISSUE_PAGE_SIZE),
        p: String(page),
      });
      freshnesses.push(answer.freshness);
      total = answer.data.paging?.total ?? answer.data.total;
      issues.push(...this.normalizedIssues(answer.data.issues, projectKey));
      if (answer.data.issues.length < ISSUE_PAGE_SIZE) break;
    }
    return { data: { issues, total }, freshness: oldest(...freshnesses) };
  }

  async report(projectKey: string): Promise<Fetched<SonarCloudReport>> {
    const [gate, issues] = await Promise.all([
      this.qualityGate(projectKey),
      this.openIssues(projectKey),
    ]);
    return {
      data: {
        projectKey,
        dashboardUrl: gate.data.dashboardUrl,
        qualityGate: gate.data.qualityGate,
        measures: gate.data.measures,
        issues: issues.data.issues,
        issueCounts: countFindings(issues.data.issues).total,
        issueTotal: issues.data.total,
      },
      freshness: oldest(gate.freshness, issues.freshness),
    };
  }

  /** Normalized once per cached page: views re-normalize nothing. */
  private normalizedIssues(page: SonarIssue[], projectKey: string): Finding[] {
    let findings = this.normalized.get(page);
    if (!findings) {
      findings = page.map(issue =>
        normalizeSonarIssue(issue, {
          baseUrl: this.options.baseUrl,
          projectKey,
        }),
      );
      this.normalized.set(page, findings);
    }
    return findings;
  }

  private async get<T>(
    path: string,
    query: Record<string, string>,
  ): Promise<Fetched<T>> {
    const url = `${this.options.baseUrl}${path}?${new URLSearchParams(query)}`;
    const key = `sonar:${url}`;
    const cached =
      this.memory.get(key) ??
      (await this.options.cache.get<CachedAnswer & JsonValue>(key));
    const now = Date.now();
    if (cached && now - cached.validatedAt < this.options.freshSeconds * 1000) {
      return {
        data: cached.data as T,
        freshness: { validatedAt: cached.validatedAt, stale: false },
      };
    }
    let pending = this.inFlight.get(key);
    if (!pending) {
      pending = this.request(url, key, cached ?? undefined);
      this.inFlight.set(key, pending);
      pending.finally(() => this.inFlight.delete(key)).catch(() => {});
    }
    return (await pending) as Fetched<T>;
  }

  private async request(
    url: string,
    key: string,
    cached: CachedAnswer | undefined,
  ): Promise<Fetched<JsonValue>> {
    const doFetch = this.options.fetch ?? fetch;
    let failure: string;
    try {
      const response = await doFetch(url, {
        headers: this.options.token
          ? { authorization: `Bearer ${this.options.token}` }
          : {},
        signal: AbortSignal.timeout(10_000),
      });
      if (response.ok) {
        const entry: CachedAnswer = {
          data: (await response.json()) as JsonValue,
          validatedAt: Date.now(),
        };
        this.memory.set(key, entry);
        await this.options.cache.set(key, entry as unknown as JsonValue, {
          ttl: this.options.keepSeconds * 1000,
        });
        return {
          data: entry.data,
          freshness: { validatedAt: entry.validatedAt, stale: false },
        };
      }
      const body = await response.text();
      if (response.status === 404) {
        throw deliveryError(
          NotFoundError,
          `SonarCloud has no ${
            new URL(url).searchParams.get('projectKey') ??
            new URL(url).searchParams.get('component') ??
            'such project'
          }: ${body.slice(0, 200)}`,
          { reason: 'unknown-repository' },
        );
      }
      failure = `${response.status}${body ? ` ${body.slice(0, 200)}` : ''}`;
    } catch (error) {
      if (error instanceof NotFoundError) throw error;
      failure = String(error);
    }
    this.options.logger.warn(`SonarCloud request ${url} failed: ${failure}`);
    if (cached) {
      return {
        data: cached.data,
        freshness: {
          validatedAt: cached.validatedAt,
          stale: true,
          staleReason: `SonarCloud failed (${
            failure.split(' ')[0]
          }); showing data from ${describeAge(
            Date.now() - cached.validatedAt,
          )} ago`,
        },
      };
    }
    throw deliveryError(
      ServiceUnavailableError,
      `SonarCloud answered ${failure} for ${
        new URL(url).pathname
      } and nothing is cached`,
      { reason: 'upstream-unavailable' },
    );
  }
}
