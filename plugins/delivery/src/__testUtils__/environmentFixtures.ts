import {
  AuditEntry,
  DeliveryEnvironment,
  EnvironmentsResponse,
  PendingApproval,
  RevisionSummary,
  RolloutStatus,
  RollbackResponse,
} from '@internal/plugin-delivery-common';

/*
 * Environments responses shaped like the delivery backend's for titanic-service: dev runs 1.5.0,
 * staging 1.4.0 (revision 6, previous 1.3.1), prod 1.3.1 with run #58 waiting for approval.
 */

const IMAGE = 'ghcr.io/acme-corp/titanic-service';
const minutesAgo = (minutes: number) =>
  new Date(Date.now() - minutes * 60_000).toISOString();

function revisions(tags: string[]): RevisionSummary[] {
  return tags
    .map((tag, index) => ({
      revision: index + 1,
      formerRevisions: [],
      replicaSetName: `titanic-service-${index + 1}abc`,
      image: `${IMAGE}:${tag}`,
      tag,
      createdAt: minutesAgo((tags.length - index) * 60 * 24),
      changeCause: `Deploy ${tag}`,
      replicas: index === tags.length - 1 ? 2 : 0,
      availableReplicas: index === tags.length - 1 ? 2 : 0,
      live: index === tags.length - 1,
    }))
    .reverse();
}

export function rolloutStatus(
  overrides: Partial<RolloutStatus> = {},
): RolloutStatus {
  return {
    environment: 'staging',
    namespace: 'titanic-staging',
    deploymentName: 'titanic-service',
    revision: 6,
    image: `${IMAGE}:1.4.0`,
    phase: 'complete',
    message: 'deployment "titanic-service" successfully rolled out',
    replicas: {
      desired: 2,
      updated: 2,
      ready: 2,
      available: 2,
      unavailable: 0,
    },
    startedAt: minutesAgo(60),
    completedAt: minutesAgo(59),
    observedAt: new Date().toISOString(),
    ...overrides,
  };
}

export function environment(
  name: string,
  tags: string[],
  replicas: number,
  overrides: Partial<DeliveryEnvironment> = {},
): DeliveryEnvironment {
  const tag = tags[tags.length - 1];
  const githubEnvironment = name === 'prod' ? 'production' : name;
  return {
    name,
    githubEnvironment,
    cluster: 'sandbox',
    namespace: `titanic-${name}`,
    deploymentName: 'titanic-service',
    kubernetes: {
      revision: tags.length,
      image: `${IMAGE}:${tag}`,
      tag,
      images: [{ container: 'titanic-service', image: `${IMAGE}:${tag}`, tag }],
      replicas: {
        desired: replicas,
        updated: replicas,
        ready: replicas,
        available: replicas,
        unavailable: 0,
      },
      paused: false,
      health: 'healthy',
      rollout: rolloutStatus({
        environment: name,
        namespace: `titanic-${name}`,
        revision: tags.length,
        image: `${IMAGE}:${tag}`,
      }),
      conditions: [],
      pods: [],
      lastRolloutAt: minutesAgo(120),
      revisions: revisions(tags),
    },
    kubernetesError: null,
    githubDeployments: [
      {
        id: 100 + tags.length,
        sha: '4b3b287f12521a80b24bbd20f0cd6cde2381ec0d',
        ref: 'main',
        environment: githubEnvironment,
        description: `Deploy ${tag}`,
        creator: 'github-actions[bot]',
        createdAt: minutesAgo(121),
        state: 'success',
        statuses: [],
      },
    ],
    githubError: null,
    pendingApproval: null,
    rollbackBlockedReason: null,
    ...overrides,
  };
}

export const waitingRun: PendingApproval = {
  runId: 9058,
  runNumber: 58,
  runName: 'Titanic service pipeline',
  headSha: '5bab6880aff76a0cf4c582c4e827d34038a3fefd',
  branch: 'main',
  htmlUrl: 'https://github.com/acme-corp/titanic-service/actions/runs/9058',
  createdAt: minutesAgo(30),
  environments: [
    {
      gate: 'required-reviewers',
      githubEnvironment: 'production',
      environment: 'prod',
      githubEnvironmentId: 3,
      waitTimerMinutes: 0,
      waitTimerStartedAt: null,
      reviewers: [{ type: 'User', name: 'titanic-portal-bot' }],
      portalCanReview: true,
      approvalsRequired: 1,
      approvedBy: [],
    },
  ],
  requestedBy: { login: 'alice', userRefs: ['user:default/alice'] },
};

export function environmentsResponse(
  overrides: Partial<EnvironmentsResponse> = {},
): EnvironmentsResponse {
  return {
    entityRef: 'component:default/titanic-service',
    approveBlockedReason: null,
    reviewWith: 'portal',
    environments: [
      environment(
        'dev',
        ['1.1.0', '1.2.0', '1.3.0', '1.3.1', '1.4.0', '1.5.0'],
        1,
      ),
      environment(
        'staging',
        ['1.0.0', '1.1.0', '1.2.0', '1.3.0', '1.3.1', '1.4.0'],
        2,
      ),
      environment('prod', ['1.0.0', '1.1.0', '1.3.1'], 3, {
        pendingApproval: waitingRun,
      }),
    ],
    pendingApprovals: [waitingRun],
    permissions: { approve: true, rollback: true },
    observedAt: new Date().toISOString(),
    ...overrides,
  };
}

export function rollbackResponse(
  overrides: Partial<RollbackResponse> = {},
): RollbackResponse {
  return {
    outcome: 'rolled-back',
    message: 'Rolled back titanic-staging to revision 5',
    environment: 'staging',
    namespace: 'titanic-staging',
    deploymentName: 'titanic-service',
    from: { revision: 6, image: `${IMAGE}:1.4.0` },
    to: { revision: 5, image: `${IMAGE}:1.3.1` },
    newRevision: 7,
    rollout: rolloutStatus({
      revision: 7,
      image: `${IMAGE}:1.3.1`,
      phase: 'progressing',
      message: 'Waiting for rollout: 0 of 2 updated replicas are available',
      replicas: {
        desired: 2,
        updated: 1,
        ready: 0,
        available: 0,
        unavailable: 2,
      },
      startedAt: new Date().toISOString(),
      completedAt: null,
    }),
    requestedAt: new Date().toISOString(),
    auditId: 12,
    ...overrides,
  };
}

export function auditEntry(overrides: Partial<AuditEntry> = {}): AuditEntry {
  return {
    id: 12,
    at: minutesAgo(5),
    actor: 'user:default/guest',
    actorDisplayName: 'Guest',
    entityRef: 'component:default/titanic-service',
    environment: 'staging',
    action: 'rollback',
    from: `revision 6 (${IMAGE}:1.4.0)`,
    to: `revision 5 (${IMAGE}:1.3.1)`,
    fromRevision: 6,
    toRevision: 5,
    runId: null,
    reason: 'pool exhaustion in 1.4.0',
    permission: 'allowed',
    result: 'succeeded',
    error: null,
    rolloutStatus: 'complete',
    completedAt: minutesAgo(4),
    ...overrides,
  };
}
