import { resolve } from 'node:path';
import { ClusterAccess, StepInput, StepOutcome } from '../stepTypes';
import { KubeDocument, kustomizeBuild } from './kustomize';

/*
 * The deploy steps, carried out against the sandbox's Kubernetes cluster through its API as the
 * workflow's kubectl commands would: record the running revision, `kubectl apply --kustomize`
 * (the pushed overlay, with the image the build tagged), annotate the change cause, wait like
 * `kubectl rollout status` (kubectl's own wording), and `kubectl rollout undo` on failure. The
 * health check has no network path in the sandbox and says so.
 */

export function isKubectlScript(script: string | undefined): boolean {
  return /\bkubectl\b|\bkustomize\b/.test(script ?? '');
}

export function isHealthCheck(script: string | undefined): boolean {
  return (
    /\bcurl\b/.test(script ?? '') && /HEALTH|health|ready/.test(script ?? '')
  );
}

class Cluster {
  constructor(private readonly access: ClusterAccess) {}

  async request(
    method: string,
    path: string,
    body?: unknown,
    contentType = 'application/json',
  ) {
    const response = await fetch(`${this.access.server}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${this.access.token}`,
        ...(body === undefined ? {} : { 'content-type': contentType }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    return {
      status: response.status,
      body: text ? JSON.parse(text) : undefined,
    };
  }

  async ensure(
    path: string,
    collection: string,
    document: KubeDocument,
    merge: (current: KubeDocument) => KubeDocument,
  ) {
    const current = await this.request('GET', path);
    if (current.status === 404) {
      const created = await this.request('POST', collection, document);
      if (created.status >= 300)
        throw new Error(
          created.body?.message ?? `POST ${collection}: ${created.status}`,
        );
      return 'created';
    }
    const replaced = await this.request('PUT', path, merge(current.body));
    if (replaced.status >= 300)
      throw new Error(
        replaced.body?.message ?? `PUT ${path}: ${replaced.status}`,
      );
    return replaced.body?.metadata?.resourceVersion ===
      current.body?.metadata?.resourceVersion
      ? 'unchanged'
      : 'configured';
  }
}

/** Where kubectl's output goes. */
interface Log {
  push(...lines: string[]): void;
}

const deploymentPath = (namespace: string, name: string) =>
  `/apis/apps/v1/namespaces/${namespace}/deployments/${name}`;

/** Server-side apply's merge of what the manifest says into the object's labels and annotations. */
function mergedMetadata(
  current: KubeDocument,
  metadata: KubeDocument['metadata'],
): KubeDocument['metadata'] {
  return {
    ...current.metadata,
    labels: { ...current.metadata.labels, ...metadata.labels },
    annotations: {
      ...current.metadata.annotations,
      ...metadata.annotations,
    },
  };
}

function variable(input: StepInput, name: string): string {
  return input.env[name] ?? '';
}

/** kubectl's rollout status message for a Deployment, and whether the rollout is over. */
export function rolloutStatus(deployment: KubeDocument): {
  message: string;
  done: boolean;
  failed: boolean;
} {
  const name = deployment.metadata.name;
  const status = deployment.status ?? {};
  const replicas = deployment.spec?.replicas ?? 1;
  if ((deployment.metadata.generation ?? 0) > (status.observedGeneration ?? 0))
    return {
      message: 'Waiting for deployment spec update to be observed...',
      done: false,
      failed: false,
    };
  const progressing = (status.conditions ?? []).find(
    (c: KubeDocument) => c.type === 'Progressing',
  );
  if (progressing?.reason === 'ProgressDeadlineExceeded')
    return {
      message: `error: deployment "${name}" exceeded its progress deadline`,
      done: true,
      failed: true,
    };
  const updated = status.updatedReplicas ?? 0;
  if (updated < replicas)
    return {
      message: `Waiting for deployment "${name}" rollout to finish: ${updated} out of ${replicas} new replicas have been updated...`,
      done: false,
      failed: false,
    };
  if ((status.replicas ?? 0) > updated)
    return {
      message: `Waiting for deployment "${name}" rollout to finish: ${
        (status.replicas ?? 0) - updated
      } old replicas are pending termination...`,
      done: false,
      failed: false,
    };
  if ((status.availableReplicas ?? 0) < updated)
    return {
      message: `Waiting for deployment "${name}" rollout to finish: ${
        status.availableReplicas ?? 0
      } of ${updated} updated replicas are available...`,
      done: false,
      failed: false,
    };
  return {
    message: `deployment "${name}" successfully rolled out`,
    done: true,
    failed: false,
  };
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((done, fail) => {
    const timer = setTimeout(done, ms);
    signal.addEventListener(
      'abort',
      () => {
        clearTimeout(timer);
        fail(signal.reason ?? new Error('aborted'));
      },
      { once: true },
    );
  });
}

async function apply(
  input: StepInput,
  cluster: Cluster,
  lines: Log,
): Promise<void> {
  const script = input.script ?? '';
  const override = /set image\s+"?([^=\s"]+)=\$\{?IMAGE_REF\}?"?/.exec(script);
  const documents = kustomizeBuild(
    input.workingDirectory,
    resolve(input.workspace),
    override
      ? { name: override[1], reference: variable(input, 'IMAGE_REF') }
      : undefined,
  );
  if (override)
    lines.push(
      `kustomize edit set image ${override[1]}=${variable(input, 'IMAGE_REF')}`,
    );
  const skipped: string[] = [];
  for (const document of documents) {
    const { kind, metadata } = document;
    if (kind === 'Namespace') {
      const state = await cluster.ensure(
        `/api/v1/namespaces/${metadata.name}`,
        '/api/v1/namespaces',
        document,
        current => ({
          ...current,
          metadata: mergedMetadata(current, metadata),
        }),
      );
      lines.push(
        `namespace/${metadata.name} serverside-applied${
          state === 'unchanged' ? ' (unchanged)' : ''
        }`,
      );
    } else if (kind === 'Deployment') {
      const namespace = metadata.namespace ?? 'default';
      const state = await cluster.ensure(
        deploymentPath(namespace, metadata.name),
        `/apis/apps/v1/namespaces/${namespace}/deployments`,
        document,
        current => ({
          ...current,
          metadata: mergedMetadata(current, metadata),
          // Fields the manifest leaves out (replicas, owned by the autoscaler) keep their value.
          spec: { ...current.spec, ...document.spec },
        }),
      );
      lines.push(
        `deployment.apps/${metadata.name} serverside-applied${
          state === 'unchanged' ? ' (unchanged)' : ''
        }`,
      );
    } else {
      skipped.push(`${kind}/${metadata?.name}`);
    }
  }
  if (skipped.length > 0)
    lines.push(
      `[sandbox] Not applied (the sandbox cluster runs Namespaces and Deployments only): ${skipped.join(
        ', ',
      )}`,
    );
  const cause = /change-cause="([^"]*)"/.exec(script)?.[1];
  const namespace = variable(input, 'NAMESPACE');
  const name = variable(input, 'DEPLOYMENT');
  if (cause !== undefined && namespace && name) {
    const text = cause.replace(
      /\$\{?(\w+)\}?/g,
      (_, key) => input.env[key] ?? '',
    );
    await cluster.request(
      'PATCH',
      deploymentPath(namespace, name),
      { metadata: { annotations: { 'kubernetes.io/change-cause': text } } },
      'application/merge-patch+json',
    );
    lines.push(`deployment.apps/${name} annotated`);
  }
}

