import {
  RevisionRef,
  RolloutStatus,
  deliveryError,
} from '@internal/plugin-delivery-common';
import {
  PatchStrategy,
  V1Deployment,
  V1ReplicaSet,
  setHeaderOptions,
} from '@kubernetes/client-node';
import { ClusterClients, DeploymentLocation } from '../kubernetes/clusters';
import {
  CHANGE_CAUSE_ANNOTATION,
  DeploymentState,
  formerRevisionsOf,
  imageOfTemplate,
  liveReplicaSet,
  readDeploymentState,
  revisionOf,
  rolloutStatusOf,
  withoutTemplateHash,
} from '../kubernetes/deploymentStatus';
import { failedTo } from '../kubernetes/failures';

export interface RollbackRequestOptions {
  toRevision?: number;
  expectedCurrentRevision?: number;
  /** Recorded as the Deployment's change-cause, so `kubectl rollout history` says who and why. */
  changeCause: string;
}

export type JsonPatchOperation =
  | { op: 'test' | 'replace' | 'add'; path: string; value: unknown }
  | { op: 'remove'; path: string };

/** What a rollback will do, decided from one read of the Deployment and its ReplicaSets. */
export type RollbackPlan =
  | { kind: 'no-op'; from: RevisionRef; to: RevisionRef; message: string }
  | {
      kind: 'patch';
      from: RevisionRef;
      to: RevisionRef;
      /** The revision the target template becomes live under (max + 1). */
      newRevision: number;
      patch: JsonPatchOperation[];
    };

function refOf(replicaSet: V1ReplicaSet | V1Deployment): RevisionRef {
  return {
    revision: revisionOf(replicaSet),
    image: imageOfTemplate(replicaSet.spec?.template),
  };
}

