/*
 * The seeded Kubernetes world: namespaces titanic-dev, titanic-staging and titanic-prod, each
 * running titanic-service with the release history src/world/releases.ts describes. History is
 * produced by the real controllers on a simulated clock (each release rolled out at its
 * DEPLOYED_AT time), so revisions, ReplicaSets, pods and status are exactly what the
 * controllers would have left behind.
 */

import {
  DEPLOYED_AT,
  ENVIRONMENT_HISTORY,
  SandboxEnvironment,
  imageFor,
  releaseByTag,
} from '../world/releases';
import { KubernetesCluster } from './cluster';
import { DEPLOYMENTS, PODS, SERVICES } from './apimachinery/resources';
import { KubeObject } from './apimachinery/objects';

export const DEPLOYMENT_NAME = 'titanic-service';
export const CONTAINER_NAME = 'titanic-service';
export const CONTAINER_PORT = 8080;

export const NAMESPACE_OF: Readonly<Record<SandboxEnvironment, string>> = {
  dev: 'titanic-dev',
  staging: 'titanic-staging',
  prod: 'titanic-prod',
};

export const REPLICAS_OF: Readonly<Record<SandboxEnvironment, number>> = {
  dev: 1,
  staging: 2,
  prod: 3,
};

export const SERVICE_LABELS = {
  'app.kubernetes.io/name': 'titanic-service',
  'backstage.io/kubernetes-id': 'titanic-service',
};

/** What `kubectl rollout history` shows as CHANGE-CAUSE for a release. */
export function changeCause(tag: string): string {
  const release = releaseByTag(tag);
  return `Deploy ${tag} (${release.commitSha.slice(0, 7)}): ${release.message}`;
}

export function titanicDeployment(
  environment: SandboxEnvironment,
  tag: string,
): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: {
      name: DEPLOYMENT_NAME,
      namespace: NAMESPACE_OF[environment],
      labels: {
        ...SERVICE_LABELS,
        'app.kubernetes.io/part-of': 'titanic',
        'app.kubernetes.io/managed-by': 'github-actions',
        environment,
      },
      annotations: { 'kubernetes.io/change-cause': changeCause(tag) },
    } as unknown as KubeObject['metadata'],
    spec: {
      replicas: REPLICAS_OF[environment],
      revisionHistoryLimit: 10,
      selector: {
        matchLabels: { 'app.kubernetes.io/name': 'titanic-service' },
      },
      template: {
        metadata: { labels: { ...SERVICE_LABELS } },
        spec: {
          containers: [
            {
              name: CONTAINER_NAME,
              image: imageFor(tag),
              ports: [{ name: 'http', containerPort: CONTAINER_PORT }],
              env: [
                { name: 'PORT', value: String(CONTAINER_PORT) },
                {
                  name: 'LOG_LEVEL',
                  value: environment === 'prod' ? 'info' : 'debug',
                },
                { name: 'DATABASE_POOL_SIZE', value: '10' },
              ],
              readinessProbe: { httpGet: { path: '/ready', port: 'http' } },
              livenessProbe: { httpGet: { path: '/health', port: 'http' } },
              resources: {
                requests: { cpu: '100m', memory: '128Mi' },
                limits: { memory: '256Mi' },
              },
            },
          ],
        },
      },
    },
  };
}

export function titanicService(environment: SandboxEnvironment): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: {
      name: DEPLOYMENT_NAME,
      namespace: NAMESPACE_OF[environment],
      labels: { ...SERVICE_LABELS, 'app.kubernetes.io/part-of': 'titanic' },
    } as unknown as KubeObject['metadata'],
    spec: {
      selector: { 'app.kubernetes.io/name': 'titanic-service' },
      ports: [{ name: 'http', port: 80, targetPort: 'http' }],
    },
  };
}

/** Whether the Deployment's latest rollout has finished (what `kubectl rollout status` waits for). */
export function rolloutComplete(deployment: KubeObject): boolean {
  const { spec, status, metadata } = deployment;
  const progressing = status?.conditions?.find(
    (c: { type: string }) => c.type === 'Progressing',
  );
  return (
    (status?.observedGeneration ?? 0) >= (metadata.generation ?? 0) &&
    (status?.updatedReplicas ?? 0) === spec.replicas &&
    (status?.replicas ?? 0) === spec.replicas &&
    (status?.availableReplicas ?? 0) === spec.replicas &&
    progressing?.reason === 'NewReplicaSetAvailable'
  );
}

export function seedKubernetesWorld(cluster: KubernetesCluster) {
  // One timeline for every namespace: the controllers reconcile them all at once, and a
  // clock that jumped back between namespaces would make ready pods look unready.
  const rollouts = (Object.keys(ENVIRONMENT_HISTORY) as SandboxEnvironment[])
    .flatMap(environment =>
      ENVIRONMENT_HISTORY[environment].map((tag, index) => ({
        environment,
        tag,
        first: index === 0,
        // The deploy job applies the new image about a minute before the rollout finished.
        at: Date.parse(DEPLOYED_AT[environment][tag]) - 60 * 1000,
      })),
    )
    .sort((a, b) => a.at - b.at);

  let clock = rollouts[0].at - 24 * 3600 * 1000;
  const simulatedNow = () => clock;
  cluster.withClock(simulatedNow, () => {
    cluster.ensureSystemNamespaces();
    for (const environment of Object.keys(
      NAMESPACE_OF,
    ) as SandboxEnvironment[]) {
      cluster.ensureNamespace(
        NAMESPACE_OF[environment],
        { 'app.kubernetes.io/part-of': 'titanic', environment },
        // The team the namespace belongs to, as infra/k8s/base/namespace.yaml binds it: the
        // portal rolls back only entities that this team owns.
        { 'titanic.io/owner': 'group:default/titanic-team' },
      );
    }
  });

  for (const { environment, tag, first, at } of rollouts) {
    const namespace = NAMESPACE_OF[environment];
    const desired = titanicDeployment(environment, tag);
    clock = Math.max(clock, at);
    cluster.withClock(simulatedNow, () => {
      if (first) {
        cluster.create(SERVICES, namespace, titanicService(environment));
        cluster.create(DEPLOYMENTS, namespace, desired);
        return;
      }
      const current = cluster.deployment(namespace, DEPLOYMENT_NAME);
      cluster.replace(DEPLOYMENTS, namespace, DEPLOYMENT_NAME, {
        ...current,
        metadata: {
          ...current.metadata,
          annotations: {
            ...current.metadata.annotations,
            ...desired.metadata.annotations,
          },
        },
        spec: { ...current.spec, template: desired.spec.template },
      });
    });
    clock = cluster.simulateUntil(
      clock,
      () =>
        rolloutComplete(cluster.deployment(namespace, DEPLOYMENT_NAME)) &&
        cluster.store
          .list(PODS, namespace)
          .every(p => !p.metadata.deletionTimestamp),
    );
  }
  // A real cluster expires events after an hour: the seeded past has none left.
  cluster.clearEvents();
}