async function waitForRollout(
  input: StepInput,
  cluster: Cluster,
  lines: Log,
): Promise<boolean> {
  const namespace = variable(input, 'NAMESPACE');
  const name = variable(input, 'DEPLOYMENT');
  const minutes = Number(/--timeout=(\d+)m/.exec(input.script ?? '')?.[1] ?? 5);
  const deadline = Date.now() + minutes * 60_000;
  let last = '';
  for (;;) {
    const current = await cluster.request(
      'GET',
      deploymentPath(namespace, name),
    );
    if (current.status !== 200) {
      lines.push(
        `Error from server (NotFound): deployments.apps "${name}" not found`,
      );
      return false;
    }
    const status = rolloutStatus(current.body);
    if (status.message !== last) {
      lines.push(status.message);
      last = status.message;
    }
    if (status.done) return !status.failed;
    if (Date.now() > deadline) {
      lines.push('error: timed out waiting for the condition');
      return false;
    }
    await sleep(250, input.signal);
  }
}

async function currentRevision(
  input: StepInput,
  cluster: Cluster,
): Promise<string> {
  const current = await cluster.request(
    'GET',
    deploymentPath(variable(input, 'NAMESPACE'), variable(input, 'DEPLOYMENT')),
  );
  return current.status === 200
    ? current.body.metadata.annotations?.[
        'deployment.kubernetes.io/revision'
      ] ?? ''
    : '';
}

