import { Entity } from '@backstage/catalog-model';
import {
  DeliveryEnvironment,
  DeliveryErrorReason,
  EnvironmentKubernetes,
  EnvironmentSourceError,
  GitHubDeploymentSummary,
  PendingApproval,
  reasonOf,
} from '@internal/plugin-delivery-common';
import {
  namespaceOwnershipProblem,
  readNamespaceOwner,
} from '../access/resourceOwnership';
import { RepositoryRef } from '../github/types';
import { KubernetesClusters } from '../kubernetes/clusters';
import {
  readDeploymentState,
  summarizeDeployment,
} from '../kubernetes/deploymentStatus';
import { ApprovalQuorum } from './approvalQuorum';
import { DeploymentApprovals } from './deploymentApprovals';
import { EnvironmentBinding } from './environmentBindings';
import { SnapshotCache } from './snapshotCache';

function sourceError(
  error: unknown,
  fallback: DeliveryErrorReason,
): EnvironmentSourceError {
  const { statusCode, message } = (error ?? {}) as {
    statusCode?: number;
    message?: string;
  };
  return {
    reason: reasonOf(error) ?? fallback,
    message: message ?? String(error),
    ...(statusCode ? { statusCode } : {}),
  };
}

function statusCodeOf(error: unknown): number | undefined {
  const name = (error as Error)?.name;
  switch (name) {
    case 'NotAllowedError':
      return 403;
    case 'NotFoundError':
      return 404;
    case 'ConflictError':
      return 409;
    default:
      return undefined;
  }
}

function githubErrorOf(...results: unknown[]): EnvironmentSourceError | null {
  const failure = results.find(result => result instanceof Error);
  return failure ? sourceError(failure, 'github-unavailable') : null;
}

/**
 * Reads what runs in each environment: Kubernetes through the configured clusters (one short-lived
 * snapshot per Deployment, shared by concurrent viewers) and GitHub deployments, statuses and
 * waiting runs through the delivery plugin's GitHub cache.
 */
export class EnvironmentsReader {
  private readonly deploymentsCache: SnapshotCache<EnvironmentKubernetes>;
  private readonly githubDeploymentsCache: SnapshotCache<
    GitHubDeploymentSummary[]
  >;
  private readonly waitingRunsCache: SnapshotCache<PendingApproval[]>;
  private readonly namespaceOwnersCache: SnapshotCache<string | undefined>;

  constructor(
    private readonly options: {
      clusters: KubernetesClusters;
      approvals: DeploymentApprovals;
      /** The approvals recorded for environments needing several people. */
      quorum?: Pick<ApprovalQuorum, 'withVotes'>;
      /** How long one read serves viewers before it is refreshed, in ms. */
      snapshotMs: number;
      now?: () => number;
    },
  ) {
    const now = options.now ?? Date.now;
    this.deploymentsCache = new SnapshotCache(options.snapshotMs, now);
    this.githubDeploymentsCache = new SnapshotCache(options.snapshotMs, now);
    this.waitingRunsCache = new SnapshotCache(options.snapshotMs, now);
    this.namespaceOwnersCache = new SnapshotCache(options.snapshotMs, now);
  }

  private key(binding: EnvironmentBinding): string {
    return `${binding.cluster}/${binding.namespace}/${binding.deploymentName}`;
  }

  private repositoryKey(repo: RepositoryRef): string {
    return `${repo.host}/${repo.owner}/${repo.name}/`;
  }

  /** Forgets the snapshot of a Deployment the portal just changed. */
  invalidate(binding: EnvironmentBinding): void {
    this.deploymentsCache.invalidate(this.key(binding));
  }

  /** Forgets what GitHub said about a repository the portal just changed (e.g. a review). */
  invalidateRepository(repo: RepositoryRef): void {
    this.waitingRunsCache.invalidatePrefix(this.repositoryKey(repo));
    this.githubDeploymentsCache.invalidatePrefix(this.repositoryKey(repo));
  }

  kubernetes(binding: EnvironmentBinding): Promise<EnvironmentKubernetes> {
    return this.deploymentsCache.get(this.key(binding), () =>
      readDeploymentState(
        this.options.clusters.forCluster(binding.cluster),
        binding,
      ).then(state => summarizeDeployment(binding, state)),
    );
  }

