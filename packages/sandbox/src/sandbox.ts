/*
 * The whole sandbox in one call: the GitHub, Kubernetes and SonarCloud servers over one world,
 * with deploy jobs the GitHub side runs rolled out on the Kubernetes side.
 */

import { LiveDeployJob } from './github/actionsEngine';
import { GitHubSandbox, startGitHubServer } from './github/server';
import { imageFor } from './world/releases';
import {
  ADMIN_TOKEN,
  KubernetesSandbox,
  KubernetesServerOptions,
  KubernetesSnapshot,
  startKubernetesServer,
} from './kubernetes';
import { SonarSandbox, startSonarServer } from './sonarcloud/server';
import { SandboxWorld } from './world/sandboxWorld';

/** Contract default ports (127.0.0.1); tests pass 0 for ephemeral ports. */
export const DEFAULT_PORTS = {
  github: 7080,
  kubernetes: 7081,
  sonar: 7082,
} as const;

export interface SandboxOptions {
  host?: string;
  githubPort?: number;
  kubernetesPort?: number;
  sonarPort?: number;
  /**
   * `seed` (default) for the deterministic world, or a JSON snapshot (text) to start from: one
   * written by `Sandbox.snapshot()` (GitHub, SonarCloud and Kubernetes) or by
   * `SandboxWorld.toJSON()` (GitHub and SonarCloud; the cluster is then seeded).
   */
  seed?: 'seed' | { snapshot: string };
  /** Speed of live jobs (approved deploys, re-runs): 1 is real time; default 0.05. */
  timeScale?: number;
  /**
   * Deploy jobs the GitHub sandbox runs live (an approved production deployment, a re-run) set
   * the image in the Kubernetes sandbox, as the real pipeline's `kubectl set image` does.
   * Default true.
   */
  followDeploys?: boolean;
  /**
   * Workflows of repositories created through the API run their service's own npm scripts
   * (install, lint, typecheck, tests) for real instead of deriving the result from the tree.
   * Takes minutes; default false.
   */
  realTests?: boolean;
  /** Further Kubernetes server options (controller timing, TLS, crashing images). */
  kubernetes?: Omit<KubernetesServerOptions, 'host' | 'port'>;
}

export interface Sandbox {
  github: GitHubSandbox;
  kubernetes: KubernetesSandbox;
  sonarcloud: SonarSandbox;
  world: SandboxWorld;
  /** The whole sandbox (world and cluster) as JSON, for `seed: { snapshot }` or `--load`. */
  snapshot(): string;
  close(): Promise<void>;
}

interface CombinedSnapshot {
  titanicSandbox: 1;
  world: unknown;
  kubernetes: KubernetesSnapshot;
}

const NAMESPACE_BY_GITHUB_ENVIRONMENT: Record<string, string> = {
  dev: 'titanic-dev',
  staging: 'titanic-staging',
  production: 'titanic-prod',
};

/** What the pipeline's deploy job does: `kubectl set image deployment/titanic-service …`. */
async function setImage(server: string, deploy: LiveDeployJob): Promise<void> {
  const namespace = NAMESPACE_BY_GITHUB_ENVIRONMENT[deploy.environment];
  if (!namespace) return;
  const url = `${server}/apis/apps/v1/namespaces/${namespace}/deployments/titanic-service`;
  const headers = { authorization: `Bearer ${ADMIN_TOKEN}` };
  const current = await fetch(url, { headers });
  if (!current.ok) throw new Error(`GET ${url}: ${current.status}`);
  const deployment = await current.json();
  const index = deployment.spec.template.spec.containers.findIndex(
    (container: { name: string }) => container.name === 'titanic-service',
  );
  const patched = await fetch(url, {
    method: 'PATCH',
    headers: { ...headers, 'content-type': 'application/json-patch+json' },
    body: JSON.stringify([
      {
        op: 'replace',
        path: `/spec/template/spec/containers/${index}/image`,
        value: imageFor(deploy.imageTag),
      },
    ]),
  });
  if (!patched.ok)
    throw new Error(`PATCH ${url}: ${patched.status} ${await patched.text()}`);
}

/**
 * Starts the GitHub, Kubernetes and SonarCloud servers (ports default to 0 = ephemeral). GitHub
 * and SonarCloud share one world; the Kubernetes cluster is seeded from the same releases.
 */
export async function startSandbox(
  options: SandboxOptions = {},
): Promise<Sandbox> {
  let world = SandboxWorld.seeded;
  let kubernetesSnapshot: KubernetesSnapshot | undefined;
  if (options.seed && options.seed !== 'seed') {
    const text = options.seed.snapshot;
    const parsed = JSON.parse(text) as Partial<CombinedSnapshot>;
    if (parsed.titanicSandbox === 1) {
      world = () => SandboxWorld.fromSnapshot(JSON.stringify(parsed.world));
      kubernetesSnapshot = parsed.kubernetes;
    } else {
      world = () => SandboxWorld.fromSnapshot(text);
    }
  }
  return startServers(options, world(), kubernetesSnapshot);
}

async function startServers(
  options: SandboxOptions,
  world: SandboxWorld,
  kubernetesSnapshot: KubernetesSnapshot | undefined,
): Promise<Sandbox> {
  const host = options.host ?? '127.0.0.1';
  const kubernetes = await startKubernetesServer({
    ...options.kubernetes,
    ...(kubernetesSnapshot ? { snapshot: kubernetesSnapshot } : {}),
    host,
    port: options.kubernetesPort ?? 0,
  });
  const github = await startGitHubServer({
    host,
    port: options.githubPort ?? 0,
    world,
    timeScale: options.timeScale,
    // Created repositories' deploy jobs apply their manifests to this cluster, as kubectl would.
    workflows: {
      realTests: options.realTests ?? false,
      cluster:
        options.followDeploys === false
          ? undefined
          : { server: kubernetes.server, token: ADMIN_TOKEN },
    },
    onDeploy: deploy => {
      if (options.followDeploys === false) return;
      setImage(kubernetes.server, deploy).catch(error => {
        process.stderr.write(
          `sandbox: could not roll out ${deploy.imageTag} in ${deploy.environment}: ${error}\n`,
        );
      });
    },
  });
  const sonarcloud = await startSonarServer({
    host,
    port: options.sonarPort ?? 0,
    world,
  });
  return {
    github,
    kubernetes,
    sonarcloud,
    world,
    snapshot: () =>
      JSON.stringify({
        titanicSandbox: 1,
        world: world.persistedState(),
        kubernetes: kubernetes.cluster.toSnapshot(),
      } satisfies CombinedSnapshot),
    close: async () => {
      await Promise.all([
        github.close(),
        sonarcloud.close(),
        kubernetes.close(),
      ]);
    },
  };
}
