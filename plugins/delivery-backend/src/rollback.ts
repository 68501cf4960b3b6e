import { ConflictError, NotFoundError } from '@backstage/errors';
import {
  EnvironmentErrorDetails,
  RevisionRef,
  RolloutStatus,
} from '@internal/plugin-delivery-common';
import {
  PatchStrategy,
  V1Deployment,
  V1ReplicaSet,
  setHeaderOptions,
} from '@kubernetes/client-node';
import { EnvironmentBinding } from './environmentBindings';
import { ClusterClients, kubernetesFailure } from './kubernetes/clusters';
import {
  DeploymentState,
  formerRevisionsOf,
  imageOfTemplate,
  liveReplicaSet,
  readDeploymentState,
  revisionOf,
  rolloutStatusOf,
  withoutTemplateHash,
} from './kubernetes/deploymentStatus';

const CHANGE_CAUSE_ANNOTATION = 'kubernetes.io/change-cause';

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

function conflict(
  message: string,
  details: EnvironmentErrorDetails,
): ConflictError {
  return Object.assign(new ConflictError(message), { details });
}

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
  binding: Pick<EnvironmentBinding, 'name' | 'namespace' | 'deploymentName'>,
  options: RollbackRequestOptions & { changedWhileWaiting?: boolean },
): RollbackPlan {
  const { deployment, replicaSets } = state;
  const where = `${binding.deploymentName} in ${binding.namespace}`;
  const current = refOf(deployment);
  const live = liveReplicaSet(state);

  if (deployment.spec?.paused) {
    throw conflict(
      `${where} is paused: resume it (kubectl rollout resume deployment/${binding.deploymentName} -n ${binding.namespace}) before rolling back`,
      { reason: 'deployment-paused', currentRevision: current.revision },
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
    throw conflict(
      `${binding.name} is at revision ${current.revision} now, not ${options.expectedCurrentRevision} as you saw it: someone deployed or rolled back meanwhile; look again before rolling back`,
      { reason: 'revision-changed', currentRevision: current.revision },
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
      throw conflict(`${where} has no previous revision to roll back to`, {
        reason: 'no-previous-revision',
        currentRevision: current.revision,
      });
    }
  } else {
    target = replicaSets.find(rs => revisionOf(rs) === wanted);
    if (!target && liveWasWanted) target = live;
    if (!target) {
      const known = replicaSets
        .map(revisionOf)
        .sort((a, b) => b - a)
        .join(', ');
      throw Object.assign(
        new NotFoundError(
          `${where} has no revision ${wanted} (revisions: ${known || 'none'})`,
        ),
        {
          details: {
            reason: 'unknown-revision',
            currentRevision: current.revision,
          },
        },
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
    binding: EnvironmentBinding,
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
        .catch(error => {
          throw kubernetesFailure(error, {
            verb: 'patch',
            resource: 'deployments',
            namespace: binding.namespace,
            cluster: binding.cluster,
          });
        });
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

/**
 * Follows a rollout until the Deployment observed `generation` and finished, or stalled
 * (ProgressDeadlineExceeded), or `timeoutMs` passed (then the last status, still progressing).
 */
export async function followRollout(
  clients: ClusterClients,
  binding: EnvironmentBinding,
  options: {
    generation: number;
    intervalMs: number;
    timeoutMs: number;
    signal?: AbortSignal;
  },
): Promise<RolloutStatus> {
  const deadline = Date.now() + options.timeoutMs;
  for (;;) {
    let status: RolloutStatus | undefined;
    try {
      const deployment = await clients.apps.readNamespacedDeployment({
        name: binding.deploymentName,
        namespace: binding.namespace,
      });
      status = rolloutStatusOf(binding, deployment, new Date());
      const observed =
        (deployment.status?.observedGeneration ?? 0) >= options.generation;
      if (
        observed &&
        (status.phase === 'complete' ||
          status.phase === 'stalled' ||
          status.phase === 'paused')
      ) {
        return status;
      }
    } catch (error) {
      if (Date.now() > deadline) throw error;
    }
    if (Date.now() > deadline || options.signal?.aborted) {
      if (status) return status;
      throw new Error(
        `gave up following the rollout of ${binding.deploymentName} in ${binding.namespace}`,
      );
    }
    // Stopping (backend shutdown) ends the wait at once.
    await new Promise<void>(resolve => {
      const timer = setTimeout(resolve, options.intervalMs);
      options.signal?.addEventListener(
        'abort',
        () => {
          clearTimeout(timer);
          resolve();
        },
        { once: true },
      );
    });
  }
}
