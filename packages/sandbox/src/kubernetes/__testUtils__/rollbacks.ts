/*
 * Test-side helpers that act as kubectl does: `rollout undo` (pick the ReplicaSet of the
 * wanted revision, copy its template without pod-template-hash, one JSON patch guarded by
 * resourceVersion) and reading ApiException bodies as Status objects.
 */

import * as k8s from '@kubernetes/client-node';

export const jsonPatch = () =>
  k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.JsonPatch);
export const mergePatch = () =>
  k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch);
export const strategicMergePatch = () =>
  k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.StrategicMergePatch);

export const revisionOf = (object: { metadata?: k8s.V1ObjectMeta }) =>
  Number(
    object.metadata?.annotations?.['deployment.kubernetes.io/revision'] ?? 0,
  );

export async function ownedReplicaSets(
  apps: k8s.AppsV1Api,
  deployment: k8s.V1Deployment,
) {
  const selector = Object.entries(deployment.spec?.selector.matchLabels ?? {})
    .map(([k, v]) => `${k}=${v}`)
    .join(',');
  const list = await apps.listNamespacedReplicaSet({
    namespace: deployment.metadata!.namespace!,
    labelSelector: selector,
  });
  return list.items
    .filter(rs =>
      rs.metadata?.ownerReferences?.some(
        o => o.controller && o.uid === deployment.metadata?.uid,
      ),
    )
    .sort((a, b) => revisionOf(a) - revisionOf(b));
}

/** `kubectl rollout undo [--to-revision]`, guarded by the Deployment's observed resourceVersion. */
export async function rolloutUndo(
  apps: k8s.AppsV1Api,
  namespace: string,
  name: string,
  toRevision?: number,
  observed?: k8s.V1Deployment,
) {
  const deployment =
    observed ?? (await apps.readNamespacedDeployment({ name, namespace }));
  if (deployment.spec?.paused)
    throw new Error('you cannot rollback a paused deployment');
  const replicaSets = await ownedReplicaSets(apps, deployment);
  const revisions = replicaSets.map(revisionOf);
  const target = toRevision ?? revisions[revisions.length - 2];
  const source = replicaSets.find(rs => revisionOf(rs) === target);
  if (!source)
    throw new Error(`unable to find specified revision ${target} in history`);
  const template = JSON.parse(JSON.stringify(source.spec!.template));
  delete template.metadata.labels['pod-template-hash'];
  const body = [
    {
      op: 'replace',
      path: '/metadata/resourceVersion',
      value: deployment.metadata!.resourceVersion,
    },
    { op: 'replace', path: '/spec/template', value: template },
    {
      op: 'replace',
      path: '/metadata/annotations',
      value: deployment.metadata!.annotations,
    },
  ];
  return apps.patchNamespacedDeployment({ name, namespace, body }, jsonPatch());
}

export function statusOf(error: unknown): {
  code: number;
  reason?: string;
  message?: string;
  kind?: string;
  details?: Record<string, unknown>;
} {
  const exception = error as { code?: number; body?: unknown };
  if (typeof exception.code !== 'number') throw error;
  const body =
    typeof exception.body === 'string'
      ? JSON.parse(exception.body)
      : exception.body;
  return { code: exception.code, ...(body ?? {}) };
}

export async function failureOf(promise: Promise<unknown>) {
  try {
    await promise;
  } catch (error) {
    return statusOf(error);
  }
  throw new Error('expected the request to fail');
}
