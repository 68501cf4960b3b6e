/*
 * The deployment controller, after pkg/controller/deployment: revisions, new/old ReplicaSets,
 * rolling updates within maxSurge/maxUnavailable, the recreate strategy, pausing, proportional
 * scaling, history pruning, and the status with its Progressing/Available conditions. Function
 * names follow the Go code so the two can be read side by side.
 */

import {
  ControllerContext,
  DEPLOYMENTS,
  REPLICA_SETS,
  computePodTemplateHash,
  controllerOf,
  controllerReference,
  parseTimestamp,
  timestamp,
} from './controllerContext';
import { KubeObject, copyObject } from './objectStore';
import { deepEqual } from './patches';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

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

function isRollingUpdate(d: KubeObject): boolean {
  return (d.spec.strategy?.type ?? 'RollingUpdate') === 'RollingUpdate';
}

export function maxUnavailable(d: KubeObject): number {
  if (!isRollingUpdate(d) || d.spec.replicas === 0) return 0;
  return Math.min(resolveFenceposts(d)[1], d.spec.replicas);
}

export function maxSurge(d: KubeObject): number {
  return isRollingUpdate(d) ? resolveFenceposts(d)[0] : 0;
}

const specReplicas = (rs: KubeObject | undefined): number =>
  rs?.spec?.replicas ?? 0;
const sumOf = (
  list: Array<KubeObject | undefined>,
  value: (rs: KubeObject) => number,
) => list.reduce((n, rs) => n + (rs ? value(rs) : 0), 0);

function byCreationTimestamp(a: KubeObject, b: KubeObject): number {
  return (
    a.metadata.creationTimestamp.localeCompare(b.metadata.creationTimestamp) ||
    a.metadata.name.localeCompare(b.metadata.name)
  );
}

function getCondition(status: Json, type: string): Json | undefined {
  return (status?.conditions ?? []).find((c: Json) => c.type === type);
}

