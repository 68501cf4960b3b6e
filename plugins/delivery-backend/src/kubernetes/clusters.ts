import { Config } from '@backstage/config';
import {
  ConflictError,
  InputError,
  NotAllowedError,
  NotFoundError,
  ServiceUnavailableError,
} from '@backstage/errors';
import { EnvironmentErrorDetails } from '@internal/plugin-delivery-common';
import {
  ApiException,
  AppsV1Api,
  CoreV1Api,
  KubeConfig,
} from '@kubernetes/client-node';

/** One cluster from `delivery.kubernetes.clusters`; its credentials never leave the backend. */
export interface ClusterConfig {
  name: string;
  url: string;
  serviceAccountToken: string;
  skipTLSVerify: boolean;
  caData?: string;
}

export interface ClusterClients {
  name: string;
  apps: AppsV1Api;
  core: CoreV1Api;
}

export function readClusterConfigs(config: Config): ClusterConfig[] {
  const clusters =
    config
      .getOptionalConfigArray('delivery.kubernetes.clusters')
      ?.map(cluster => ({
        name: cluster.getString('name'),
        url: cluster.getString('url').replace(/\/+$/, ''),
        serviceAccountToken: cluster.getString('serviceAccountToken'),
        skipTLSVerify: cluster.getOptionalBoolean('skipTLSVerify') ?? false,
        caData: cluster.getOptionalString('caData'),
      })) ?? [];
  const names = clusters.map(c => c.name);
  const duplicate = names.find((name, index) => names.indexOf(name) !== index);
  if (duplicate) {
    throw new InputError(
      `delivery.kubernetes.clusters: cluster "${duplicate}" appears twice`,
    );
  }
  return clusters;
}

/** @kubernetes/client-node clients per configured cluster, built once and reused. */
export class KubernetesClusters {
  private readonly clients = new Map<string, ClusterClients>();

  static fromConfig(config: Config): KubernetesClusters {
    return new KubernetesClusters(readClusterConfigs(config));
  }

  constructor(private readonly clusters: ClusterConfig[]) {}

  get names(): string[] {
    return this.clusters.map(c => c.name);
  }

  /** The cluster environments use when they name none: the first configured. */
  get defaultCluster(): string | undefined {
    return this.clusters[0]?.name;
  }

  has(name: string): boolean {
    return this.clusters.some(c => c.name === name);
  }

  forCluster(name: string): ClusterClients {
    let clients = this.clients.get(name);
    if (!clients) {
      const cluster = this.clusters.find(c => c.name === name);
      if (!cluster) {
        throw new NotFoundError(
          `No cluster "${name}" in delivery.kubernetes.clusters (configured: ${
            this.names.join(', ') || 'none'
          })`,
        );
      }
      const kubeConfig = kubeConfigOf(cluster);
      clients = {
        name,
        apps: kubeConfig.makeApiClient(AppsV1Api),
        core: kubeConfig.makeApiClient(CoreV1Api),
      };
      this.clients.set(name, clients);
    }
    return clients;
  }
}

export function kubeConfigOf(cluster: ClusterConfig): KubeConfig {
  const kubeConfig = new KubeConfig();
  kubeConfig.loadFromOptions({
    clusters: [
      {
        name: cluster.name,
        server: cluster.url,
        // client-node 2.x refuses plain http unless verification is off; http has no TLS to verify.
        skipTLSVerify: cluster.skipTLSVerify || cluster.url.startsWith('http:'),
        caData: cluster.caData,
      },
    ],
    users: [{ name: cluster.name, token: cluster.serviceAccountToken }],
    contexts: [
      { name: cluster.name, cluster: cluster.name, user: cluster.name },
    ],
    currentContext: cluster.name,
  });
  return kubeConfig;
}

/** What the backend was doing when the cluster answered, for messages people can act on. */
export interface KubernetesAction {
  /** RBAC verb: get, list, patch. */
  verb: string;
  /** e.g. deployments, replicasets, pods */
  resource: string;
  namespace: string;
  cluster: string;
}

/** The Status object's message from a client-node ApiException body (a string or parsed JSON). */
export function kubernetesStatusMessage(error: unknown): string {
  if (!(error instanceof ApiException)) {
    return error instanceof Error ? error.message : String(error);
  }
  let body: unknown = error.body;
  if (typeof body === 'string') {
    const text = body;
    try {
      body = JSON.parse(text);
    } catch {
      return text || `HTTP ${error.code}`;
    }
  }
  const message = (body as { message?: unknown } | undefined)?.message;
  return typeof message === 'string' ? message : `HTTP ${error.code}`;
}

function withDetails<E extends Error>(
  error: E,
  details: EnvironmentErrorDetails,
): E {
  return Object.assign(error, { details });
}

/**
 * Turns a cluster's refusal into a @backstage/errors error that names what the portal tried,
 * where, and quotes the cluster: a 403 is the portal's RBAC, not the user's permission.
 */
export function kubernetesFailure(
  error: unknown,
  action: KubernetesAction,
): Error {
  const where = `${action.namespace} (cluster ${action.cluster})`;
  const quoted = kubernetesStatusMessage(error);
  if (!(error instanceof ApiException)) {
    return withDetails(
      new ServiceUnavailableError(
        `Could not reach Kubernetes cluster ${action.cluster} to ${action.verb} ${action.resource} in ${action.namespace}: ${quoted}`,
      ),
      { reason: 'kubernetes-unreachable' },
    );
  }
  switch (error.code) {
    case 401:
      return withDetails(
        new NotAllowedError(
          `Kubernetes cluster ${action.cluster} rejected the portal's credentials (401): check delivery.kubernetes.clusters serviceAccountToken`,
        ),
        { reason: 'kubernetes-forbidden' },
      );
    case 403:
      return withDetails(
        new NotAllowedError(
          `the portal's Kubernetes credentials may not ${action.verb} ${action.resource} in ${where}: ${quoted}`,
        ),
        { reason: 'kubernetes-forbidden' },
      );
    case 404:
      return withDetails(
        new NotFoundError(`Not found in ${where}: ${quoted}`),
        { reason: 'deployment-not-found' },
      );
    case 409:
    case 422:
      return withDetails(
        new ConflictError(
          `The Deployment in ${where} changed while the portal was updating it; reload and try again (${quoted})`,
        ),
        { reason: 'concurrent-change' },
      );
    default:
      return withDetails(
        new ServiceUnavailableError(
          `Kubernetes cluster ${action.cluster} failed to ${action.verb} ${action.resource} in ${action.namespace} (HTTP ${error.code}): ${quoted}`,
        ),
        { reason: 'kubernetes-unreachable' },
      );
  }
}
