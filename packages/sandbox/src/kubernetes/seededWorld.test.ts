import { ENVIRONMENT_HISTORY, imageFor, liveTag } from '../world/releases';
import { REVISION_ANNOTATION } from './controllers/deployment/util/deploymentUtil';
import { NAMESPACE_OF, REPLICAS_OF } from './seededWorld';
import * as k8s from '@kubernetes/client-node';
import {
  FAST_TIMING,
  TestSandbox,
  startTestSandbox,
} from './__testUtils__/sandboxCluster';
import { PODS } from './apimachinery/resources';
import { startKubernetesServer } from './index';

// Real HTTP round trips and controller timing on a shared two-core machine.
jest.setTimeout(30000);

describe('seeded Kubernetes world', () => {
  let sandbox: TestSandbox;

  beforeAll(async () => {
    sandbox = await startTestSandbox();
  });

  afterAll(async () => {
    await sandbox.close();
  });

  afterEach(() => {
    // Every document the server answered during the test must conform to its schema.
    if (sandbox.schemaViolations.length > 0) {
      throw new Error(
        `schema violations:\n${sandbox.schemaViolations.splice(0).join('\n')}`,
      );
    }
  });

  it('serves the three titanic namespaces', async () => {
    const { core } = sandbox.clients();
    const namespaces = await core.listNamespace();
    expect(namespaces.items.map(n => n.metadata?.name)).toEqual(
      expect.arrayContaining([
        'titanic-dev',
        'titanic-staging',
        'titanic-prod',
      ]),
    );
  });

  it.each(['dev', 'staging', 'prod'] as const)(
    'runs the live %s release with one ReplicaSet per past release',
    async environment => {
      const { apps, core } = sandbox.clients();
      const namespace = NAMESPACE_OF[environment];
      const history = ENVIRONMENT_HISTORY[environment];
      const deployment = await apps.readNamespacedDeployment({
        name: 'titanic-service',
        namespace,
      });
      expect(deployment.spec?.template.spec?.containers[0].image).toBe(
        imageFor(liveTag(environment)),
      );
      expect(deployment.metadata?.annotations?.[REVISION_ANNOTATION]).toBe(
        String(history.length),
      );
      expect(deployment.metadata?.generation).toBe(history.length);
      expect(deployment.status?.observedGeneration).toBe(history.length);
      const replicas = REPLICAS_OF[environment];
      expect(deployment.spec?.replicas).toBe(replicas);
      expect(deployment.status).toMatchObject({
        replicas,
        updatedReplicas: replicas,
        readyReplicas: replicas,
        availableReplicas: replicas,
      });
      expect(
        deployment.status?.conditions?.map(c => [c.type, c.status, c.reason]),
      ).toEqual([
        ['Available', 'True', 'MinimumReplicasAvailable'],
        ['Progressing', 'True', 'NewReplicaSetAvailable'],
      ]);

      const replicaSets = await apps.listNamespacedReplicaSet({
        namespace,
        labelSelector: 'app.kubernetes.io/name=titanic-service',
      });
      const byRevision = replicaSets.items
        .map(rs => ({
          revision: Number(rs.metadata?.annotations?.[REVISION_ANNOTATION]),
          image: rs.spec?.template?.spec?.containers[0].image,
          replicas: rs.spec?.replicas,
          owner: rs.metadata?.ownerReferences?.[0],
          hash: rs.metadata?.labels?.['pod-template-hash'],
          name: rs.metadata?.name,
        }))
        .sort((a, b) => a.revision - b.revision);
      expect(byRevision.map(r => r.revision)).toEqual(
        history.map((_, i) => i + 1),
      );
      expect(byRevision.map(r => r.image)).toEqual(history.map(imageFor));
      expect(byRevision.map(r => r.replicas)).toEqual(
        history.map((_, i) => (i === history.length - 1 ? replicas : 0)),
      );
      for (const rs of byRevision) {
        expect(rs.name).toBe(`titanic-service-${rs.hash}`);
        expect(rs.owner).toMatchObject({
          kind: 'Deployment',
          name: 'titanic-service',
          controller: true,
          uid: deployment.metadata?.uid,
        });
      }

      const pods = await core.listNamespacedPod({
        namespace,
        labelSelector: `pod-template-hash=${
          byRevision[byRevision.length - 1].hash
        }`,
      });
      expect(pods.items).toHaveLength(replicas);
      for (const pod of pods.items) {
        expect(pod.status?.phase).toBe('Running');
        expect(pod.status?.containerStatuses?.[0]).toMatchObject({
          ready: true,
          restartCount: 0,
          name: 'titanic-service',
        });
      }
    },
  );

  it('restores from a JSON snapshot and keeps rolling out from there', async () => {
    const snapshot = JSON.parse(JSON.stringify(sandbox.cluster.toSnapshot()));
    const restored = await startKubernetesServer({
      port: 0,
      snapshot,
      timing: FAST_TIMING,
    });
    try {
      const { apps } = sandbox.clients();
      const kubeConfig = new k8s.KubeConfig();
      kubeConfig.loadFromString(restored.kubeconfig());
      const restoredApps = kubeConfig.makeApiClient(k8s.AppsV1Api);
      const original = await apps.readNamespacedDeployment({
        name: 'titanic-service',
        namespace: 'titanic-dev',
      });
      const copy = await restoredApps.readNamespacedDeployment({
        name: 'titanic-service',
        namespace: 'titanic-dev',
      });
      expect(copy.metadata?.uid).toBe(original.metadata?.uid);
      expect(copy.metadata?.resourceVersion).toBe(
        original.metadata?.resourceVersion,
      );
      expect(copy.status?.availableReplicas).toBe(1);

      await restoredApps.patchNamespacedDeployment(
        {
          name: 'titanic-service',
          namespace: 'titanic-dev',
          body: { spec: { replicas: 2 } },
        },
        k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch),
      );
      const pods = restored.cluster.store.list(PODS);
      const uids = new Set(pods.map(p => p.metadata.uid));
      expect(uids.size).toBe(pods.length);
    } finally {
      await restored.close();
    }
  });

  it('has the namespaces every cluster starts with', async () => {
    const { core } = sandbox.clients();
    const names = (await core.listNamespace()).items.map(n => n.metadata?.name);
    expect(names).toEqual(
      expect.arrayContaining([
        'default',
        'kube-system',
        'kube-public',
        'kube-node-lease',
      ]),
    );
  });

  it('is the same world on every start', async () => {
    const again = await startTestSandbox();
    try {
      const { apps } = again.clients();
      const { apps: firstApps } = sandbox.clients();
      const names = async (client: typeof apps) =>
        (
          await client.listNamespacedReplicaSet({ namespace: 'titanic-prod' })
        ).items.map(rs => [rs.metadata?.name, rs.metadata?.uid]);
      expect(await names(apps)).toEqual(await names(firstApps));
    } finally {
      await again.close();
    }
  });
});
