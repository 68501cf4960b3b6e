/*
 * The TypeScript counterpart of pkg/controller/deployment/util/deployment_util.go: annotations
 * and revisions, maxSurge/maxUnavailable, the new ReplicaSet's size, conditions, and when a
 * rollout is complete, progressing or timed out. Functions that need the clock take it as an
 * argument, so everything here is pure.
 */

import {
  KubeObject,
  copyObject,
  parseTimestamp,
  timestamp,
} from '../../../apimachinery/objects';
import { deepEqual } from '../../../apimachinery/patches';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Json = any;

export const REVISION_ANNOTATION = 'deployment.kubernetes.io/revision';
export const REVISION_HISTORY_ANNOTATION =
  'deployment.kubernetes.io/revision-history';
export const DESIRED_REPLICAS_ANNOTATION =
  'deployment.kubernetes.io/desired-replicas';
export const MAX_REPLICAS_ANNOTATION = 'deployment.kubernetes.io/max-replicas';
export const POD_TEMPLATE_HASH_LABEL = 'pod-template-hash';

const ANNOTATIONS_NOT_COPIED = new Set([
  'kubectl.kubernetes.io/last-applied-configuration',
  REVISION_ANNOTATION,
  REVISION_HISTORY_ANNOTATION,
  DESIRED_REPLICAS_ANNOTATION,
  MAX_REPLICAS_ANNOTATION,
  'deprecated.deployment.rollback.to',
]);

const MAX_REVISION_HISTORY_CHARS = 2000;

export function revisionOf(object: KubeObject | undefined): number {
  const value = Number(object?.metadata.annotations?.[REVISION_ANNOTATION]);
  return Number.isFinite(value) ? value : 0;
}

/** deploymentutil.EqualIgnoreHash: templates equal once pod-template-hash is dropped. */
export function equalIgnoreHash(a: Json, b: Json): boolean {
  const strip = (template: Json) => {
    const copy = copyObject(template ?? {});
    if (copy.metadata?.labels) {
      delete copy.metadata.labels[POD_TEMPLATE_HASH_LABEL];
    }
    return copy;
  };
  return deepEqual(strip(a), strip(b));
}

function scaledValue(value: Json, total: number, roundUp: boolean): number {
  if (typeof value === 'number') return value;
  if (typeof value === 'string' && value.endsWith('%')) {
    const exact = (Number(value.slice(0, -1)) * total) / 100;
    return roundUp ? Math.ceil(exact) : Math.floor(exact);
  }
  return Number(value) || 0;
}

/** deploymentutil.ResolveFenceposts: [maxSurge, maxUnavailable]. */
function resolveFenceposts(d: KubeObject): [number, number] {
  const rollingUpdate = d.spec.strategy?.rollingUpdate ?? {};
  const desired = d.spec.replicas ?? 1;
  const surge = scaledValue(rollingUpdate.maxSurge ?? '25%', desired, true);
  let unavailable = scaledValue(
    rollingUpdate.maxUnavailable ?? '25%',
    desired,
    false,
  );
  if (surge === 0 && unavailable === 0) unavailable = 1;
  return [surge, unavailable];
}

export function isRollingUpdate(d: KubeObject): boolean {
  return (d.spec.strategy?.type ?? 'RollingUpdate') === 'RollingUpdate';
}

export function maxUnavailable(d: KubeObject): number {
  if (!isRollingUpdate(d) || d.spec.replicas === 0) return 0;
  return Math.min(resolveFenceposts(d)[1], d.spec.replicas);
}

export function maxSurge(d: KubeObject): number {
  return isRollingUpdate(d) ? resolveFenceposts(d)[0] : 0;
}

export const specReplicas = (rs: KubeObject | undefined): number =>
  rs?.spec?.replicas ?? 0;

export const sumOf = (
  list: Array<KubeObject | undefined>,
  value: (rs: KubeObject) => number,
) => list.reduce((n, rs) => n + (rs ? value(rs) : 0), 0);

export function byCreationTimestamp(a: KubeObject, b: KubeObject): number {
  return (
    a.metadata.creationTimestamp.localeCompare(b.metadata.creationTimestamp) ||
    a.metadata.name.localeCompare(b.metadata.name)
  );
}

export function getCondition(status: Json, type: string): Json | undefined {
  return (status?.conditions ?? []).find((c: Json) => c.type === type);
}

/** deploymentutil.NewDeploymentCondition, stamped with the controller's clock (`nowMs`). */
export function newDeploymentCondition(
  nowMs: number,
  type: string,
  status: string,
  reason: string,
  message: string,
): Json {
  const now = timestamp(nowMs);
  return {
    type,
    status,
    lastUpdateTime: now,
    lastTransitionTime: now,
    reason,
    message,
  };
}

/** deploymentutil.SetDeploymentCondition: same status and reason is a no-op; same status keeps lastTransitionTime. */
export function setCondition(status: Json, condition: Json) {
  const current = getCondition(status, condition.type);
  if (
    current &&
    current.status === condition.status &&
    current.reason === condition.reason
  )
    return;
  if (current && current.status === condition.status) {
    condition.lastTransitionTime = current.lastTransitionTime;
  }
  status.conditions = [
    ...(status.conditions ?? []).filter((c: Json) => c.type !== condition.type),
    condition,
  ];
}

export function removeCondition(status: Json, type: string) {
  status.conditions = (status.conditions ?? []).filter(
    (c: Json) => c.type !== type,
  );
  if (status.conditions.length === 0) delete status.conditions;
}

