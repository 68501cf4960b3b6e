/*
 * The TypeScript counterpart of pkg/controller/deployment/rolling.go: the RollingUpdate
 * strategy, scaling the new ReplicaSet up and the old ones down within maxSurge and
 * maxUnavailable (unhealthy old replicas first).
 */

import { KubeObject } from '../../apimachinery/objects';
import { ControllerContext } from '../controllerContext';
import { syncRolloutStatus } from './progress';
import {
  cleanupDeployment,
  getAllReplicaSetsAndSyncRevision,
  scaleReplicaSet,
} from './sync';
import {
  byCreationTimestamp,
  deploymentComplete,
  maxUnavailable,
  newRSNewReplicas,
  specReplicas,
  sumOf,
} from './util/deploymentUtil';

export function rolloutRolling(
  dc: ControllerContext,
  stored: KubeObject,
  rsList: KubeObject[],
) {
  const { d, newRS, oldRSs } = getAllReplicaSetsAndSyncRevision(
    dc,
    stored,
    rsList,
    true,
  );
  const allRSs = [...oldRSs, newRS!];
  if (reconcileNewReplicaSet(dc, allRSs, newRS!, d)) {
    syncRolloutStatus(dc, allRSs, newRS, d);
    return;
  }
  if (
    reconcileOldReplicaSets(
      dc,
      allRSs,
      oldRSs.filter(rs => specReplicas(rs) > 0),
      newRS!,
      d,
    )
  ) {
    syncRolloutStatus(dc, allRSs, newRS, d);
    return;
  }
  if (deploymentComplete(d, d.status)) cleanupDeployment(dc, oldRSs, d);
  syncRolloutStatus(dc, allRSs, newRS, d);
}

export function reconcileNewReplicaSet(
  dc: ControllerContext,
  allRSs: KubeObject[],
  newRS: KubeObject,
  d: KubeObject,
): boolean {
  if (specReplicas(newRS) === d.spec.replicas) return false;
  if (specReplicas(newRS) > d.spec.replicas)
    return scaleReplicaSet(dc, newRS, d.spec.replicas, d);
  return scaleReplicaSet(dc, newRS, newRSNewReplicas(d, allRSs, newRS), d);
}

function reconcileOldReplicaSets(
  dc: ControllerContext,
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
  const maxScaledDown = allPodsCount - minAvailable - newRSUnavailablePodCount;
  if (maxScaledDown <= 0) return false;

  // dc.cleanupUnhealthyReplicas: unhealthy old replicas go first, they would otherwise block the rollout.
  let cleanupCount = 0;
  for (const rs of [...oldRSs].sort(byCreationTimestamp)) {
    if (cleanupCount >= maxScaledDown) break;
    const available = rs.status?.availableReplicas ?? 0;
    if (specReplicas(rs) === 0 || specReplicas(rs) === available) continue;
    const scaledDownCount = Math.min(
      maxScaledDown - cleanupCount,
      specReplicas(rs) - available,
    );
    scaleReplicaSet(dc, rs, specReplicas(rs) - scaledDownCount, d);
    cleanupCount += scaledDownCount;
  }

  // dc.scaleDownOldReplicaSetsForRollingUpdate: then as many as availability allows.
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
      scaleReplicaSet(dc, rs, specReplicas(rs) - count, d);
      scaledDown += count;
    }
  }
  return cleanupCount + scaledDown > 0;
}