  private namespaceOwner(
    binding: EnvironmentBinding,
  ): Promise<string | undefined> {
    return this.namespaceOwnersCache.get(
      `${binding.cluster}/${binding.namespace}`,
      () =>
        readNamespaceOwner(
          this.options.clusters.forCluster(binding.cluster),
          binding,
        ),
    );
  }

  /** Why the entity may not roll the environment back (as the write will check), or null. */
  private async rollbackBlockedReason(
    entity: Entity,
    binding: EnvironmentBinding,
  ): Promise<string | null> {
    try {
      return namespaceOwnershipProblem(
        entity,
        binding,
        await this.namespaceOwner(binding),
      );
    } catch (error) {
      return `The owner of namespace ${binding.namespace} could not be read: ${
        (error as Error).message
      }`;
    }
  }

  private githubDeployments(
    repo: RepositoryRef,
    githubEnvironment: string,
  ): Promise<GitHubDeploymentSummary[]> {
    return this.githubDeploymentsCache.get(
      `${this.repositoryKey(repo)}${githubEnvironment}`,
      () => this.options.approvals.deployments(repo, githubEnvironment),
    );
  }

  private waitingRuns(
    repo: RepositoryRef,
    bindings: EnvironmentBinding[],
  ): Promise<PendingApproval[]> {
    const names = bindings.map(b => `${b.name}=${b.githubEnvironment}`);
    return this.waitingRunsCache.get(
      `${this.repositoryKey(repo)}${names.join(',')}`,
      async () => {
        const runs = await this.options.approvals.waitingRuns(repo, bindings);
        return this.options.quorum
          ? this.options.quorum.withVotes(repo, runs)
          : runs;
      },
    );
  }

  async read(
    entity: Entity,
    bindings: EnvironmentBinding[],
    repo: RepositoryRef | Error,
  ): Promise<{
    environments: DeliveryEnvironment[];
    pendingApprovals: PendingApproval[];
  }> {
    const pending: Promise<PendingApproval[] | Error> =
      repo instanceof Error
        ? Promise.resolve(repo)
        : this.waitingRuns(repo, bindings).catch((error: Error) => error);
    const environments = await Promise.all(
      bindings.map(async binding => {
        const [kubernetes, deployments, rollbackBlockedReason] =
          await Promise.all([
            this.kubernetes(binding).catch((error: Error) => error),
            repo instanceof Error
              ? Promise.resolve(repo)
              : this.githubDeployments(repo, binding.githubEnvironment).catch(
                  (error: Error) => error,
                ),
            this.rollbackBlockedReason(entity, binding),
          ]);
        return { binding, kubernetes, deployments, rollbackBlockedReason };
      }),
    );
    const waiting = await pending;
    const pendingApprovals = waiting instanceof Error ? [] : waiting;
    // No Deployment (or namespace) yet is not a failure: the environment is not deployed.
    const notDeployed = (kubernetes: EnvironmentKubernetes | Error) =>
      reasonOf(kubernetes) === 'deployment-not-found';
    return {
      pendingApprovals,
      environments: environments.map(
        ({ binding, kubernetes, deployments, rollbackBlockedReason }) => ({
          name: binding.name,
          githubEnvironment: binding.githubEnvironment,
          cluster: binding.cluster,
          namespace: binding.namespace,
          deploymentName: binding.deploymentName,
          kubernetes: kubernetes instanceof Error ? null : kubernetes,
          kubernetesError:
            kubernetes instanceof Error && !notDeployed(kubernetes)
              ? {
                  ...sourceError(kubernetes, 'kubernetes-unreachable'),
                  statusCode: statusCodeOf(kubernetes) ?? 503,
                }
              : null,
          githubDeployments:
            deployments instanceof Error
              ? []
              : (deployments as GitHubDeploymentSummary[]),
          githubError: githubErrorOf(deployments, waiting),
          pendingApproval:
            pendingApprovals.find(approval =>
              approval.environments.some(
                e => e.githubEnvironment === binding.githubEnvironment,
              ),
            ) ?? null,
          rollbackBlockedReason,
        }),
      ),
    };
  }
}
