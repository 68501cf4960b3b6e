/*
 * The TypeScript counterpart of pkg/controller/deployment/sync.go: finding or creating the new
 * ReplicaSet and syncing revisions, scaling (scaling events and paused deployments), pruning
 * old ReplicaSets beyond revisionHistoryLimit, and calculating the Deployment's status. `dc` is
 * the controller context, as the Go receiver is the controller.
 */

import {
  KubeObject,
  controllerReference,
  copyObject,
  timestamp,
} from '../../apimachinery/objects';
import { deepEqual } from '../../apimachinery/patches';
import { DEPLOYMENTS, REPLICA_SETS } from '../../apimachinery/resources';
import { ControllerContext } from '../controllerContext';
import { computePodTemplateHash } from '../podTemplateHash';
import {
  DESIRED_REPLICAS_ANNOTATION,
  Json,
  POD_TEMPLATE_HASH_LABEL,
  REVISION_ANNOTATION,
  byCreationTimestamp,
  findNewReplicaSet,
  getCondition,
  hasProgressDeadline,
  isRollingUpdate,
  maxSurge,
  maxUnavailable,
  newDeploymentCondition,
  newRSNewReplicas,
  revisionOf,
  setCondition,
  setDeploymentRevision,
  setNewReplicaSetAnnotations,
  setReplicasAnnotations,
  specReplicas,
  sumOf,
} from './util/deploymentUtil';

/** Writes the Deployment's status and annotations, as the controller's UpdateStatus does. */
export function updateDeployment(
  dc: ControllerContext,
  d: KubeObject,
): KubeObject {
  const current = dc.store.get(
    DEPLOYMENTS,
    d.metadata.namespace,
    d.metadata.name,
  );
  if (!current) return d;
  // Status writes go through the status subresource: only status and annotations change.
  if (
    deepEqual(current.status, d.status) &&
    deepEqual(current.metadata.annotations, d.metadata.annotations)
  ) {
    return current;
  }
  return dc.store.replace(DEPLOYMENTS, {
    ...current,
    metadata: { ...current.metadata, annotations: d.metadata.annotations },
    status: d.status,
  });
}

/** dc.sync: scaling (paused deployments and scaling events) without rolling anything out. */
export function syncScaleOnly(
  dc: ControllerContext,
  stored: KubeObject,
  rsList: KubeObject[],
) {
  const { d, newRS, oldRSs } = getAllReplicaSetsAndSyncRevision(
    dc,
    stored,
    rsList,
    false,
  );
  scale(dc, d, newRS, oldRSs);
  if (d.spec.paused) cleanupDeployment(dc, oldRSs, d);
  const allRSs = [...oldRSs, newRS];
  const status = calculateStatus(dc, allRSs, newRS, d);
  if (!deepEqual(status, d.status)) updateDeployment(dc, { ...d, status });
}

export function checkPausedConditions(
  dc: ControllerContext,
  d: KubeObject,
): KubeObject {
  if (!hasProgressDeadline(d)) return d;
  const cond = getCondition(d.status, 'Progressing');
  if (cond?.reason === 'ProgressDeadlineExceeded') return d;
  const pausedCondExists = cond?.reason === 'DeploymentPaused';
  if (d.spec.paused && !pausedCondExists) {
    setCondition(
      d.status,
      newDeploymentCondition(
        dc.now(),
        'Progressing',
        'Unknown',
        'DeploymentPaused',
        'Deployment is paused',
      ),
    );
    return updateDeployment(dc, d);
  }
  if (!d.spec.paused && pausedCondExists) {
    setCondition(
      d.status,
      newDeploymentCondition(
        dc.now(),
        'Progressing',
        'Unknown',
        'DeploymentResumed',
        'Deployment is resumed',
      ),
    );
    return updateDeployment(dc, d);
  }
  return d;
}

export function getAllReplicaSetsAndSyncRevision(
  dc: ControllerContext,
  d: KubeObject,
  rsList: KubeObject[],
  createIfNotExisted: boolean,
): { d: KubeObject; newRS?: KubeObject; oldRSs: KubeObject[] } {
  const newCandidate = findNewReplicaSet(d, rsList);
  const oldRSs = rsList.filter(
    rs => rs.metadata.uid !== newCandidate?.metadata.uid,
  );
  const result = getNewReplicaSet(dc, d, rsList, oldRSs, createIfNotExisted);
  return { d: result.d, newRS: result.newRS, oldRSs };
}