async function undo(
  input: StepInput,
  cluster: Cluster,
  lines: Log,
): Promise<boolean> {
  const namespace = variable(input, 'NAMESPACE');
  const name = variable(input, 'DEPLOYMENT');
  const revision = variable(input, 'PREVIOUS_REVISION');
  const sets = await cluster.request(
    'GET',
    `/apis/apps/v1/namespaces/${namespace}/replicasets`,
  );
  const target = (sets.body?.items ?? []).find(
    (set: KubeDocument) =>
      set.metadata.ownerReferences?.some(
        (owner: KubeDocument) => owner.name === name,
      ) &&
      set.metadata.annotations?.['deployment.kubernetes.io/revision'] ===
        revision,
  );
  if (!target) {
    lines.push(
      `error: unable to find specified revision ${revision} in history`,
    );
    return false;
  }
  const template = structuredClone(target.spec.template);
  delete template.metadata?.labels?.['pod-template-hash'];
  await cluster.request(
    'PATCH',
    deploymentPath(namespace, name),
    [{ op: 'replace', path: '/spec/template', value: template }],
    'application/json-patch+json',
  );
  lines.push(`deployment.apps/${name} rolled back`);
  return waitForRollout(input, cluster, lines);
}

/** A deploy job's kubectl step, against the sandbox cluster. */
export async function kubectlStep(input: StepInput): Promise<StepOutcome> {
  if (!input.cluster) {
    return {
      lines: [
        '[sandbox] SIMULATED: no Kubernetes cluster is attached to this GitHub sandbox; nothing was deployed.',
      ],
      conclusion: 'success',
      simulatedSeconds: 3,
    };
  }
  const cluster = new Cluster(input.cluster);
  const script = input.script ?? '';
  // kubectl's output goes to the log as it happens (a rollout takes seconds).
  const lines = {
    push: (...said: string[]) => said.forEach(line => input.emit(line)),
  };
  lines.push(
    `[sandbox] REAL: against the sandbox Kubernetes cluster ${input.cluster.server}.`,
  );
  const outputs: Record<string, string> = {};
  let ok = true;
  try {
    if (/rollout undo/.test(script)) {
      ok = await undo(input, cluster, lines);
    } else if (/\bapply\b/.test(script)) {
      await apply(input, cluster, lines);
    } else if (/rollout status/.test(script)) {
      ok = await waitForRollout(input, cluster, lines);
    } else if (/get deployment/.test(script) && /revision/.test(script)) {
      const revision = await currentRevision(input, cluster);
      lines.push(`Running revision before this deploy: ${revision || 'none'}`);
      outputs.revision = revision;
    } else {
      lines.push(
        '[sandbox] SIMULATED: this kubectl command is not one the sandbox carries out; it is reported as passing.',
      );
    }
  } catch (error) {
    if (input.signal.aborted) throw error;
    lines.push(`error: ${(error as Error).message}`);
    ok = false;
  }
  return {
    lines: [],
    conclusion: ok ? 'success' : 'failure',
    exitCode: 1,
    outputs,
  };
}

/** The health check: the sandbox has no route to the environment's URL; the rollout stands in. */
export function healthCheck(input: StepInput): StepOutcome {
  const url =
    input.env.HEALTH_URL ??
    /https?:\/\/\S+/.exec(input.script ?? '')?.[0] ??
    'the service';
  return {
    lines: [
      `[sandbox] SIMULATED: ${url} is not reachable from the sandbox; the rollout's ready replicas stand in for the health check.`,
      'healthy after 1 attempt(s)',
    ],
    conclusion: 'success',
    simulatedSeconds: 2,
  };
}
