import {
  DeploymentCondition,
  EnvironmentHealth,
  EnvironmentKubernetes,
  PodState,
  PodSummary,
  ReplicaCounts,
  RevisionSummary,
  RolloutPhase,
  RolloutStatus,
} from '@internal/plugin-delivery-common';
import type {
  V1ContainerState,
  V1Deployment,
  V1Pod,
  V1PodTemplateSpec,
  V1ReplicaSet,
} from '@kubernetes/client-node';
import { ClusterClients, DeploymentLocation } from './clusters';
import { failedTo } from './failures';

export const REVISION_ANNOTATION = 'deployment.kubernetes.io/revision';
export const REVISION_HISTORY_ANNOTATION =
  'deployment.kubernetes.io/revision-history';
export const POD_TEMPLATE_HASH_LABEL = 'pod-template-hash';
export const CHANGE_CAUSE_ANNOTATION = 'kubernetes.io/change-cause';

/** The Deployment with the ReplicaSets it controls and their pods, as read in one pass. */
export interface DeploymentState {
  deployment: V1Deployment;
  /** Only ReplicaSets whose controller ownerReference is the Deployment's uid. */
  replicaSets: V1ReplicaSet[];
  pods: V1Pod[];
  observedAt: Date;
}

export function revisionOf(object: {
  metadata?: { annotations?: Record<string, string> };
}): number {
  const value = Number(object.metadata?.annotations?.[REVISION_ANNOTATION]);
  return Number.isSafeInteger(value) && value > 0 ? value : 0;
}

export function formerRevisionsOf(replicaSet: V1ReplicaSet): number[] {
  const history =
    replicaSet.metadata?.annotations?.[REVISION_HISTORY_ANNOTATION];
  return history
    ? history
        .split(',')
        .map(Number)
        .filter(n => Number.isSafeInteger(n) && n > 0)
    : [];
}

function iso(value: Date | string | undefined | null): string | null {
  if (!value) return null;
  const date = value instanceof Date ? value : new Date(value);
  return Number.isNaN(date.getTime()) ? null : date.toISOString();
}

