/*
 * Validates what the sandbox answers against the Kubernetes schemas of `kubernetes-models`.
 * Those packages are ESM-only (exports with only an `import` condition), which jest's resolver
 * cannot load; Node 22's own require(esm) loads them by file path instead.
 */

import fs from 'node:fs';
import path from 'node:path';

type Validatable = { validate(): void };
type ModelClass = new (data: unknown) => Validatable;

const nodeModule = process.getBuiltinModule(
  'node:module',
) as typeof import('node:module');
const nativeRequire = nodeModule.createRequire(
  path.join(process.cwd(), 'package.json'),
);

function packageDirectory(name: string, from = process.cwd()): string {
  let directory = from;
  for (;;) {
    const candidate = path.join(directory, 'node_modules', name);
    if (fs.existsSync(candidate)) return candidate;
    const parent = path.dirname(directory);
    if (parent === directory) throw new Error(`cannot find ${name}`);
    directory = parent;
  }
}

const modelsDirectory = packageDirectory('kubernetes-models');
const apimachineryDirectory = packageDirectory(
  '@kubernetes-models/apimachinery',
  modelsDirectory,
);

function load(
  directory: string,
  modulePath: string,
): Record<string, ModelClass> {
  return nativeRequire(path.join(directory, modulePath));
}

const appsV1 = load(modelsDirectory, 'apps/v1/index.js');
const coreV1 = load(modelsDirectory, 'v1/index.js');
const autoscalingV1 = load(modelsDirectory, 'autoscaling/v1/index.js');
const autoscalingV2 = load(modelsDirectory, 'autoscaling/v2/index.js');
const batchV1 = load(modelsDirectory, 'batch/v1/index.js');
const networkingV1 = load(modelsDirectory, 'networking.k8s.io/v1/index.js');
const metaV1 = load(apimachineryDirectory, 'apis/meta/v1/index.js');
const version = load(apimachineryDirectory, 'version/index.js');

const MODELS: Record<string, ModelClass> = {
  'apps/v1/Deployment': appsV1.Deployment,
  'apps/v1/DeploymentList': appsV1.DeploymentList,
  'apps/v1/ReplicaSet': appsV1.ReplicaSet,
  'apps/v1/ReplicaSetList': appsV1.ReplicaSetList,
  'v1/Pod': coreV1.Pod,
  'v1/PodList': coreV1.PodList,
  'v1/Namespace': coreV1.Namespace,
  'v1/NamespaceList': coreV1.NamespaceList,
  'v1/Event': coreV1.Event,
  'v1/EventList': coreV1.EventList,
  'autoscaling/v1/Scale': autoscalingV1.Scale,
  ...Object.fromEntries(
    (
      [
        ['v1', coreV1, ['Service', 'ConfigMap', 'LimitRange', 'ResourceQuota']],
        ['apps/v1', appsV1, ['StatefulSet', 'DaemonSet']],
        ['autoscaling/v2', autoscalingV2, ['HorizontalPodAutoscaler']],
        ['batch/v1', batchV1, ['Job', 'CronJob']],
        ['networking.k8s.io/v1', networkingV1, ['Ingress']],
      ] as const
    ).flatMap(([apiVersion, models, kinds]) =>
      kinds.flatMap(kind => [
        [`${apiVersion}/${kind}`, models[kind]],
        [`${apiVersion}/${kind}List`, models[`${kind}List`]],
      ]),
    ),
  ),
  'v1/Status': metaV1.Status,
  'v1/APIResourceList': metaV1.APIResourceList,
  'v1/APIGroupList': metaV1.APIGroupList,
  'v1/APIGroup': metaV1.APIGroup,
  '/APIVersions': metaV1.APIVersions,
};

export class SchemaViolation extends Error {}

/** Throws unless `body` (a response document, watch event or object) conforms to its kind's schema. */
export function validateKubernetesDocument(body: unknown): void {
  if (!body || typeof body !== 'object')
    throw new SchemaViolation('not a JSON object');
  const document = body as Record<string, unknown>;
  if (typeof document.type === 'string' && document.object && !document.kind) {
    validateKubernetesDocument(document.object);
    return;
  }
  if (document.kind === 'Table' && document.apiVersion === 'meta.k8s.io/v1') {
    const rows = (document.rows ?? []) as Array<{
      cells: unknown[];
      object?: Record<string, unknown>;
    }>;
    for (const row of rows) {
      if (!Array.isArray(row.cells))
        throw new SchemaViolation('table row without cells');
      if (row.object && row.object.kind !== 'PartialObjectMetadata')
        validateKubernetesDocument(row.object);
    }
    return;
  }
  if (document.kind === undefined && typeof document.gitVersion === 'string') {
    new version.Info(document).validate();
    return;
  }
  if (document.kind === 'APIVersions') {
    new MODELS['/APIVersions']({
      ...document,
      apiVersion: undefined,
    }).validate();
    return;
  }
  const key = `${document.apiVersion}/${document.kind}`;
  const Model = MODELS[key];
  if (!Model) throw new SchemaViolation(`no schema for ${key}`);
  try {
    new Model(document).validate();
  } catch (error) {
    throw new SchemaViolation(
      `${key} ${JSON.stringify(document).slice(0, 300)}: ${
        (error as Error).message
      }`,
    );
  }
}
