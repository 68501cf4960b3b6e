import {
  ADMIN_TOKEN,
  CRASHING_RELEASE_TAG,
  Sandbox,
  SandboxOptions,
  imageFor,
  startSandbox,
} from '@internal/sandbox';
import { PatchStrategy, setHeaderOptions } from '@kubernetes/client-node';
import { EnvironmentBinding } from '../environments/environmentBindings';
import { KubernetesClusters } from '../kubernetes/clusters';

/* The sandbox with controllers fast enough for tests, and clusters the portal code reads it with. */

/** Rollouts take a few hundred ms; a 600 s progress deadline becomes 1.2 s. */
export const FAST_KUBERNETES: SandboxOptions['kubernetes'] = {
  timing: {
    reconcileIntervalMs: 20,
    podStartMs: 60,
    podReadyMs: 80,
    crashBackOffMs: 60,
    deadlineScale: 0.002,
  },
};

export function startFastSandbox(
  options: Omit<SandboxOptions, 'kubernetes'> = {},
): Promise<Sandbox> {
  return startSandbox({ ...options, kubernetes: FAST_KUBERNETES });
}

export function clustersFor(
  sandbox: Sandbox,
  token = ADMIN_TOKEN,
): KubernetesClusters {
  return new KubernetesClusters([
    {
      name: 'sandbox',
      url: sandbox.kubernetes.server,
      serviceAccountToken: token,
      skipTLSVerify: true,
    },
  ]);
}

export function titanicBinding(
  name: 'dev' | 'staging' | 'prod',
): EnvironmentBinding {
  return {
    name,
    githubEnvironment: name === 'prod' ? 'production' : name,
    cluster: 'sandbox',
    namespace: `titanic-${name}`,
    deploymentName: 'titanic-service',
  };
}

/** What a deploy job does: set the container image (a new revision). */
export async function deployImage(
  clusters: KubernetesClusters,
  binding: EnvironmentBinding,
  image: string,
) {
  await clusters.forCluster(binding.cluster).apps.patchNamespacedDeployment(
    {
      name: binding.deploymentName,
      namespace: binding.namespace,
      body: [
        {
          op: 'replace',
          path: '/spec/template/spec/containers/0/image',
          value: image,
        },
      ],
    },
    setHeaderOptions('Content-Type', PatchStrategy.JsonPatch),
  );
}

export const CRASHING_IMAGE = imageFor(CRASHING_RELEASE_TAG);

export async function eventually<T>(
  probe: () => Promise<T | undefined | false>,
  what: string,
  timeoutMs = 15_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined && value !== false) return value as T;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline)
      throw new Error(
        `timed out waiting for ${what}${last ? `: ${last}` : ''}`,
      );
    await new Promise(resolve => setTimeout(resolve, 25));
  }
}
