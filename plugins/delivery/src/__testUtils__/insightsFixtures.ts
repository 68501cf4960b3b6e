import {
  DoraKeys,
  DoraResponse,
  HomeResponse,
  OverviewResponse,
  ServiceOverviewRow,
} from '@internal/plugin-delivery-common';

/* Answers of the insights routes, shaped as the backend sends them. */

export function doraKeys(overrides: Partial<DoraKeys> = {}): DoraKeys {
  return {
    deploymentFrequency: {
      deployments: 12,
      perDay: 0.4,
      perWeek: 2.8,
      deploymentIds: [101, 102],
    },
    leadTime: {
      medianSeconds: 7200,
      p90Seconds: 30000,
      commits: 30,
      deployments: 12,
      clockSkewedCommits: 1,
      unmeasuredDeployments: 0,
      deploymentIds: [101, 102],
    },
    changeFailureRate: {
      rate: 0.0833,
      failed: 1,
      changes: 12,
      byKind: {
        'failed-status': 0,
        'pipeline-rollback': 1,
        'portal-rollback': 0,
        'fix-deployed': 0,
      },
      deploymentIds: [102],
    },
    timeToRestore: {
      medianSeconds: 1800,
      restored: 1,
      unrestored: 0,
      deploymentIds: [102],
    },
    ...overrides,
  };
}

export function dora(overrides: Partial<DoraResponse> = {}): DoraResponse {
  return {
    scope: { kind: 'group', groupRef: 'group:default/titanic-team' },
    days: 30,
    window: { from: '2026-11-03T00:00:00Z', to: '2026-12-03T00:00:00Z' },
    components: ['component:default/titanic-service'],
    pending: [],
    keys: doraKeys(),
    previous: doraKeys({
      timeToRestore: {
        medianSeconds: 7200,
        restored: 2,
        unrestored: 0,
        deploymentIds: [],
      },
    }),
    series: [0, 1, 2, 3, 4].map(week => ({
      from: new Date(
        Date.parse('2026-11-03T00:00:00Z') + week * 7 * 86400000,
      ).toISOString(),
      to: new Date(
        Date.parse('2026-11-10T00:00:00Z') + week * 7 * 86400000,
      ).toISOString(),
      deployments: week + 1,
      leadTimeMedianSeconds: 3600 * (week + 1),
      changeFailureRate: week === 2 ? 0.5 : 0,
      timeToRestoreMedianSeconds: week === 2 ? 1800 : null,
    })),
    levels: {
      deploymentFrequency: 'high',
      leadTime: 'elite',
      changeFailureRate: 'high',
      timeToRestore: 'elite',
      overall: 'high',
    },
    reference: {
      source: 'Accelerate State of DevOps Report 2023 (DORA, Google Cloud)',
      url: 'https://dora.dev/research/2023/dora-report/',
      note: 'Bands as read by the portal.',
      thresholds: [],
    },
    deployments: [101, 102].map(id => ({
      id,
      entityRefs: ['component:default/titanic-service'],
      repository: 'acme-corp/titanic-service',
      environment: 'production',
      sha: `${id}abcdef0123456789`,
      ref: 'main',
      kind: 'change' as const,
      createdAt: '2026-11-20T10:00:00Z',
      succeededAt: '2026-11-20T10:05:00Z',
      failedAt: null,
      commits: 3,
      leadTimeMedianSeconds: 7200,
      failure:
        id === 102
          ? {
              kind: 'pipeline-rollback' as const,
              at: '2026-11-20T10:05:00Z',
              restoredAt: '2026-11-20T10:35:00Z',
            }
          : null,
      htmlUrl: `https://github.com/acme-corp/titanic-service/actions/runs/${id}`,
    })),
    deploymentsOmitted: 0,
    settings: { fixWindowHours: 24, fixPattern: '^fix', environment: 'prod' },
    ...overrides,
  };
}

export function overviewRow(
  name: string,
  overrides: Partial<ServiceOverviewRow> = {},
): ServiceOverviewRow {
  return {
    entityRef: `component:default/${name}`,
    title: name,
    owner: 'group:default/titanic-team',
    repository: `acme-corp/${name}`,
    lastDeployment: { at: '2026-12-01T10:00:00Z', sha: 'abc1234', id: 1 },
    gatePassRate: 0.9,
    pipelineRuns: 20,
    criticalFindings: 0,
    deploymentsPerWeek: 3,
    leadTimeMedianSeconds: 7200,
    changeFailureRate: 0.1,
    timeToRestoreMedianSeconds: 3600,
    level: 'high',
    pending: false,
    ...overrides,
  };
}

export function overview(services: ServiceOverviewRow[]): OverviewResponse {
  return {
    days: 30,
    window: { from: '2026-11-03T00:00:00Z', to: '2026-12-03T00:00:00Z' },
    services,
    reference: dora().reference,
    observedAt: '2026-12-03T00:00:00Z',
  };
}

export function home(overrides: Partial<HomeResponse> = {}): HomeResponse {
  return {
    user: 'user:default/guest',
    teams: ['group:default/titanic-team'],
    approvals: [
      {
        entityRef: 'component:default/titanic-service',
        title: 'Titanic service',
        repository: 'acme-corp/titanic-service',
        runId: 12000000378,
        runNumber: 21,
        runName: 'Titanic service pipeline',
        headSha: '4b3b287f12521a80b24bbd20f0cd6cde2381ec0d',
        branch: 'main',
        environments: ['production'],
        environmentNames: ['prod'],
        createdAt: '2026-11-25T14:30:02Z',
        htmlUrl: 'https://github.com/acme-corp/titanic-service/actions/runs/1',
      },
    ],
    services: [
      {
        entityRef: 'component:default/titanic-service',
        title: 'Titanic service',
        owner: 'group:default/titanic-team',
        repository: 'acme-corp/titanic-service',
        latestRun: {
          runId: 1,
          runNumber: 20,
          title: 'Raise coverage',
          branch: 'develop',
          result: 'failed',
          conclusion: 'failure',
          at: '2026-11-25T12:00:00Z',
          htmlUrl:
            'https://github.com/acme-corp/titanic-service/actions/runs/1',
        },
        criticalFindings: 4,
        environments: [
          { name: 'dev', health: 'healthy' },
          { name: 'prod', health: 'missing' },
        ],
        problems: [],
      },
    ],
    recent: [
      {
        id: 9,
        kind: 'portal-rollback',
        entityRefs: ['component:default/titanic-service'],
        repository: 'acme-corp/titanic-service',
        environment: 'prod',
        sha: null,
        state: 'complete',
        at: '2026-12-02T09:00:00Z',
        actor: 'user:default/alice',
        description: null,
      },
    ],
    teamKeys: dora(),
    observedAt: '2026-12-03T00:00:00Z',
    ...overrides,
  };
}
