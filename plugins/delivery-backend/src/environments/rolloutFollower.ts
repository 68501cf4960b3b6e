import {
  BackstageCredentials,
  LoggerService,
} from '@backstage/backend-plugin-api';
import { parseEntityRef } from '@backstage/catalog-model';
import { AuditEntry, RolloutStatus } from '@internal/plugin-delivery-common';
import { EntityAccess } from '../access/entityAccess';
import {
  ClusterClients,
  DeploymentLocation,
  KubernetesClusters,
} from '../kubernetes/clusters';
import { rolloutStatusOf } from '../kubernetes/deploymentStatus';
import { AuditTrail } from './auditTrail';
import { EnvironmentBinding, EnvironmentBindings } from './environmentBindings';
import { EnvironmentsReader } from './environmentsReader';

/**
 * Follows a rollout until the Deployment observed `generation` and finished, or stalled
 * (ProgressDeadlineExceeded), or `timeoutMs` passed (then the last status, still progressing).
 */
export async function followRollout(
  clients: ClusterClients,
  binding: DeploymentLocation,
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

/**
 * Follows applied rollbacks' rollouts in the background until they complete, stall or pause, and
 * records how each ended on its audit entry — also the ones a stopped backend left unfinished.
 */
export class RolloutFollower {
  /** The rollouts this process follows, by audit entry id. */
  private readonly following = new Map<number, AbortController>();

  constructor(
    private readonly options: {
      clusters: KubernetesClusters;
      auditTrail: AuditTrail;
      access: EntityAccess;
      bindings: EnvironmentBindings;
      reader: EnvironmentsReader;
      logger: LoggerService;
      /** How often the rollout is read. */
      intervalMs: number;
      /** When to stop following a rollout that neither completes nor stalls. */
      timeoutMs: number;
    },
  ) {}

  /** Follows an applied rollback's rollout and records how it ended. */
  follow(
    binding: EnvironmentBinding,
    generation: number,
    auditId: number,
    timeoutMs = this.options.timeoutMs,
  ): void {
    const { auditTrail, logger, reader } = this.options;
    const controller = new AbortController();
    this.following.set(auditId, controller);
    followRollout(this.options.clusters.forCluster(binding.cluster), binding, {
      generation,
      intervalMs: this.options.intervalMs,
      timeoutMs,
      signal: controller.signal,
    })
      .then(async status => {
        reader.invalidate(binding);
        if (controller.signal.aborted) return;
        await auditTrail.rolloutFinished(
          auditId,
          status.phase,
          status.completedAt ?? status.observedAt,
        );
        logger.info(
          `Rollback of ${binding.deploymentName} in ${binding.namespace}: rollout ${status.phase} (${status.message})`,
        );
      })
      .catch(error => {
        logger.warn(
          `Lost track of the rollout of ${binding.deploymentName} in ${binding.namespace}: ${error}`,
        );
      })
      .finally(() => {
        if (this.following.get(auditId) === controller) {
          this.following.delete(auditId);
        }
      });
  }

  /**
   * Follows the rollouts of rollbacks that no process of this one follows and no process saw end
   * (a restart mid-rollout, or another replica stopped), so no audit entry stays "progressing".
   * Each is followed for what remains of its follow window; one already past it records the phase
   * the cluster shows now. Two replicas following one rollout record its end once.
   */
  async resume(credentials: BackstageCredentials): Promise<void> {
    const { auditTrail, logger } = this.options;
    let unfinished: AuditEntry[];
    try {
      unfinished = await auditTrail.unfinishedRollouts();
    } catch (error) {
      logger.error(`Could not read unfinished rollbacks: ${error}`);
      return;
    }
    for (const entry of unfinished) {
      if (this.following.has(entry.id)) continue;
      try {
        const entity = await this.options.access.entity(
          parseEntityRef(entry.entityRef),
          credentials,
        );
        const binding = this.options.bindings.named(entity, entry.environment);
        const deployment = await this.options.clusters
          .forCluster(binding.cluster)
          .apps.readNamespacedDeployment({
            name: binding.deploymentName,
            namespace: binding.namespace,
          });
        const remainingMs =
          Date.parse(entry.at) + this.options.timeoutMs - Date.now();
        this.follow(
          binding,
          deployment.metadata?.generation ?? 0,
          entry.id,
          Math.max(remainingMs, 0),
        );
      } catch (error) {
        logger.warn(
          `Cannot follow the rollback of audit entry ${entry.id} (${entry.entityRef}, ${entry.environment}) again: ${error}`,
        );
      }
    }
  }

  /** Stops following (backend shutdown). */
  stop(): void {
    for (const controller of this.following.values()) controller.abort();
  }
}
