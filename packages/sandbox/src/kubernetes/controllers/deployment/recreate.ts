/*
 * The TypeScript counterpart of pkg/controller/deployment/recreate.go: the Recreate strategy,
 * every old ReplicaSet scaled to zero before the new one is created and scaled up.
 */

import { KubeObject } from '../../apimachinery/objects';
import { ControllerContext } from '../controllerContext';
import { syncRolloutStatus } from './progress';
import { reconcileNewReplicaSet } from './rolling';
import {
  cleanupDeployment,
  getAllReplicaSetsAndSyncRevision,
  scaleReplicaSet,
} from './sync';
import { deploymentComplete, specReplicas } from './util/deploymentUtil';

export function rolloutRecreate(
  dc: ControllerContext,
  stored: KubeObject,
  rsList: KubeObject[],
) {
  let { d, newRS, oldRSs } = getAllReplicaSetsAndSyncRevision(
    dc,
    stored,
    rsList,
    false,
  );
  const activeOld = oldRSs.filter(rs => specReplicas(rs) > 0);
  if (activeOld.length > 0) {
    for (const rs of activeOld) scaleReplicaSet(dc, rs, 0, d);
    syncRolloutStatus(dc, [...oldRSs, newRS], newRS, d);
    return;
  }
  if (!newRS)
    ({ d, newRS, oldRSs } = getAllReplicaSetsAndSyncRevision(
      dc,
      d,
      rsList,
      true,
    ));
  const allRSs = [...oldRSs, newRS!];
  reconcileNewReplicaSet(dc, allRSs, newRS!, d);
  if (deploymentComplete(d, d.status)) cleanupDeployment(dc, oldRSs, d);
  syncRolloutStatus(dc, allRSs, newRS, d);
}