/** JSON pointer escaping (RFC 6901) of one path segment. */
function pointer(segment: string): string {
  return segment.replace(/~/g, '~0').replace(/\//g, '~1');
}

/**
 * Decides a rollback with `kubectl rollout undo` semantics: the target is the ReplicaSet owned by
 * the Deployment whose `deployment.kubernetes.io/revision` is `toRevision`, default the second
 * highest; a paused Deployment, an unknown revision or the live revision are refused. The patch
 * copies the target's pod template without `pod-template-hash`, keeps the Deployment's own
 * annotations (only its change-cause is set), and is guarded by the observed resourceVersion.
 */
export function planRollback(
  state: Pick<DeploymentState, 'deployment' | 'replicaSets'>,
  binding: Pick<DeploymentLocation, 'name' | 'namespace' | 'deploymentName'>,
  options: RollbackRequestOptions & { changedWhileWaiting?: boolean },
): RollbackPlan {
  const { deployment, replicaSets } = state;
  const where = `${binding.deploymentName} in ${binding.namespace}`;
  const current = refOf(deployment);
  const live = liveReplicaSet(state);

  if (deployment.spec?.paused) {
    throw deliveryError(
      'deployment-paused',
      `${where} is paused: resume it (kubectl rollout resume deployment/${binding.deploymentName} -n ${binding.namespace}) before rolling back`,
      { currentRevision: current.revision },
    );
  }

  const wanted = options.toRevision;
  const liveWasWanted =
    wanted !== undefined &&
    live !== undefined &&
    (revisionOf(live) === wanted || formerRevisionsOf(live).includes(wanted));

  if (
    options.expectedCurrentRevision !== undefined &&
    options.expectedCurrentRevision !== current.revision
  ) {
    if (
      liveWasWanted ||
      (wanted === undefined && options.changedWhileWaiting)
    ) {
      return {
        kind: 'no-op',
        from: current,
        to: current,
        message: `already at revision ${current.revision}${
          wanted !== undefined && wanted !== current.revision
            ? ` (the template of revision ${wanted})`
            : ''
        }: another rollback of ${binding.name} just did it`,
      };
    }
    throw deliveryError(
      'revision-changed',
      `${binding.name} is at revision ${current.revision} now, not ${options.expectedCurrentRevision} as you saw it: someone deployed or rolled back meanwhile; look again before rolling back`,
      { currentRevision: current.revision },
    );
  }

  let target: V1ReplicaSet | undefined;
  if (wanted === undefined) {
    // kubectl: the second highest revision among the Deployment's ReplicaSets.
    const revisions = [
      ...new Set(replicaSets.map(revisionOf).filter(r => r > 0)),
    ].sort((a, b) => b - a);
    const previous = revisions[1];
    target =
      previous === undefined
        ? undefined
        : replicaSets.find(rs => revisionOf(rs) === previous);
    if (!target) {
      throw deliveryError(
        'no-previous-revision',
        `${where} has no previous revision to roll back to`,
        { currentRevision: current.revision },
      );
    }
  } else {
    target = replicaSets.find(rs => revisionOf(rs) === wanted);
    if (!target && liveWasWanted) target = live;
    if (!target) {
      const known = replicaSets
        .map(revisionOf)
        .sort((a, b) => b - a)
        .join(', ');
      throw deliveryError(
        'unknown-revision',
        `${where} has no revision ${wanted} (revisions: ${known || 'none'})`,
        { currentRevision: current.revision },
      );
    }
  }

  const to = refOf(target);
  if (target === live) {
    return {
      kind: 'no-op',
      from: current,
      to: { revision: current.revision, image: to.image },
      message: `already at revision ${current.revision}${
        wanted !== undefined && wanted !== current.revision
          ? ` (the template of revision ${wanted})`
          : ''
      }`,
    };
  }

  const resourceVersion = deployment.metadata?.resourceVersion;
  if (!resourceVersion) {
    throw new Error(
      `${where} has no resourceVersion; refusing an unguarded patch`,
    );
  }
  const template = JSON.parse(
    JSON.stringify(withoutTemplateHash(target.spec?.template)),
  );
  const annotationsExist = deployment.metadata?.annotations !== undefined;
  return {
    kind: 'patch',
    from: current,
    to,
    newRevision: Math.max(0, ...replicaSets.map(revisionOf)) + 1,
    patch: [
      { op: 'test', path: '/metadata/resourceVersion', value: resourceVersion },
      { op: 'replace', path: '/spec/template', value: template },
      annotationsExist
        ? {
            op: 'add',
            path: `/metadata/annotations/${pointer(CHANGE_CAUSE_ANNOTATION)}`,
            value: options.changeCause,
          }
        : {
            op: 'add',
            path: '/metadata/annotations',
            value: { [CHANGE_CAUSE_ANNOTATION]: options.changeCause },
          },
    ],
  };
}

/** Runs one async task at a time per key: two clicks on one Deployment queue, they never interleave. */
export class KeyedMutex {
  private readonly tails = new Map<string, Promise<unknown>>();

  async run<T>(key: string, task: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    const result = previous.catch(() => undefined).then(task);
    const tail = result.catch(() => undefined);
    this.tails.set(key, tail);
    try {
      return await result;
    } finally {
      if (this.tails.get(key) === tail) this.tails.delete(key);
    }
  }
}

export type RollbackResult =
  | {
      kind: 'no-op';
      from: RevisionRef;
      to: RevisionRef;
      message: string;
      rollout: RolloutStatus;
    }
  | {
      kind: 'rolled-back';
      from: RevisionRef;
      to: RevisionRef;
      newRevision: number;
      message: string;
      rollout: RolloutStatus;
      generation: number;
    };

/**
 * Applies rollbacks: serialized per Deployment in this process, and guarded across processes by
 * the resourceVersion `test` in the patch and the caller's expected revision.
 */
export class Rollbacks {
  private readonly mutex = new KeyedMutex();
  /** Rollbacks applied per Deployment by this process: tells a queued request that one happened. */
  private readonly applied = new Map<string, number>();

  async rollback(
    clients: ClusterClients,
    binding: DeploymentLocation,
    options: RollbackRequestOptions,
  ): Promise<RollbackResult> {
    const key = `${binding.cluster}/${binding.namespace}/${binding.deploymentName}`;
    const seenApplied = this.applied.get(key) ?? 0;
    return this.mutex.run(key, async () => {
      const state = await readDeploymentState(clients, binding);
      const plan = planRollback(state, binding, {
        ...options,
        changedWhileWaiting: (this.applied.get(key) ?? 0) !== seenApplied,
      });
      if (plan.kind === 'no-op') {
        return {
          ...plan,
          rollout: rolloutStatusOf(binding, state.deployment, new Date()),
        };
      }
      const patched = await clients.apps
        .patchNamespacedDeployment(
          {
            name: binding.deploymentName,
            namespace: binding.namespace,
            body: plan.patch,
          },
          setHeaderOptions('Content-Type', PatchStrategy.JsonPatch),
        )
        .catch(failedTo('patch', 'deployments', binding));
      this.applied.set(key, (this.applied.get(key) ?? 0) + 1);
      return {
        kind: 'rolled-back',
        from: plan.from,
        to: plan.to,
        newRevision: plan.newRevision,
        message: `Rolled back ${binding.name} (${binding.namespace}) from revision ${plan.from.revision} (${plan.from.image}) to revision ${plan.to.revision} (${plan.to.image}), live as revision ${plan.newRevision}`,
        rollout: rolloutStatusOf(binding, patched, new Date()),
        generation: patched.metadata?.generation ?? 0,
      };
    });
  }
}