function getNewReplicaSet(
  dc: ControllerContext,
  d: KubeObject,
  rsList: KubeObject[],
  oldRSs: KubeObject[],
  createIfNotExisted: boolean,
): { d: KubeObject; newRS?: KubeObject } {
  const existing = findNewReplicaSet(d, rsList);
  const newRevision = Math.max(0, ...oldRSs.map(revisionOf)) + 1;
  if (existing) {
    let rs = copyObject(existing);
    const annotationsUpdated = setNewReplicaSetAnnotations(
      d,
      rs,
      newRevision,
      true,
    );
    const minReadySeconds = d.spec.minReadySeconds ?? 0;
    const minReadySecondsChanged =
      (rs.spec.minReadySeconds ?? 0) !== minReadySeconds;
    if (annotationsUpdated || minReadySecondsChanged) {
      if (minReadySecondsChanged) {
        rs.spec.minReadySeconds = minReadySeconds;
        rs.metadata.generation = (rs.metadata.generation ?? 1) + 1;
      }
      rs = dc.store.replace(REPLICA_SETS, rs);
    }
    let needsUpdate = setDeploymentRevision(
      d,
      rs.metadata.annotations?.[REVISION_ANNOTATION] ?? '',
    );
    if (hasProgressDeadline(d) && !getCondition(d.status, 'Progressing')) {
      setCondition(
        d.status,
        newDeploymentCondition(
          dc.now(),
          'Progressing',
          'True',
          'FoundNewReplicaSet',
          `Found new replica set "${rs.metadata.name}"`,
        ),
      );
      needsUpdate = true;
    }
    return { d: needsUpdate ? updateDeployment(dc, d) : d, newRS: rs };
  }
  if (!createIfNotExisted) return { d };

  const hash = computePodTemplateHash(d.spec.template, d.status.collisionCount);
  const template = copyObject(d.spec.template);
  template.metadata ??= {};
  template.metadata.labels = {
    ...template.metadata.labels,
    [POD_TEMPLATE_HASH_LABEL]: hash,
  };
  const selector = copyObject(d.spec.selector);
  selector.matchLabels = {
    ...selector.matchLabels,
    [POD_TEMPLATE_HASH_LABEL]: hash,
  };
  const now = dc.now();
  const newRS: KubeObject = {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: {
      name: `${d.metadata.name}-${hash}`,
      namespace: d.metadata.namespace,
      uid: dc.newUid(),
      resourceVersion: '',
      generation: 1,
      creationTimestamp: timestamp(now),
      labels: template.metadata.labels,
      ownerReferences: [controllerReference(d)],
    },
    spec: {
      replicas: 0,
      minReadySeconds: d.spec.minReadySeconds ?? 0,
      selector,
      template,
    },
    status: { replicas: 0 },
  };
  newRS.spec.replicas = newRSNewReplicas(d, [...oldRSs, newRS], newRS);
  setNewReplicaSetAnnotations(d, newRS, newRevision, false);
  const created = dc.store.insert(REPLICA_SETS, newRS);
  if (newRS.spec.replicas > 0) {
    dc.recordEvent(
      d,
      'Normal',
      'ScalingReplicaSet',
      `Scaled up replica set ${created.metadata.name} from 0 to ${newRS.spec.replicas}`,
      'deployment-controller',
    );
  }
  setDeploymentRevision(d, String(newRevision));
  if (hasProgressDeadline(d)) {
    setCondition(
      d.status,
      newDeploymentCondition(
        dc.now(),
        'Progressing',
        'True',
        'NewReplicaSetCreated',
        `Created new replica set "${created.metadata.name}"`,
      ),
    );
  }
  return { d: updateDeployment(dc, d), newRS: created };
}

/**
 * dc.scaleReplicaSetAndRecordEvent: scales a ReplicaSet and records the Deployment's
 * ScalingReplicaSet event; true when the size changed.
 */
export function scaleReplicaSet(
  dc: ControllerContext,
  rs: KubeObject,
  newScale: number,
  d: KubeObject,
): boolean {
  const current = dc.store.get(
    REPLICA_SETS,
    rs.metadata.namespace,
    rs.metadata.name,
  );
  if (!current) return false;
  const oldScale = specReplicas(current);
  const sizeNeedsUpdate = oldScale !== newScale;
  const annotationsNeedUpdate = setReplicasAnnotations(
    current,
    d.spec.replicas,
    d.spec.replicas + maxSurge(d),
  );
  if (!sizeNeedsUpdate && !annotationsNeedUpdate) return false;
  if (sizeNeedsUpdate) {
    current.spec.replicas = newScale;
    current.metadata.generation = (current.metadata.generation ?? 1) + 1;
  }
  const updated = dc.store.replace(REPLICA_SETS, current);
  Object.assign(rs, updated);
  if (sizeNeedsUpdate) {
    const direction = oldScale > newScale ? 'down' : 'up';
    dc.recordEvent(
      d,
      'Normal',
      'ScalingReplicaSet',
      `Scaled ${direction} replica set ${rs.metadata.name} from ${oldScale} to ${newScale}`,
      'deployment-controller',
    );
  }
  return sizeNeedsUpdate;
}

export function isScalingEvent(d: KubeObject, rsList: KubeObject[]): boolean {
  const newRS = findNewReplicaSet(d, rsList);
  if (!newRS) return false;
  return rsList
    .filter(rs => specReplicas(rs) > 0)
    .some(rs => {
      const desired = rs.metadata.annotations?.[DESIRED_REPLICAS_ANNOTATION];
      return desired !== undefined && Number(desired) !== d.spec.replicas;
    });
}