/** JSON with sorted keys and no undefined members: compares templates however they were parsed. */
function canonical(value: unknown): string {
  if (value instanceof Date) return JSON.stringify(value.toISOString());
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    return `{${Object.keys(value)
      .filter(key => (value as Record<string, unknown>)[key] !== undefined)
      .sort()
      .map(
        key =>
          `${JSON.stringify(key)}:${canonical(
            (value as Record<string, unknown>)[key],
          )}`,
      )
      .join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}

/** The pod template as the Deployment would carry it: without the ReplicaSet's pod-template-hash. */
export function withoutTemplateHash(
  template: V1PodTemplateSpec | undefined,
): V1PodTemplateSpec {
  const copy = JSON.parse(JSON.stringify(template ?? {})) as V1PodTemplateSpec;
  if (copy.metadata?.labels) {
    delete copy.metadata.labels[POD_TEMPLATE_HASH_LABEL];
  }
  return copy;
}

/** deploymentutil.EqualIgnoreHash. */
export function sameTemplate(
  a: V1PodTemplateSpec | undefined,
  b: V1PodTemplateSpec | undefined,
): boolean {
  return (
    canonical(withoutTemplateHash(a)) === canonical(withoutTemplateHash(b))
  );
}

/** The ReplicaSet running the Deployment's current template, as the controller finds it. */
export function liveReplicaSet(
  state: Pick<DeploymentState, 'deployment' | 'replicaSets'>,
): V1ReplicaSet | undefined {
  return state.replicaSets.find(rs =>
    sameTemplate(rs.spec?.template, state.deployment.spec?.template),
  );
}

export function imageOfTemplate(
  template: V1PodTemplateSpec | undefined,
): string {
  return template?.spec?.containers?.[0]?.image ?? '';
}

export function tagOf(image: string): string | null {
  const at = image.indexOf('@');
  if (at >= 0) return image.slice(at + 1);
  const lastSegment = image.slice(image.lastIndexOf('/') + 1);
  const colon = lastSegment.indexOf(':');
  return colon >= 0 ? lastSegment.slice(colon + 1) : null;
}

function selectorOf(deployment: V1Deployment): string {
  const labels = deployment.spec?.selector?.matchLabels ?? {};
  return Object.entries(labels)
    .map(([key, value]) => `${key}=${value}`)
    .join(',');
}

/** Reads the Deployment as the cluster has it now. */
export function readDeployment(
  clients: ClusterClients,
  location: Pick<DeploymentLocation, 'namespace' | 'deploymentName'>,
): Promise<V1Deployment> {
  const { namespace, deploymentName } = location;
  return clients.apps
    .readNamespacedDeployment({ name: deploymentName, namespace })
    .catch(
      failedTo('get', 'deployments', { namespace, cluster: clients.name }),
    );
}

/** Reads the Deployment, then its ReplicaSets and pods (by its selector) in parallel. */
export async function readDeploymentState(
  clients: ClusterClients,
  location: Pick<DeploymentLocation, 'namespace' | 'deploymentName'>,
): Promise<DeploymentState> {
  const { namespace } = location;
  const where = { namespace, cluster: clients.name };
  const deployment = await readDeployment(clients, location);
  const labelSelector = selectorOf(deployment);
  const [replicaSets, pods] = await Promise.all([
    clients.apps
      .listNamespacedReplicaSet({ namespace, labelSelector })
      .catch(failedTo('list', 'replicasets', where)),
    clients.core
      .listNamespacedPod({ namespace, labelSelector })
      .catch(failedTo('list', 'pods', where)),
  ]);
  const uid = deployment.metadata?.uid;
  const owned = replicaSets.items.filter(rs =>
    rs.metadata?.ownerReferences?.some(
      ref => ref.controller && ref.uid === uid,
    ),
  );
  const ownedUids = new Set(owned.map(rs => rs.metadata?.uid));
  return {
    deployment,
    replicaSets: owned,
    pods: pods.items.filter(pod =>
      pod.metadata?.ownerReferences?.some(
        ref => ref.controller && ownedUids.has(ref.uid),
      ),
    ),
    observedAt: new Date(),
  };
}

function conditionsOf(deployment: V1Deployment): DeploymentCondition[] {
  return (deployment.status?.conditions ?? []).map(c => ({
    type: c.type,
    status: c.status as DeploymentCondition['status'],
    reason: c.reason ?? null,
    message: c.message ?? null,
    lastUpdateTime: iso(c.lastUpdateTime),
    lastTransitionTime: iso(c.lastTransitionTime),
  }));
}

function replicaCountsOf(deployment: V1Deployment): ReplicaCounts {
  const status = deployment.status ?? {};
  return {
    desired: deployment.spec?.replicas ?? 1,
    updated: status.updatedReplicas ?? 0,
    ready: status.readyReplicas ?? 0,
    available: status.availableReplicas ?? 0,
    unavailable: status.unavailableReplicas ?? 0,
  };
}

/** The rollout as `kubectl rollout status` judges it (plus the paused and stalled cases). */
export function rolloutStatusOf(
  binding: Pick<DeploymentLocation, 'name' | 'namespace' | 'deploymentName'>,
  deployment: V1Deployment,
  observedAt: Date,
): RolloutStatus {
  const replicas = replicaCountsOf(deployment);
  const progressing = deployment.status?.conditions?.find(
    c => c.type === 'Progressing',
  );
  const observed =
    (deployment.status?.observedGeneration ?? 0) >=
    (deployment.metadata?.generation ?? 0);
  const total = deployment.status?.replicas ?? 0;
  const name = deployment.metadata?.name ?? binding.deploymentName;
  let phase: RolloutPhase;
  let message: string;
  if (deployment.spec?.paused) {
    phase = 'paused';
    message = `Deployment "${name}" is paused; resume it to continue its rollout`;
  } else if (progressing?.reason === 'ProgressDeadlineExceeded') {
    phase = 'stalled';
    message =
      progressing.message ??
      `Deployment "${name}" exceeded its progress deadline`;
  } else if (!observed) {
    phase = 'progressing';
    message = 'Waiting for the deployment spec update to be observed...';
  } else if (replicas.updated < replicas.desired) {
    phase = 'progressing';
    message = `${replicas.updated} of ${replicas.desired} new replicas have been updated...`;
  } else if (total > replicas.updated) {
    phase = 'progressing';
    message = `${
      total - replicas.updated
    } old replicas are pending termination...`;
  } else if (replicas.available < replicas.updated) {
    phase = 'progressing';
    message = `${replicas.available} of ${replicas.updated} updated replicas are available...`;
  } else {
    phase = 'complete';
    message = `deployment "${name}" successfully rolled out`;
  }
  const complete =
    phase === 'complete' && progressing?.reason === 'NewReplicaSetAvailable';
  return {
    environment: binding.name,
    namespace: binding.namespace,
    deploymentName: name,
    revision: revisionOf(deployment),
    image: imageOfTemplate(deployment.spec?.template),
    phase,
    message,
    replicas,
    startedAt: iso(progressing?.lastTransitionTime),
    completedAt: complete ? iso(progressing?.lastUpdateTime) : null,
    observedAt: observedAt.toISOString(),
  };
}

const STATE_RANK: Record<PodState, number> = {
  running: 0,
  unknown: 1,
  pending: 2,
  terminated: 3,
  waiting: 4,
};

function containerStateOf(state: V1ContainerState | undefined): PodState {
  if (state?.waiting) return 'waiting';
  if (state?.terminated) return 'terminated';
  if (state?.running) return 'running';
  return 'unknown';
}

function podSummaryOf(
  pod: V1Pod,
  revisionByReplicaSet: Map<string, number>,
): PodSummary {
  const statuses = pod.status?.containerStatuses ?? [];
  let state: PodState = statuses.length ? 'running' : 'unknown';
  if (pod.status?.phase === 'Pending') state = 'pending';
  let reason: string | null = null;
  for (const status of statuses) {
    const own = containerStateOf(status.state);
    if (STATE_RANK[own] > STATE_RANK[state] || (own === state && !reason)) {
      state = own;
      reason =
        status.state?.waiting?.reason ??
        status.state?.terminated?.reason ??
        null;
    }
  }
  const owner = pod.metadata?.ownerReferences?.find(ref => ref.controller);
  return {
    name: pod.metadata?.name ?? '',
    phase: pod.status?.phase ?? 'Unknown',
    state,
    reason: reason ?? pod.status?.reason ?? null,
    ready:
      pod.status?.conditions?.some(
        c => c.type === 'Ready' && c.status === 'True',
      ) ?? false,
    restarts: statuses.reduce((sum, s) => sum + (s.restartCount ?? 0), 0),
    image: pod.spec?.containers?.[0]?.image ?? '',
    revision: owner ? revisionByReplicaSet.get(owner.uid) ?? null : null,
    createdAt: iso(pod.metadata?.creationTimestamp),
  };
}

function healthOf(rollout: RolloutStatus): EnvironmentHealth {
  switch (rollout.phase) {
    case 'paused':
      return 'paused';
    case 'stalled':
      return 'stalled';
    case 'progressing':
      return 'progressing';
    default:
      return rollout.replicas.available < rollout.replicas.desired
        ? 'degraded'
        : 'healthy';
  }
}

/** Everything the environments card shows about one Deployment. */
export function summarizeDeployment(
  binding: Pick<DeploymentLocation, 'name' | 'namespace' | 'deploymentName'>,
  state: DeploymentState,
): EnvironmentKubernetes {
  const { deployment } = state;
  const rollout = rolloutStatusOf(binding, deployment, state.observedAt);
  const live = liveReplicaSet(state);
  const revisionByReplicaSet = new Map(
    state.replicaSets.map(
      rs => [rs.metadata?.uid ?? '', revisionOf(rs)] as const,
    ),
  );
  const revisions: RevisionSummary[] = state.replicaSets
    .map(rs => {
      const image = imageOfTemplate(rs.spec?.template);
      return {
        revision: revisionOf(rs),
        formerRevisions: formerRevisionsOf(rs),
        replicaSetName: rs.metadata?.name ?? '',
        image,
        tag: tagOf(image),
        createdAt: iso(rs.metadata?.creationTimestamp),
        changeCause:
          rs.metadata?.annotations?.[CHANGE_CAUSE_ANNOTATION] ?? null,
        replicas: rs.status?.replicas ?? 0,
        availableReplicas: rs.status?.availableReplicas ?? 0,
        live: rs === live,
      };
    })
    .sort((a, b) => b.revision - a.revision);
  const containers = deployment.spec?.template?.spec?.containers ?? [];
  return {
    revision: rollout.revision,
    image: rollout.image,
    tag: tagOf(rollout.image),
    images: containers.map(c => ({
      container: c.name,
      image: c.image ?? '',
      tag: tagOf(c.image ?? ''),
    })),
    replicas: rollout.replicas,
    paused: Boolean(deployment.spec?.paused),
    health: healthOf(rollout),
    rollout,
    conditions: conditionsOf(deployment),
    pods: state.pods
      .map(pod => podSummaryOf(pod, revisionByReplicaSet))
      .sort((a, b) => a.name.localeCompare(b.name)),
    lastRolloutAt:
      rollout.completedAt ??
      rollout.startedAt ??
      iso(live?.metadata?.creationTimestamp),
    revisions,
  };
}