export function hasProgressDeadline(d: KubeObject): boolean {
  const seconds = d.spec.progressDeadlineSeconds;
  return seconds !== undefined && seconds !== null && seconds !== 2147483647;
}

function copyDeploymentAnnotationsToReplicaSet(
  d: KubeObject,
  rs: KubeObject,
): boolean {
  let changed = false;
  rs.metadata.annotations ??= {};
  for (const [key, value] of Object.entries(d.metadata.annotations ?? {})) {
    if (
      ANNOTATIONS_NOT_COPIED.has(key) ||
      rs.metadata.annotations[key] === value
    )
      continue;
    rs.metadata.annotations[key] = value;
    changed = true;
  }
  return changed;
}

export function setReplicasAnnotations(
  rs: KubeObject,
  desired: number,
  max: number,
): boolean {
  rs.metadata.annotations ??= {};
  const annotations = rs.metadata.annotations;
  let changed = false;
  if (annotations[DESIRED_REPLICAS_ANNOTATION] !== String(desired)) {
    annotations[DESIRED_REPLICAS_ANNOTATION] = String(desired);
    changed = true;
  }
  if (annotations[MAX_REPLICAS_ANNOTATION] !== String(max)) {
    annotations[MAX_REPLICAS_ANNOTATION] = String(max);
    changed = true;
  }
  return changed;
}

export function setNewReplicaSetAnnotations(
  d: KubeObject,
  rs: KubeObject,
  newRevision: number,
  exists: boolean,
): boolean {
  let changed = copyDeploymentAnnotationsToReplicaSet(d, rs);
  const annotations = rs.metadata.annotations!;
  const oldRevisionText = annotations[REVISION_ANNOTATION];
  const oldRevision = oldRevisionText ? Number(oldRevisionText) : 0;
  if (oldRevision < newRevision) {
    annotations[REVISION_ANNOTATION] = String(newRevision);
    changed = true;
    // Rolling back to this ReplicaSet: keep the revisions it used to have.
    if (oldRevisionText) {
      const history = annotations[REVISION_HISTORY_ANNOTATION];
      const revisions = history ? history.split(',') : [];
      revisions.push(oldRevisionText);
      while (revisions.join(',').length > MAX_REVISION_HISTORY_CHARS)
        revisions.shift();
      annotations[REVISION_HISTORY_ANNOTATION] = revisions.join(',');
    }
  }
  if (
    !exists &&
    setReplicasAnnotations(rs, d.spec.replicas, d.spec.replicas + maxSurge(d))
  ) {
    changed = true;
  }
  return changed;
}

export function setDeploymentRevision(
  d: KubeObject,
  revision: string,
): boolean {
  d.metadata.annotations ??= {};
  if (d.metadata.annotations[REVISION_ANNOTATION] === revision) return false;
  d.metadata.annotations[REVISION_ANNOTATION] = revision;
  return true;
}

export function findNewReplicaSet(
  d: KubeObject,
  rsList: KubeObject[],
): KubeObject | undefined {
  return [...rsList]
    .sort(byCreationTimestamp)
    .find(rs => equalIgnoreHash(rs.spec.template, d.spec.template));
}

/** deploymentutil.NewRSNewReplicas. */
export function newRSNewReplicas(
  d: KubeObject,
  allRSs: KubeObject[],
  newRS: KubeObject,
): number {
  if (!isRollingUpdate(d)) return d.spec.replicas;
  const currentPodCount = sumOf(allRSs, specReplicas);
  const maxTotalPods = d.spec.replicas + maxSurge(d);
  if (currentPodCount >= maxTotalPods) return specReplicas(newRS);
  const scaleUpCount = Math.min(
    maxTotalPods - currentPodCount,
    d.spec.replicas - specReplicas(newRS),
  );
  return specReplicas(newRS) + scaleUpCount;
}

export function deploymentComplete(d: KubeObject, status: Json): boolean {
  const replicas = d.spec.replicas;
  return (
    (status.updatedReplicas ?? 0) === replicas &&
    (status.replicas ?? 0) === replicas &&
    (status.availableReplicas ?? 0) === replicas &&
    (status.observedGeneration ?? 0) >= (d.metadata.generation ?? 0)
  );
}

export function deploymentProgressing(d: KubeObject, newStatus: Json): boolean {
  const old = d.status ?? {};
  const oldStatusOldReplicas = (old.replicas ?? 0) - (old.updatedReplicas ?? 0);
  const newStatusOldReplicas =
    (newStatus.replicas ?? 0) - (newStatus.updatedReplicas ?? 0);
  return (
    (newStatus.updatedReplicas ?? 0) > (old.updatedReplicas ?? 0) ||
    newStatusOldReplicas < oldStatusOldReplicas ||
    (newStatus.readyReplicas ?? 0) > (old.readyReplicas ?? 0) ||
    (newStatus.availableReplicas ?? 0) > (old.availableReplicas ?? 0)
  );
}

/** deploymentutil.DeploymentTimedOut; `deadlineScale` lets tests stall a rollout in milliseconds. */
export function deploymentTimedOut(
  d: KubeObject,
  now: number,
  deadlineScale: number,
): boolean {
  if (!hasProgressDeadline(d)) return false;
  const condition = getCondition(d.status, 'Progressing');
  if (!condition) return false;
  if (condition.reason === 'NewReplicaSetAvailable') return false;
  if (condition.reason === 'ProgressDeadlineExceeded') return true;
  const deadlineMs = d.spec.progressDeadlineSeconds * 1000 * deadlineScale;
  return parseTimestamp(condition.lastUpdateTime) + deadlineMs < now;
}