function scale(
  dc: ControllerContext,
  d: KubeObject,
  newRS: KubeObject | undefined,
  oldRSs: KubeObject[],
) {
  const all = newRS ? [newRS, ...oldRSs] : oldRSs;
  const active = all.filter(rs => specReplicas(rs) > 0);
  // deploymentutil.FindActiveOrLatest: the only active ReplicaSet, or the newest when none is.
  let activeOrLatest: KubeObject | undefined;
  if (active.length === 1) activeOrLatest = active[0];
  else if (active.length === 0)
    activeOrLatest = newRS ?? [...oldRSs].sort(byCreationTimestamp).pop();
  if (activeOrLatest) {
    scaleReplicaSet(dc, activeOrLatest, d.spec.replicas, d);
    return;
  }
  if (
    newRS &&
    specReplicas(newRS) === d.spec.replicas &&
    (newRS.status?.availableReplicas ?? 0) === d.spec.replicas
  ) {
    for (const rs of oldRSs.filter(o => specReplicas(o) > 0))
      scaleReplicaSet(dc, rs, 0, d);
    return;
  }
  if (!isRollingUpdate(d)) return;
  // Proportional scaling, simplified: the newest active ReplicaSet absorbs a scale-up,
  // the oldest ones give up replicas on a scale-down.
  let toAdd = d.spec.replicas + maxSurge(d) - sumOf(active, specReplicas);
  const ordered = [...active].sort(byCreationTimestamp);
  if (toAdd > 0) {
    const newest = ordered[ordered.length - 1];
    scaleReplicaSet(dc, newest, specReplicas(newest) + toAdd, d);
  } else {
    for (const rs of ordered) {
      if (toAdd >= 0) break;
      const take = Math.min(specReplicas(rs), -toAdd);
      scaleReplicaSet(dc, rs, specReplicas(rs) - take, d);
      toAdd += take;
    }
  }
  for (const rs of active) scaleReplicaSet(dc, rs, specReplicas(rs), d);
}

export function cleanupDeployment(
  dc: ControllerContext,
  oldRSs: KubeObject[],
  d: KubeObject,
) {
  const limit = d.spec.revisionHistoryLimit;
  if (limit === undefined || limit === null) return;
  const alive = oldRSs.filter(rs => !rs.metadata.deletionTimestamp);
  const diff = alive.length - limit;
  if (diff <= 0) return;
  const byRevision = [...alive].sort(
    (a, b) => revisionOf(a) - revisionOf(b) || byCreationTimestamp(a, b),
  );
  for (const rs of byRevision.slice(0, diff)) {
    const current = dc.store.get(
      REPLICA_SETS,
      rs.metadata.namespace,
      rs.metadata.name,
    );
    if (!current) continue;
    if (
      (current.status?.replicas ?? 0) !== 0 ||
      specReplicas(current) !== 0 ||
      (current.metadata.generation ?? 0) >
        (current.status?.observedGeneration ?? 0)
    ) {
      continue;
    }
    dc.store.remove(
      REPLICA_SETS,
      current.metadata.namespace,
      current.metadata.name,
    );
  }
}

export function calculateStatus(
  dc: ControllerContext,
  allRSs: Array<KubeObject | undefined>,
  newRS: KubeObject | undefined,
  d: KubeObject,
): Json {
  const availableReplicas = sumOf(
    allRSs,
    rs => rs.status?.availableReplicas ?? 0,
  );
  const totalReplicas = sumOf(allRSs, specReplicas);
  const unavailableReplicas = Math.max(0, totalReplicas - availableReplicas);
  const counts: Record<string, number> = {
    replicas: sumOf(allRSs, rs => rs.status?.replicas ?? 0),
    updatedReplicas: sumOf([newRS], rs => rs.status?.replicas ?? 0),
    readyReplicas: sumOf(allRSs, rs => rs.status?.readyReplicas ?? 0),
    availableReplicas,
    unavailableReplicas,
  };
  const status: Json = { observedGeneration: d.metadata.generation };
  for (const [field, value] of Object.entries(counts))
    if (value !== 0) status[field] = value;
  if (d.status?.conditions) status.conditions = copyObject(d.status.conditions);
  if (d.status?.collisionCount !== undefined)
    status.collisionCount = d.status.collisionCount;
  if (availableReplicas >= d.spec.replicas - maxUnavailable(d)) {
    setCondition(
      status,
      newDeploymentCondition(
        dc.now(),
        'Available',
        'True',
        'MinimumReplicasAvailable',
        'Deployment has minimum availability.',
      ),
    );
  } else {
    setCondition(
      status,
      newDeploymentCondition(
        dc.now(),
        'Available',
        'False',
        'MinimumReplicasUnavailable',
        'Deployment does not have minimum availability.',
      ),
    );
  }
  return status;
}
