import {
  DeliveryEnvironment,
  EnvironmentErrorDetails,
  EnvironmentKubernetes,
  EnvironmentSourceError,
  GitHubDeploymentSummary,
  PendingApproval,
} from '@internal/plugin-delivery-common';
import { DeploymentApprovals } from './deploymentApprovals';
import { EnvironmentBinding } from './environmentBindings';
import { RepositoryRef } from './githubClient';
import { KubernetesClusters } from './kubernetes/clusters';
import {
  readDeploymentState,
  summarizeDeployment,
} from './kubernetes/deploymentStatus';

interface Snapshot<T> {
  value: Promise<T>;
  at: number;
}

function sourceError(
  error: unknown,
  fallback: EnvironmentSourceError['reason'],
): EnvironmentSourceError {
  const { details, statusCode, message } = (error ?? {}) as {
    details?: Partial<EnvironmentErrorDetails>;
    statusCode?: number;
    message?: string;
  };
  const reason =
    (details?.reason as EnvironmentSourceError['reason']) ?? fallback;
  return {
    reason,
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
  private readonly snapshots = new Map<
    string,
    Snapshot<EnvironmentKubernetes>
  >();

  constructor(
    private readonly options: {
      clusters: KubernetesClusters;
      approvals: DeploymentApprovals;
      /** How long one read of a Deployment serves viewers, in ms. */
      snapshotMs: number;
      now?: () => number;
    },
  ) {}

  private now(): number {
    return (this.options.now ?? Date.now)();
  }

  private key(binding: EnvironmentBinding): string {
    return `${binding.cluster}/${binding.namespace}/${binding.deploymentName}`;
  }

  /** Forgets the snapshot of a Deployment the portal just changed. */
  invalidate(binding: EnvironmentBinding): void {
    this.snapshots.delete(this.key(binding));
  }

  async kubernetes(
    binding: EnvironmentBinding,
  ): Promise<EnvironmentKubernetes> {
    const key = this.key(binding);
    const now = this.now();
    const snapshot = this.snapshots.get(key);
    if (snapshot && now - snapshot.at < this.options.snapshotMs) {
      return snapshot.value;
    }
    const value = readDeploymentState(
      this.options.clusters.forCluster(binding.cluster),
      binding,
    ).then(state => summarizeDeployment(binding, state));
    this.snapshots.set(key, { value, at: now });
    // A failed read is not served to the next viewer.
    value.catch(() => {
      if (this.snapshots.get(key)?.value === value) this.snapshots.delete(key);
    });
    return value;
  }

  async read(
    bindings: EnvironmentBinding[],
    repo: RepositoryRef | Error,
  ): Promise<{
    environments: DeliveryEnvironment[];
    pendingApprovals: PendingApproval[];
  }> {
    const pending: Promise<PendingApproval[] | Error> =
      repo instanceof Error
        ? Promise.resolve(repo)
        : this.options.approvals
            .waitingRuns(repo, bindings)
            .catch((error: Error) => error);
    const environments = await Promise.all(
      bindings.map(async binding => {
        const [kubernetes, deployments] = await Promise.all([
          this.kubernetes(binding).catch((error: Error) => error),
          repo instanceof Error
            ? Promise.resolve(repo)
            : this.options.approvals
                .deployments(repo, binding.githubEnvironment)
                .catch((error: Error) => error),
        ]);
        return { binding, kubernetes, deployments };
      }),
    );
    const waiting = await pending;
    const pendingApprovals = waiting instanceof Error ? [] : waiting;
    return {
      pendingApprovals,
      environments: environments.map(
        ({ binding, kubernetes, deployments }) => ({
          name: binding.name,
          githubEnvironment: binding.githubEnvironment,
          cluster: binding.cluster,
          namespace: binding.namespace,
          deploymentName: binding.deploymentName,
          kubernetes: kubernetes instanceof Error ? null : kubernetes,
          kubernetesError:
            kubernetes instanceof Error
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
        }),
      ),
    };
  }
}
