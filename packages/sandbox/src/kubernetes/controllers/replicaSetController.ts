/*
 * The replica set controller: keeps as many pods as spec.replicas (creating them from the
 * template, deleting the least useful first) and reports replicas, readyReplicas and
 * availableReplicas (ready for minReadySeconds) in the ReplicaSet's status.
 */

import { ControllerContext, NodeAgent } from './controllerContext';
import { PODS, REPLICA_SETS } from '../apimachinery/resources';
import {
  controllerOf,
  controllerReference,
  timestamp,
} from '../apimachinery/objects';
import { randomSuffix } from '../apimachinery/random';
import { defaultPod } from '../store/defaulting';
import { KubeObject, copyObject } from '../apimachinery/objects';
import { deepEqual } from '../apimachinery/patches';
import { labelSelectorMatcher } from '../apimachinery/selectors';

const NODES = ['sandbox-worker-1', 'sandbox-worker-2'];

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

export function isPodReady(pod: KubeObject): boolean {
  return (
    pod.status?.conditions?.some(
      (c: Json) => c.type === 'Ready' && c.status === 'True',
    ) ?? false
  );
}

export class ReplicaSetController {
  private podsScheduled = 0;

  constructor(
    private readonly context: ControllerContext,
    private readonly kubelet: NodeAgent,
  ) {}

  ownedPods(replicaSet: KubeObject): KubeObject[] {
    return this.context.store
      .list(PODS, replicaSet.metadata.namespace)
      .filter(
        p =>
          controllerOf(p)?.uid === replicaSet.metadata.uid &&
          !p.metadata.deletionTimestamp,
      );
  }

  isAvailable(pod: KubeObject, minReadySeconds: number, now: number): boolean {
    const readySince = this.kubelet.readySince(pod);
    if (readySince === undefined) return false;
    return (
      now - readySince >=
      minReadySeconds * 1000 * this.context.timing.deadlineScale
    );
  }

  sync() {
    for (const replicaSet of this.context.store.list(REPLICA_SETS)) {
      if (!replicaSet.metadata.deletionTimestamp)
        this.syncReplicaSet(replicaSet);
    }
  }

  private syncReplicaSet(replicaSet: KubeObject) {
    const now = this.context.now();
    let pods = this.ownedPods(replicaSet);
    const desired = replicaSet.spec?.replicas ?? 1;
    if (pods.length < desired) {
      for (let i = pods.length; i < desired; i++)
        pods.push(this.createPod(replicaSet, now));
    } else if (pods.length > desired) {
      const doomed = this.rankForDeletion(pods).slice(0, pods.length - desired);
      for (const pod of doomed) {
        this.kubelet.terminate(
          pod,
          pod.spec?.terminationGracePeriodSeconds ?? 30,
        );
        this.context.recordEvent(
          replicaSet,
          'Normal',
          'SuccessfulDelete',
          `Deleted pod: ${pod.metadata.name}`,
          'replicaset-controller',
        );
      }
      pods = pods.filter(p => !doomed.includes(p));
    }
    this.updateStatus(replicaSet, pods, now);
  }

  private updateStatus(
    replicaSet: KubeObject,
    pods: KubeObject[],
    now: number,
  ) {
    const templateLabels = labelSelectorMatcher({
      matchLabels: replicaSet.spec?.template?.metadata?.labels ?? {},
    });
    const minReadySeconds = replicaSet.spec?.minReadySeconds ?? 0;
    const ready = pods.filter(isPodReady).length;
    const available = pods.filter(p =>
      this.isAvailable(p, minReadySeconds, now),
    ).length;
    const fullyLabeled = pods.filter(p =>
      templateLabels(p.metadata.labels),
    ).length;
    const status: Json = {
      replicas: pods.length,
      ...(fullyLabeled ? { fullyLabeledReplicas: fullyLabeled } : {}),
      ...(ready ? { readyReplicas: ready } : {}),
      ...(available ? { availableReplicas: available } : {}),
      observedGeneration: replicaSet.metadata.generation,
    };
    const current = this.context.store.get(
      REPLICA_SETS,
      replicaSet.metadata.namespace,
      replicaSet.metadata.name,
    );
    if (current && !deepEqual(current.status, status)) {
      this.context.store.replace(REPLICA_SETS, { ...current, status });
    }
  }

  /** controller.ActivePods ordering: unscheduled, pending, not ready, recently ready, restarted, newer go first. */
  private rankForDeletion(pods: KubeObject[]): KubeObject[] {
    const restarts = (p: KubeObject) =>
      (p.status?.containerStatuses ?? []).reduce(
        (n: number, c: Json) => n + (c.restartCount ?? 0),
        0,
      );
    return [...pods].sort((a, b) => {
      const phase = (p: KubeObject) =>
        (({ Pending: 0, Running: 2 } as Record<string, number>)[
          p.status?.phase
        ] ?? 1);
      if (phase(a) !== phase(b)) return phase(a) - phase(b);
      if (isPodReady(a) !== isPodReady(b)) return isPodReady(a) ? 1 : -1;
      if (restarts(a) !== restarts(b)) return restarts(b) - restarts(a);
      return b.metadata.creationTimestamp.localeCompare(
        a.metadata.creationTimestamp,
      );
    });
  }

  private createPod(replicaSet: KubeObject, now: number): KubeObject {
    const template = copyObject(replicaSet.spec.template ?? {});
    const namespace = replicaSet.metadata.namespace;
    let name: string;
    do {
      name = `${replicaSet.metadata.name}-${randomSuffix(() =>
        this.context.random(),
      )}`;
    } while (this.context.store.get(PODS, namespace, name));
    const pod: KubeObject = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: {
        name,
        generateName: `${replicaSet.metadata.name}-`,
        namespace,
        uid: this.context.newUid(),
        resourceVersion: '',
        creationTimestamp: timestamp(now),
        labels: template.metadata?.labels,
        ...(template.metadata?.annotations
          ? { annotations: template.metadata.annotations }
          : {}),
        ownerReferences: [controllerReference(replicaSet)],
      },
      spec: {
        ...template.spec,
        nodeName: NODES[this.podsScheduled++ % NODES.length],
      },
    };
    defaultPod(pod);
    this.kubelet.podCreated(pod, now);
    const created = this.context.store.insert(PODS, pod);
    this.context.recordEvent(
      replicaSet,
      'Normal',
      'SuccessfulCreate',
      `Created pod: ${name}`,
      'replicaset-controller',
    );
    return created;
  }
}
