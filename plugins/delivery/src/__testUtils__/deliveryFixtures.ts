import { ResponseError } from '@backstage/errors';
import { Entity } from '@backstage/catalog-model';
import {
  DashboardResponse,
  Finding,
  FindingCounts,
  FindingsResponse,
  Freshness,
  Gate,
  GateStatus,
  PipelineRun,
  RunHistoryResponse,
  SeverityCounts,
  TrendResponse,
} from '@internal/plugin-delivery-common';
import { DeliveryApi } from '../api';

/*
 * Response bodies shaped like the delivery backend's, for component tests: the titanic-service
 * pipeline with its tests gate failing on coverage.
 */

export const titanicEntity: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name: 'titanic-service',
    namespace: 'default',
    annotations: { 'github.com/project-slug': 'acme-corp/titanic-service' },
  },
  spec: { type: 'service', lifecycle: 'production', owner: 'titanic-team' },
};

export const entityWithoutSlug: Entity = {
  ...titanicEntity,
  metadata: { name: 'no-repo', namespace: 'default' },
};

export const repository = {
  owner: 'acme-corp',
  name: 'titanic-service',
  slug: 'acme-corp/titanic-service',
  htmlUrl: 'https://github.com/acme-corp/titanic-service',
  defaultBranch: 'main',
};

const NOW = new Date().toISOString();

export function freshness(overrides: Partial<Freshness> = {}): Freshness {
  return {
    fetchedAt: NOW,
    ageSeconds: 3,
    stale: false,
    sources: [
      { source: 'github', fetchedAt: NOW, ageSeconds: 3, stale: false },
    ],
    ...overrides,
  };
}

export function staleFreshness(ageSeconds: number): Freshness {
  const fetchedAt = new Date(Date.now() - ageSeconds * 1000).toISOString();
  return {
    fetchedAt,
    ageSeconds,
    stale: true,
    sources: [
      {
        source: 'github',
        fetchedAt,
        ageSeconds,
        stale: true,
        staleReason: 'GitHub API rate limit exceeded',
        retryAt: new Date(Date.now() + 600_000).toISOString(),
      },
    ],
  };
}

const GATE_TITLES: Array<[string, string]> = [
  ['gitleaks', 'Gitleaks'],
  ['checkov', 'Checkov'],
  ['sonarcloud', 'SonarCloud'],
  ['tests', 'Tests & coverage'],
  ['build', 'Build'],
  ['trivy', 'Trivy'],
  ['deploy', 'Deploy'],
];

export function gate(
  id: string,
  status: GateStatus,
  overrides: Partial<Gate> = {},
): Gate {
  const title = GATE_TITLES.find(([gateId]) => gateId === id)?.[1] ?? id;
  const ran = status !== 'not-run' && status !== 'skipped';
  const logsUrl = ran
    ? `https://github.com/acme-corp/titanic-service/actions/runs/1/job/${id}`
    : null;
  return {
    id,
    title,
    status,
    durationSeconds: ran ? 47 : null,
    startedAt: ran ? NOW : null,
    completedAt: ran ? NOW : null,
    reason: null,
    reasonSource: null,
    logsUrl,
    jobs: ran
      ? [
          {
            jobId: GATE_TITLES.findIndex(([gateId]) => gateId === id) + 100,
            name: title,
            status,
            conclusion: status,
            startedAt: NOW,
            completedAt: NOW,
            durationSeconds: 47,
            environment: null,
            reason: null,
            reasonSource: null,
            logsUrl: logsUrl!,
          },
        ]
      : [],
    ...overrides,
  };
}

/** A main-branch run stopped by the tests gate: coverage below the threshold. */
export function failingRun(overrides: Partial<PipelineRun> = {}): PipelineRun {
  return {
    id: 9001,
    runNumber: 42,
    runAttempt: 1,
    name: 'Titanic service pipeline',
    workflowPath: '.github/workflows/titanic-service.yml',
    branch: 'main',
    headSha: 'abcdef1234567890',
    title: 'Add passenger search',
    event: 'push',
    actor: 'alice',
    status: 'completed',
    conclusion: 'failure',
    createdAt: NOW,
    updatedAt: NOW,
    durationSeconds: 312,
    htmlUrl: 'https://github.com/acme-corp/titanic-service/actions/runs/9001',
    gates: [
      gate('gitleaks', 'success'),
      gate('checkov', 'success'),
      gate('sonarcloud', 'success'),
      gate('tests', 'failure', {
        reason: 'coverage 64% < 70%',
        reasonSource: 'log',
      }),
      gate('build', 'skipped'),
      gate('trivy', 'skipped'),
      gate('deploy', 'skipped'),
    ],
    failedGateId: 'tests',
    rerunnable: true,
    ...overrides,
  };
}

export function passingRun(overrides: Partial<PipelineRun> = {}): PipelineRun {
  return failingRun({
    id: 9000,
    runNumber: 41,
    title: 'Tidy the seed script',
    conclusion: 'success',
    gates: GATE_TITLES.map(([id]) => gate(id, 'success')),
    failedGateId: null,
    rerunnable: false,
    ...overrides,
  });
}

export function severityCounts(
  counts: Partial<SeverityCounts> = {},
): SeverityCounts {
  const base = { critical: 0, high: 0, medium: 0, low: 0, info: 0, ...counts };
  return {
    ...base,
    total: base.critical + base.high + base.medium + base.low + base.info,
  };
}