/** deploymentutil.SetDeploymentCondition: same status and reason is a no-op; same status keeps lastTransitionTime. */
function setCondition(status: Json, condition: Json) {
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

function removeCondition(status: Json, type: string) {
  status.conditions = (status.conditions ?? []).filter(
    (c: Json) => c.type !== type,
  );
  if (status.conditions.length === 0) delete status.conditions;
}

export class DeploymentController {
  constructor(private readonly context: ControllerContext) {}

  private newCondition(
    type: string,
    status: string,
    reason: string,
    message: string,
  ): Json {
    const now = timestamp(this.context.now());
    return {
      type,
      status,
      lastUpdateTime: now,
      lastTransitionTime: now,
      reason,
      message,
    };
  }

  private hasProgressDeadline(d: KubeObject): boolean {
    const seconds = d.spec.progressDeadlineSeconds;
    return seconds !== undefined && seconds !== null && seconds !== 2147483647;
  }

  sync() {
    for (const deployment of this.context.store.list(DEPLOYMENTS)) {
      if (!deployment.metadata.deletionTimestamp)
        this.syncDeployment(deployment);
    }
  }

  /** ReplicaSets the Deployment controls. */
  ownedReplicaSets(d: KubeObject): KubeObject[] {
    return this.context.store
      .list(REPLICA_SETS, d.metadata.namespace)
      .filter(rs => controllerOf(rs)?.uid === d.metadata.uid);
  }

  private persist(d: KubeObject): KubeObject {
    const current = this.context.store.get(
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
    return this.context.store.replace(DEPLOYMENTS, {
      ...current,
      metadata: { ...current.metadata, annotations: d.metadata.annotations },
      status: d.status,
    });
  }

  syncDeployment(stored: KubeObject) {
    let d = copyObject(stored);
    d.status ??= {};
    const rsList = this.ownedReplicaSets(d);
    d = this.checkPausedConditions(d);
    if (d.spec.paused) {
      this.syncScaleOnly(d, rsList);
      return;
    }
    if (this.isScalingEvent(d, rsList)) {
      this.syncScaleOnly(d, rsList);
      return;
    }
    if (isRollingUpdate(d)) this.rolloutRolling(d, rsList);
    else this.rolloutRecreate(d, rsList);
  }

  private checkPausedConditions(d: KubeObject): KubeObject {
    if (!this.hasProgressDeadline(d)) return d;
    const cond = getCondition(d.status, 'Progressing');
    if (cond?.reason === 'ProgressDeadlineExceeded') return d;
    const pausedCondExists = cond?.reason === 'DeploymentPaused';
    if (d.spec.paused && !pausedCondExists) {
      setCondition(
        d.status,
        this.newCondition(
          'Progressing',
          'Unknown',
          'DeploymentPaused',
          'Deployment is paused',
        ),
      );
      return this.persist(d);
    }
    if (!d.spec.paused && pausedCondExists) {
      setCondition(
        d.status,
        this.newCondition(
          'Progressing',
          'Unknown',
          'DeploymentResumed',
          'Deployment is resumed',
        ),
      );
      return this.persist(d);
    }
    return d;
  }

  private findNewReplicaSet(
    d: KubeObject,
    rsList: KubeObject[],
  ): KubeObject | undefined {
    return [...rsList]
      .sort(byCreationTimestamp)
      .find(rs => equalIgnoreHash(rs.spec.template, d.spec.template));
  }

  private getAllReplicaSetsAndSyncRevision(
    d: KubeObject,
    rsList: KubeObject[],
    createIfNotExisted: boolean,
  ): { d: KubeObject; newRS?: KubeObject; oldRSs: KubeObject[] } {
    const newCandidate = this.findNewReplicaSet(d, rsList);
    const oldRSs = rsList.filter(
      rs => rs.metadata.uid !== newCandidate?.metadata.uid,
    );
    const result = this.getNewReplicaSet(d, rsList, oldRSs, createIfNotExisted);
    return { d: result.d, newRS: result.newRS, oldRSs };
  }

  private copyDeploymentAnnotationsToReplicaSet(
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

  private setReplicasAnnotations(
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

  private setNewReplicaSetAnnotations(
    d: KubeObject,
    rs: KubeObject,
    newRevision: number,
    exists: boolean,
  ): boolean {
    let changed = this.copyDeploymentAnnotationsToReplicaSet(d, rs);
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
      this.setReplicasAnnotations(
        rs,
        d.spec.replicas,
        d.spec.replicas + maxSurge(d),
      )
    ) {
      changed = true;
    }
    return changed;
  }

  private setDeploymentRevision(d: KubeObject, revision: string): boolean {
    d.metadata.annotations ??= {};
    if (d.metadata.annotations[REVISION_ANNOTATION] === revision) return false;
    d.metadata.annotations[REVISION_ANNOTATION] = revision;
    return true;
  }

  private getNewReplicaSet(
    d: KubeObject,
    rsList: KubeObject[],
    oldRSs: KubeObject[],
    createIfNotExisted: boolean,
  ): { d: KubeObject; newRS?: KubeObject } {
    const existing = this.findNewReplicaSet(d, rsList);
    const newRevision = Math.max(0, ...oldRSs.map(revisionOf)) + 1;
    if (existing) {
      let rs = copyObject(existing);
      const annotationsUpdated = this.setNewReplicaSetAnnotations(
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
        rs = this.context.store.replace(REPLICA_SETS, rs);
      }
      let needsUpdate = this.setDeploymentRevision(
        d,
        rs.metadata.annotations?.[REVISION_ANNOTATION] ?? '',
      );
      if (
        this.hasProgressDeadline(d) &&
        !getCondition(d.status, 'Progressing')
      ) {
        setCondition(
          d.status,
          this.newCondition(
            'Progressing',
            'True',
            'FoundNewReplicaSet',
            `Found new replica set "${rs.metadata.name}"`,
          ),
        );
        needsUpdate = true;
      }
      return { d: needsUpdate ? this.persist(d) : d, newRS: rs };
    }
    if (!createIfNotExisted) return { d };

    const hash = computePodTemplateHash(
      d.spec.template,
      d.status.collisionCount,
    );
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
    const now = this.context.now();
    const newRS: KubeObject = {
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      metadata: {
        name: `${d.metadata.name}-${hash}`,
        namespace: d.metadata.namespace,
        uid: this.context.newUid(),
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
    newRS.spec.replicas = this.newRSNewReplicas(d, [...oldRSs, newRS], newRS);
    this.setNewReplicaSetAnnotations(d, newRS, newRevision, false);
    const created = this.context.store.insert(REPLICA_SETS, newRS);
    if (newRS.spec.replicas > 0) {
      this.context.recordEvent(
        d,
        'Normal',
        'ScalingReplicaSet',
        `Scaled up replica set ${created.metadata.name} from 0 to ${newRS.spec.replicas}`,
        'deployment-controller',
      );
    }
    this.setDeploymentRevision(d, String(newRevision));
    if (this.hasProgressDeadline(d)) {
      setCondition(
        d.status,
        this.newCondition(
          'Progressing',
          'True',
          'NewReplicaSetCreated',
          `Created new replica set "${created.metadata.name}"`,
        ),
      );
    }
    return { d: this.persist(d), newRS: created };
  }

  /** deploymentutil.NewRSNewReplicas. */
  private newRSNewReplicas(
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

  /** Scales a ReplicaSet, records the Deployment's ScalingReplicaSet event; true when the size changed. */
  private scaleReplicaSet(
    rs: KubeObject,
    newScale: number,
    d: KubeObject,
  ): boolean {
    const current = this.context.store.get(
      REPLICA_SETS,
      rs.metadata.namespace,
      rs.metadata.name,
    );
    if (!current) return false;
    const oldScale = specReplicas(current);
    const sizeNeedsUpdate = oldScale !== newScale;
    const annotationsNeedUpdate = this.setReplicasAnnotations(
      current,
      d.spec.replicas,
      d.spec.replicas + maxSurge(d),
    );
    if (!sizeNeedsUpdate && !annotationsNeedUpdate) return false;
    if (sizeNeedsUpdate) {
      current.spec.replicas = newScale;
      current.metadata.generation = (current.metadata.generation ?? 1) + 1;
    }
    const updated = this.context.store.replace(REPLICA_SETS, current);
    Object.assign(rs, updated);
    if (sizeNeedsUpdate) {
      const direction = oldScale > newScale ? 'down' : 'up';
      this.context.recordEvent(
        d,
        'Normal',
        'ScalingReplicaSet',
        `Scaled ${direction} replica set ${rs.metadata.name} from ${oldScale} to ${newScale}`,
        'deployment-controller',
      );
    }
    return sizeNeedsUpdate;
  }

  private rolloutRolling(stored: KubeObject, rsList: KubeObject[]) {
    const { d, newRS, oldRSs } = this.getAllReplicaSetsAndSyncRevision(
      stored,
      rsList,
      true,
    );
    const allRSs = [...oldRSs, newRS!];
    if (this.reconcileNewReplicaSet(allRSs, newRS!, d)) {
      this.syncRolloutStatus(allRSs, newRS, d);
      return;
    }
    if (
      this.reconcileOldReplicaSets(
        allRSs,
        oldRSs.filter(rs => specReplicas(rs) > 0),
        newRS!,
        d,
      )
    ) {
      this.syncRolloutStatus(allRSs, newRS, d);
      return;
    }
    if (this.deploymentComplete(d, d.status)) this.cleanupDeployment(oldRSs, d);
    this.syncRolloutStatus(allRSs, newRS, d);
  }

  private rolloutRecreate(stored: KubeObject, rsList: KubeObject[]) {
    let { d, newRS, oldRSs } = this.getAllReplicaSetsAndSyncRevision(
      stored,
      rsList,
      false,
    );
    const activeOld = oldRSs.filter(rs => specReplicas(rs) > 0);
    if (activeOld.length > 0) {
      for (const rs of activeOld) this.scaleReplicaSet(rs, 0, d);
      this.syncRolloutStatus([...oldRSs, newRS], newRS, d);
      return;
    }
    if (!newRS)
      ({ d, newRS, oldRSs } = this.getAllReplicaSetsAndSyncRevision(
        d,
        rsList,
        true,
      ));
    const allRSs = [...oldRSs, newRS!];
    this.reconcileNewReplicaSet(allRSs, newRS!, d);
    if (this.deploymentComplete(d, d.status)) this.cleanupDeployment(oldRSs, d);
    this.syncRolloutStatus(allRSs, newRS, d);
  }

  private reconcileNewReplicaSet(
    allRSs: KubeObject[],
    newRS: KubeObject,
    d: KubeObject,
  ): boolean {
    if (specReplicas(newRS) === d.spec.replicas) return false;
    if (specReplicas(newRS) > d.spec.replicas)
      return this.scaleReplicaSet(newRS, d.spec.replicas, d);
    return this.scaleReplicaSet(
      newRS,
      this.newRSNewReplicas(d, allRSs, newRS),
      d,
    );
  }

  private reconcileOldReplicaSets(
    allRSs: KubeObject[],
    oldRSs: KubeObject[],
    newRS: KubeObject,
    d: KubeObject,
  ): boolean {
    const oldPodsCount = sumOf(oldRSs, specReplicas);
    if (oldPodsCount === 0) return false;
    const allPodsCount = sumOf(allRSs, specReplicas);
    const minAvailable = d.spec.replicas - maxUnavailable(d);
    const newRSUnavailablePodCount =
      specReplicas(newRS) - (newRS.status?.availableReplicas ?? 0);
    const maxScaledDown =
      allPodsCount - minAvailable - newRSUnavailablePodCount;
    if (maxScaledDown <= 0) return false;

    // Unhealthy old replicas go first: they would otherwise block the rollout.
    let cleanupCount = 0;
    for (const rs of [...oldRSs].sort(byCreationTimestamp)) {
      if (cleanupCount >= maxScaledDown) break;
      const available = rs.status?.availableReplicas ?? 0;
      if (specReplicas(rs) === 0 || specReplicas(rs) === available) continue;
      const scaledDownCount = Math.min(
        maxScaledDown - cleanupCount,
        specReplicas(rs) - available,
      );
      this.scaleReplicaSet(rs, specReplicas(rs) - scaledDownCount, d);
      cleanupCount += scaledDownCount;
    }

    let scaledDown = 0;
    const availablePodCount = sumOf(
      allRSs,
      rs => rs.status?.availableReplicas ?? 0,
    );
    if (availablePodCount > minAvailable) {
      const totalScaleDownCount = availablePodCount - minAvailable;
      for (const rs of [...oldRSs].sort(byCreationTimestamp)) {
        if (scaledDown >= totalScaleDownCount) break;
        if (specReplicas(rs) === 0) continue;
        const count = Math.min(
          specReplicas(rs),
          totalScaleDownCount - scaledDown,
        );
        this.scaleReplicaSet(rs, specReplicas(rs) - count, d);
        scaledDown += count;
      }
    }
    return cleanupCount + scaledDown > 0;
  }

  private isScalingEvent(d: KubeObject, rsList: KubeObject[]): boolean {
    const newRS = this.findNewReplicaSet(d, rsList);
    if (!newRS) return false;
    return rsList
      .filter(rs => specReplicas(rs) > 0)
      .some(rs => {
        const desired = rs.metadata.annotations?.[DESIRED_REPLICAS_ANNOTATION];
        return desired !== undefined && Number(desired) !== d.spec.replicas;
      });
  }

  /** dc.sync: scaling (paused deployments and scaling events) without rolling anything out. */
  private syncScaleOnly(stored: KubeObject, rsList: KubeObject[]) {
    const { d, newRS, oldRSs } = this.getAllReplicaSetsAndSyncRevision(
      stored,
      rsList,
      false,
    );
    this.scale(d, newRS, oldRSs);
    if (d.spec.paused) this.cleanupDeployment(oldRSs, d);
    const allRSs = [...oldRSs, newRS];
    const status = this.calculateStatus(allRSs, newRS, d);
    if (!deepEqual(status, d.status)) this.persist({ ...d, status });
  }

  private scale(
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
      this.scaleReplicaSet(activeOrLatest, d.spec.replicas, d);
      return;
    }
    if (
      newRS &&
      specReplicas(newRS) === d.spec.replicas &&
      (newRS.status?.availableReplicas ?? 0) === d.spec.replicas
    ) {
      for (const rs of oldRSs.filter(o => specReplicas(o) > 0))
        this.scaleReplicaSet(rs, 0, d);
      return;
    }
    if (!isRollingUpdate(d)) return;
    // Proportional scaling, simplified: the newest active ReplicaSet absorbs a scale-up,
    // the oldest ones give up replicas on a scale-down.
    let toAdd = d.spec.replicas + maxSurge(d) - sumOf(active, specReplicas);
    const ordered = [...active].sort(byCreationTimestamp);
    if (toAdd > 0) {
      const newest = ordered[ordered.length - 1];
      this.scaleReplicaSet(newest, specReplicas(newest) + toAdd, d);
    } else {
      for (const rs of ordered) {
        if (toAdd >= 0) break;
        const take = Math.min(specReplicas(rs), -toAdd);
        this.scaleReplicaSet(rs, specReplicas(rs) - take, d);
        toAdd += take;
      }
    }
    for (const rs of active) this.scaleReplicaSet(rs, specReplicas(rs), d);
  }

  private cleanupDeployment(oldRSs: KubeObject[], d: KubeObject) {
    const limit = d.spec.revisionHistoryLimit;
    if (limit === undefined || limit === null) return;
    const alive = oldRSs.filter(rs => !rs.metadata.deletionTimestamp);
    const diff = alive.length - limit;
    if (diff <= 0) return;
    const byRevision = [...alive].sort(
      (a, b) => revisionOf(a) - revisionOf(b) || byCreationTimestamp(a, b),
    );
    for (const rs of byRevision.slice(0, diff)) {
      const current = this.context.store.get(
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
      this.context.store.remove(
        REPLICA_SETS,
        current.metadata.namespace,
        current.metadata.name,
      );
    }
  }

  private calculateStatus(
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
    if (d.status?.conditions)
      status.conditions = copyObject(d.status.conditions);
    if (d.status?.collisionCount !== undefined)
      status.collisionCount = d.status.collisionCount;
    if (availableReplicas >= d.spec.replicas - maxUnavailable(d)) {
      setCondition(
        status,
        this.newCondition(
          'Available',
          'True',
          'MinimumReplicasAvailable',
          'Deployment has minimum availability.',
        ),
      );
    } else {
      setCondition(
        status,
        this.newCondition(
          'Available',
          'False',
          'MinimumReplicasUnavailable',
          'Deployment does not have minimum availability.',
        ),
      );
    }
    return status;
  }

  private deploymentComplete(d: KubeObject, status: Json): boolean {
    const replicas = d.spec.replicas;
    return (
      (status.updatedReplicas ?? 0) === replicas &&
      (status.replicas ?? 0) === replicas &&
      (status.availableReplicas ?? 0) === replicas &&
      (status.observedGeneration ?? 0) >= (d.metadata.generation ?? 0)
    );
  }

  private deploymentProgressing(d: KubeObject, newStatus: Json): boolean {
    const old = d.status ?? {};
    const oldStatusOldReplicas =
      (old.replicas ?? 0) - (old.updatedReplicas ?? 0);
    const newStatusOldReplicas =
      (newStatus.replicas ?? 0) - (newStatus.updatedReplicas ?? 0);
    return (
      (newStatus.updatedReplicas ?? 0) > (old.updatedReplicas ?? 0) ||
      newStatusOldReplicas < oldStatusOldReplicas ||
      (newStatus.readyReplicas ?? 0) > (old.readyReplicas ?? 0) ||
      (newStatus.availableReplicas ?? 0) > (old.availableReplicas ?? 0)
    );
  }

  private deploymentTimedOut(d: KubeObject): boolean {
    if (!this.hasProgressDeadline(d)) return false;
    const condition = getCondition(d.status, 'Progressing');
    if (!condition) return false;
    if (condition.reason === 'NewReplicaSetAvailable') return false;
    if (condition.reason === 'ProgressDeadlineExceeded') return true;
    const deadlineMs =
      d.spec.progressDeadlineSeconds * 1000 * this.context.timing.deadlineScale;
    return (
      parseTimestamp(condition.lastUpdateTime) + deadlineMs < this.context.now()
    );
  }

  private syncRolloutStatus(
    allRSs: Array<KubeObject | undefined>,
    newRS: KubeObject | undefined,
    d: KubeObject,
  ) {
    const newStatus = this.calculateStatus(allRSs, newRS, d);
    if (!this.hasProgressDeadline(d)) removeCondition(newStatus, 'Progressing');
    const currentCond = getCondition(d.status, 'Progressing');
    const isCompleteDeployment =
      newStatus.replicas === newStatus.updatedReplicas &&
      currentCond?.reason === 'NewReplicaSetAvailable';
    if (this.hasProgressDeadline(d) && !isCompleteDeployment) {
      const rsName = newRS?.metadata.name;
      if (this.deploymentComplete(d, newStatus)) {
        const message = rsName
          ? `ReplicaSet "${rsName}" has successfully progressed.`
          : `Deployment "${d.metadata.name}" has successfully progressed.`;
        setCondition(
          newStatus,
          this.newCondition(
            'Progressing',
            'True',
            'NewReplicaSetAvailable',
            message,
          ),
        );
      } else if (this.deploymentProgressing(d, newStatus)) {
        const message = rsName
          ? `ReplicaSet "${rsName}" is progressing.`
          : `Deployment "${d.metadata.name}" is progressing.`;
        const condition = this.newCondition(
          'Progressing',
          'True',
          'ReplicaSetUpdated',
          message,
        );
        if (currentCond) {
          if (currentCond.status === 'True')
            condition.lastTransitionTime = currentCond.lastTransitionTime;
          removeCondition(newStatus, 'Progressing');
          newStatus.conditions ??= [];
        }
        setCondition(newStatus, condition);
      } else if (this.deploymentTimedOut(d)) {
        const message = rsName
          ? `ReplicaSet "${rsName}" has timed out progressing.`
          : `Deployment "${d.metadata.name}" has timed out progressing.`;
        setCondition(
          newStatus,
          this.newCondition(
            'Progressing',
            'False',
            'ProgressDeadlineExceeded',
            message,
          ),
        );
      }
    }
    if (deepEqual(d.status, newStatus)) return;
    this.persist({ ...d, status: newStatus });
  }
}
