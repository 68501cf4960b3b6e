/*
 * The TypeScript counterpart of pkg/controller/deployment/progress.go: the Progressing
 * condition during a rollout (progressing, complete, or past its progressDeadlineSeconds).
 */

import { KubeObject } from '../../apimachinery/objects';
import { deepEqual } from '../../apimachinery/patches';
import { ControllerContext } from '../controllerContext';
import { calculateStatus, updateDeployment } from './sync';
import {
  deploymentComplete,
  deploymentProgressing,
  deploymentTimedOut,
  getCondition,
  hasProgressDeadline,
  newDeploymentCondition,
  removeCondition,
  setCondition,
} from './util/deploymentUtil';

export function syncRolloutStatus(
  dc: ControllerContext,
  allRSs: Array<KubeObject | undefined>,
  newRS: KubeObject | undefined,
  d: KubeObject,
) {
  const newStatus = calculateStatus(dc, allRSs, newRS, d);
  if (!hasProgressDeadline(d)) removeCondition(newStatus, 'Progressing');
  const currentCond = getCondition(d.status, 'Progressing');
  const isCompleteDeployment =
    newStatus.replicas === newStatus.updatedReplicas &&
    currentCond?.reason === 'NewReplicaSetAvailable';
  if (hasProgressDeadline(d) && !isCompleteDeployment) {
    const rsName = newRS?.metadata.name;
    if (deploymentComplete(d, newStatus)) {
      const message = rsName
        ? `ReplicaSet "${rsName}" has successfully progressed.`
        : `Deployment "${d.metadata.name}" has successfully progressed.`;
      setCondition(
        newStatus,
        newDeploymentCondition(
          dc.now(),
          'Progressing',
          'True',
          'NewReplicaSetAvailable',
          message,
        ),
      );
    } else if (deploymentProgressing(d, newStatus)) {
      const message = rsName
        ? `ReplicaSet "${rsName}" is progressing.`
        : `Deployment "${d.metadata.name}" is progressing.`;
      const condition = newDeploymentCondition(
        dc.now(),
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
    } else if (deploymentTimedOut(d, dc.now(), dc.timing.deadlineScale)) {
      const message = rsName
        ? `ReplicaSet "${rsName}" has timed out progressing.`
        : `Deployment "${d.metadata.name}" has timed out progressing.`;
      setCondition(
        newStatus,
        newDeploymentCondition(
          dc.now(),
          'Progressing',
          'False',
          'ProgressDeadlineExceeded',
          message,
        ),
      );
    }
  }
  if (deepEqual(d.status, newStatus)) return;
  updateDeployment(dc, { ...d, status: newStatus });
}