export function findingCounts(
  byTool: Record<string, Partial<SeverityCounts>>,
): FindingCounts {
  const tools = Object.fromEntries(
    Object.entries(byTool).map(([tool, c]) => [tool, severityCounts(c)]),
  );
  const total = severityCounts();
  for (const c of Object.values(tools)) {
    for (const key of ['critical', 'high', 'medium', 'low', 'info'] as const) {
      total[key] += c[key];
    }
    total.total += c.total;
  }
  return { byTool: tools, total };
}

export function dashboard(
  overrides: Partial<DashboardResponse> = {},
): DashboardResponse {
  return {
    entityRef: 'component:default/titanic-service',
    repository,
    latestRun: failingRun(),
    recentRuns: [],
    findingCounts: findingCounts({
      Trivy: { critical: 3, high: 5, medium: 2 },
      gitleaks: { high: 2 },
      Checkov: { medium: 4, low: 1 },
    }),
    sonarcloud: {
      projectKey: 'acme-corp_titanic-service',
      dashboardUrl:
        'https://sonarcloud.io/dashboard?id=acme-corp_titanic-service',
      qualityGate: {
        status: 'ERROR',
        summary: 'quality gate ERROR: new coverage 41%',
        conditions: [
          {
            metric: 'new_coverage',
            metricName: 'Coverage on New Code',
            comparator: 'LT',
            threshold: '80',
            actual: '41.0',
            status: 'ERROR',
            onNewCode: true,
          },
        ],
      },
      measures: [],
    },
    canRerun: true,
    freshness: freshness(),
    ...overrides,
  };
}

export function runHistory(
  overrides: Partial<RunHistoryResponse> = {},
): RunHistoryResponse {
  return {
    repository,
    branch: null,
    runs: [failingRun(), passingRun()],
    totalCount: 57,
    canRerun: true,
    freshness: freshness(),
    ...overrides,
  };
}

export function finding(
  index: number,
  overrides: Partial<Finding> = {},
): Finding {
  return {
    id: `code-scanning:${index}`,
    source: 'code-scanning',
    tool: 'Trivy',
    rule: {
      id: `CVE-2024-${1000 + index}`,
      name: `openssl: flaw ${index}`,
      description: null,
    },
    severity: 'critical',
    rawSeverity: 'error',
    state: 'open',
    location: { path: 'library/openssl', startLine: 1, endLine: 1 },
    message: `Package openssl is vulnerable (${index})`,
    helpUrl: `https://avd.aquasec.com/nvd/cve-2024-${1000 + index}`,
    htmlUrl: `https://github.com/acme-corp/titanic-service/security/code-scanning/${index}`,
    firstSeenAt: NOW,
    updatedAt: null,
    closedAt: null,
    ...overrides,
  };
}

export function findingsPage(
  overrides: Partial<FindingsResponse> = {},
): FindingsResponse {
  return {
    repository,
    filters: { state: ['open'] },
    findings: [
      finding(1),
      finding(2, {
        tool: 'gitleaks',
        severity: 'high',
        rule: { id: 'generic-api-key', name: null, description: null },
        message: 'Detected a Generic API Key',
        location: { path: 'src/config.ts', startLine: 12, endLine: 12 },
      }),
    ],
    totalCount: 250,
    counts: findingCounts({
      Trivy: { critical: 3, high: 5 },
      gitleaks: { high: 2 },
    }),
    tools: ['Trivy', 'gitleaks'],
    freshness: freshness(),
    ...overrides,
  };
}

export function trend(overrides: Partial<TrendResponse> = {}): TrendResponse {
  return {
    repository,
    branch: 'main',
    points: [40, 41, 42].map((runNumber, i) => ({
      runId: 8998 + i,
      runNumber,
      headSha: `sha${runNumber}abcdef`,
      createdAt: NOW,
      conclusion: i === 2 ? 'failure' : 'success',
      failedGateId: i === 2 ? 'tests' : null,
      counts: findingCounts({ Trivy: { critical: i + 1, high: 4 } }),
    })),
    freshness: freshness(),
    ...overrides,
  };
}

/** A DeliveryApi whose every method is a jest mock; tests set the answers they need. */
export function mockDeliveryApi(): jest.Mocked<DeliveryApi> {
  return {
    getDashboard: jest.fn(),
    getRuns: jest.fn(),
    getRun: jest.fn(),
    rerunFailedJobs: jest.fn(),
    getFindings: jest.fn(),
    getSonarCloud: jest.fn(),
    getTrend: jest.fn(),
    getEnvironments: jest.fn(),
    getDora: jest.fn(),
    getOverview: jest.fn(),
    getHome: jest.fn(),
    getApprovals: jest.fn(),
    getApprovalsCount: jest.fn(),
    reviewDeployment: jest.fn(),
    // Unknown unless a test says: the dialog then offers what the entity's answer allows.
    getReviewEligibility: jest
      .fn()
      .mockRejectedValue(new Error('not asked in this test')),
    rollback: jest.fn(),
    getRollout: jest.fn(),
    getAuditTrail: jest.fn(),
    probeLive: jest.fn(),
  };
}

/** The error DeliveryClient throws for a backend failure answered with Backstage's error body. */
export async function backendError(
  status: number,
  name: string,
  message: string,
  details?: Record<string, unknown>,
): Promise<ResponseError> {
  return ResponseError.fromResponse(
    new Response(
      JSON.stringify({
        error: { name, message, ...(details ? { details } : {}) },
        response: { statusCode: status },
      }),
      { status, headers: { 'Content-Type': 'application/json' } },
    ) as any,
  );
}
