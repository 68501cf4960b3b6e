/*
 * The deployment controller, ported from Kubernetes' pkg/controller/deployment and split along
 * its files so a fix upstream ports file to file; function names follow the Go code:
 *
 *   deployment_controller.go   deploymentController.ts   syncDeployment, the ReplicaSets it owns
 *   sync.go                    sync.ts                   new ReplicaSet, scaling, history, status
 *   rolling.go                 rolling.ts                the RollingUpdate strategy
 *   recreate.go                recreate.ts               the Recreate strategy
 *   progress.go                progress.ts               the Progressing condition
 *   util/deployment_util.go    util/deploymentUtil.ts    annotations, fenceposts, conditions
 *
 * rollback.go has no counterpart: it serves the deprecated `spec.rollbackTo`; `kubectl rollout
 * undo` patches the template back instead, which sync.ts handles like any template change.
 * Upstream's informers, work queue and client become one pass over the store per reconcile.
 */

import {
  KubeObject,
  controllerOf,
  copyObject,
} from '../../apimachinery/objects';
import { DEPLOYMENTS, REPLICA_SETS } from '../../apimachinery/resources';
import { ControllerContext } from '../controllerContext';
import { rolloutRecreate } from './recreate';
import { rolloutRolling } from './rolling';
import { checkPausedConditions, isScalingEvent, syncScaleOnly } from './sync';
import { isRollingUpdate } from './util/deploymentUtil';

export class DeploymentController {
  constructor(private readonly context: ControllerContext) {}

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

  syncDeployment(stored: KubeObject) {
    let d = copyObject(stored);
    d.status ??= {};
    const rsList = this.ownedReplicaSets(d);
    d = checkPausedConditions(this.context, d);
    if (d.spec.paused) {
      syncScaleOnly(this.context, d, rsList);
      return;
    }
    if (isScalingEvent(d, rsList)) {
      syncScaleOnly(this.context, d, rsList);
      return;
    }
    if (isRollingUpdate(d)) rolloutRolling(this.context, d, rsList);
    else rolloutRecreate(this.context, d, rsList);
  }
}
