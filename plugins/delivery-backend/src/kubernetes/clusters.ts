import { NotFoundError } from '@backstage/errors';
import { AppsV1Api, CoreV1Api, KubeConfig } from '@kubernetes/client-node';

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

/** Where one environment's Deployment runs. */
export interface DeploymentLocation {
  /** The environment's name (dev, staging, prod), as rollout statuses report it. */
  name: string;
  cluster: string;
  namespace: string;
  deploymentName: string;
}

/** @kubernetes/client-node clients per configured cluster, built once and reused. */
export class KubernetesClusters {
  private readonly clients = new Map<string, ClusterClients>();

  constructor(private readonly clusters: ClusterConfig[]) {}

  get names(): string[] {
    return this.clusters.map(c => c.name);
  }

  /** The cluster environments use when they name none: the first configured. */
  get defaultCluster(): string | undefined {
    return this.clusters[0]?.name;
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
