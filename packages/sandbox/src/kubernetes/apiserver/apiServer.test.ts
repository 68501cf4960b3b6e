import * as k8s from '@kubernetes/client-node';
import { ADMIN_TOKEN, VIEWER_TOKEN } from './authorization';
import { startKubernetesServer } from '../index';
import { validateKubernetesDocument } from '../__testUtils__/schemas';
import {
  TestSandbox,
  eventually,
  startTestSandbox,
} from '../__testUtils__/sandboxCluster';
import {
  failureOf,
  jsonPatch,
  mergePatch,
  strategicMergePatch,
} from '../__testUtils__/rollbacks';

// Real HTTP round trips and controller timing on a shared two-core machine.
jest.setTimeout(30000);

const NAME = 'titanic-service';

describe('Kubernetes API semantics', () => {
  let sandbox: TestSandbox;
  let apps: k8s.AppsV1Api;
  let core: k8s.CoreV1Api;

  async function raw(
    path: string,
    init: RequestInit & { token?: string | null } = {},
  ) {
    const { token = ADMIN_TOKEN, ...rest } = init;
    const headers = new Headers(rest.headers);
    if (token) headers.set('Authorization', `Bearer ${token}`);
    const response = await fetch(`${sandbox.server}${path}`, {
      ...rest,
      headers,
    });
    const text = await response.text();
    return {
      status: response.status,
      contentType: response.headers.get('content-type'),
      body: text ? JSON.parse(text) : undefined,
    };
  }

  beforeAll(async () => {
    sandbox = await startTestSandbox();
    ({ apps, core } = sandbox.clients());
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

  it('checks documents against the Kubernetes schemas for real (a broken Deployment fails)', () => {
    expect(() =>
      validateKubernetesDocument({
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name: 'x' },
        spec: { replicas: 'three' },
      }),
    ).toThrow();
    expect(() =>
      validateKubernetesDocument({ apiVersion: 'apps/v1', kind: 'Gadget' }),
    ).toThrow('no schema');
  });

  it('serves discovery and version documents that client-go and client-node accept', async () => {
    const version = await raw('/version', { token: null });
    expect(version.body).toMatchObject({
      major: '1',
      minor: '32',
      gitVersion: 'v1.32.4',
    });
    expect((await raw('/api')).body).toMatchObject({
      kind: 'APIVersions',
      versions: ['v1'],
    });
    expect(
      (await raw('/apis')).body.groups.map((g: { name: string }) => g.name),
    ).toEqual(['apps', 'autoscaling', 'batch', 'networking.k8s.io']);
    const coreList = (await raw('/api/v1')).body;
    expect(coreList.resources.map((r: { name: string }) => r.name)).toEqual(
      expect.arrayContaining(['pods', 'pods/log', 'namespaces', 'events']),
    );
    const appsList = (await raw('/apis/apps/v1')).body;
    expect(
      appsList.resources.find(
        (r: { name: string }) => r.name === 'deployments',
      ),
    ).toMatchObject({
      kind: 'Deployment',
      namespaced: true,
      shortNames: ['deploy'],
      verbs: expect.arrayContaining([
        'get',
        'list',
        'watch',
        'create',
        'update',
        'patch',
        'delete',
      ]),
    });
    expect(
      appsList.resources.find(
        (r: { name: string }) => r.name === 'deployments/scale',
      ),
    ).toMatchObject({
      group: 'autoscaling',
      version: 'v1',
      kind: 'Scale',
    });
    const info = await sandbox
      .clients()
      .kubeConfig.makeApiClient(k8s.VersionApi)
      .getCode();
    expect(info.gitVersion).toBe('v1.32.4');
  });

  it('serves https with a certificate client-node verifies through the kubeconfig', async () => {
    const secure = await startKubernetesServer({
      port: 0,
      seed: false,
      tls: true,
    });
    try {
      expect(secure.server).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
      const kubeConfig = new k8s.KubeConfig();
      kubeConfig.loadFromString(secure.kubeconfig());
      expect(kubeConfig.getCurrentCluster()?.skipTLSVerify).toBeFalsy();
      const namespaces = await kubeConfig
        .makeApiClient(k8s.CoreV1Api)
        .listNamespace();
      expect(namespaces.items.map(n => n.metadata?.name)).toEqual([
        'default',
        'kube-node-lease',
        'kube-public',
        'kube-system',
      ]);
    } finally {
      await secure.close();
    }
  });

  it('answers 401 Unauthorized without a known bearer token', async () => {
    for (const token of [null, 'not-a-sandbox-token']) {
      const response = await raw(
        '/apis/apps/v1/namespaces/titanic-prod/deployments',
        { token },
      );
      expect(response.status).toBe(401);
      expect(response.body).toEqual({
        kind: 'Status',
        apiVersion: 'v1',
        metadata: {},
        status: 'Failure',
        message: 'Unauthorized',
        reason: 'Unauthorized',
        code: 401,
      });
    }
  });

  it('lets the viewer token read but answers writes with the RBAC 403 Forbidden Status', async () => {
    const viewer = sandbox.clients(VIEWER_TOKEN);
    expect(
      (
        await viewer.apps.listNamespacedDeployment({
          namespace: 'titanic-prod',
        })
      ).items,
    ).toHaveLength(1);
    const denied = await failureOf(
      viewer.apps.patchNamespacedDeployment(
        {
          name: NAME,
          namespace: 'titanic-prod',
          body: { spec: { replicas: 1 } },
        },
        mergePatch(),
      ),
    );
    expect(denied).toEqual({
      code: 403,
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message:
        'deployments.apps "titanic-service" is forbidden: User "system:serviceaccount:titanic-portal:portal-viewer" cannot patch resource "deployments" in API group "apps" in the namespace "titanic-prod"',
      reason: 'Forbidden',
      details: { name: NAME, group: 'apps', kind: 'deployments' },
    });
    const listDenied = await failureOf(
      viewer.core.deleteCollectionNamespacedPod({ namespace: 'titanic-prod' }),
    );
    expect(listDenied.message).toBe(
      'pods is forbidden: User "system:serviceaccount:titanic-portal:portal-viewer" cannot deletecollection resource "pods" in API group "" in the namespace "titanic-prod"',
    );
  });

  it('answers NotFound, AlreadyExists and Invalid as the apiserver words them', async () => {
    expect(
      await failureOf(
        apps.readNamespacedDeployment({
          name: 'nope',
          namespace: 'titanic-prod',
        }),
      ),
    ).toMatchObject({
      code: 404,
      reason: 'NotFound',
      message: 'deployments.apps "nope" not found',
      details: { name: 'nope', group: 'apps', kind: 'deployments' },
    });
    expect(
      await failureOf(
        core.readNamespacedPod({ name: 'nope', namespace: 'titanic-prod' }),
      ),
    ).toMatchObject({
      code: 404,
      message: 'pods "nope" not found',
    });
    expect(
      (await raw('/apis/apps/v1/namespaces/titanic-prod/controllerrevisions'))
        .body,
    ).toMatchObject({
      kind: 'Status',
      code: 404,
      reason: 'NotFound',
      message: 'the server could not find the requested resource',
    });
    const existing = await apps.readNamespacedDeployment({
      name: NAME,
      namespace: 'titanic-prod',
    });
    expect(
      await failureOf(
        apps.createNamespacedDeployment({
          namespace: 'titanic-prod',
          body: { metadata: { name: NAME }, spec: existing.spec! },
        }),
      ),
    ).toMatchObject({
      code: 409,
      reason: 'AlreadyExists',
      message: 'deployments.apps "titanic-service" already exists',
    });
    expect(
      await failureOf(
        apps.createNamespacedDeployment({
          namespace: 'titanic-prod',
          body: {
            metadata: { name: 'mismatched' },
            spec: {
              selector: { matchLabels: { app: 'a' } },
              template: {
                metadata: { labels: { app: 'b' } },
                spec: { containers: [{ name: 'c', image: 'nginx:1.27' }] },
              },
            },
          },
        }),
      ),
    ).toMatchObject({
      code: 422,
      reason: 'Invalid',
      message: expect.stringContaining(
        'Deployment.apps "mismatched" is invalid: spec.template.metadata.labels: Invalid value',
      ),
      details: { name: 'mismatched', group: 'apps', kind: 'Deployment' },
    });
    expect(
      await failureOf(
        apps.createNamespacedDeployment({
          namespace: 'missing',
          body: { metadata: { name: 'x' }, spec: existing.spec! },
        }),
      ),
    ).toMatchObject({ code: 404, message: 'namespaces "missing" not found' });
  });

  it('filters lists with equality- and set-based label selectors and metadata.name field selectors', async () => {
    const all = await apps.listDeploymentForAllNamespaces({
      labelSelector: 'environment in (staging,prod)',
    });
    expect(all.items.map(d => d.metadata?.namespace).sort()).toEqual([
      'titanic-prod',
      'titanic-staging',
    ]);
    const notDev = await apps.listDeploymentForAllNamespaces({
      labelSelector:
        'environment notin (dev),app.kubernetes.io/name=titanic-service',
    });
    expect(notDev.items).toHaveLength(2);
    const hashed = await apps.listNamespacedReplicaSet({
      namespace: 'titanic-prod',
      labelSelector: 'pod-template-hash',
    });
    expect(hashed.items.length).toBeGreaterThan(1);
    expect(
      (
        await apps.listNamespacedReplicaSet({
          namespace: 'titanic-prod',
          labelSelector: '!pod-template-hash',
        })
      ).items,
    ).toEqual([]);
    const byName = await apps.listNamespacedDeployment({
      namespace: 'titanic-prod',
      fieldSelector: `metadata.name=${NAME}`,
    });
    expect(byName.items).toHaveLength(1);
    expect(
      (
        await apps.listNamespacedDeployment({
          namespace: 'titanic-prod',
          fieldSelector: 'metadata.name=other',
        })
      ).items,
    ).toEqual([]);
    expect(Number(byName.metadata?.resourceVersion)).toBeGreaterThan(0);
  });

  it('applies merge, strategic merge (containers and env merged by name) and JSON patches', async () => {
    const namespace = 'titanic-staging';
    const merged = await apps.patchNamespacedDeployment(
      {
        name: NAME,
        namespace,
        body: { metadata: { labels: { team: 'titanic-team' } } },
      },
      mergePatch(),
    );
    expect(merged.metadata?.labels).toMatchObject({
      team: 'titanic-team',
      'app.kubernetes.io/name': NAME,
    });
    expect(merged.metadata?.generation).toBe(
      (await apps.readNamespacedDeployment({ name: NAME, namespace })).metadata
        ?.generation,
    );

    const strategic = await apps.patchNamespacedDeployment(
      {
        name: NAME,
        namespace,
        body: {
          spec: {
            template: {
              spec: {
                containers: [
                  {
                    name: 'titanic-service',
                    env: [{ name: 'LOG_LEVEL', value: 'warn' }],
                  },
                ],
              },
            },
          },
        },
      },
      strategicMergePatch(),
    );
    const container = strategic.spec?.template.spec?.containers[0];
    expect(container?.image).toMatch(/^ghcr\.io\/acme-corp\/titanic-service:/);
    expect(container?.env).toEqual([
      { name: 'PORT', value: '8080' },
      { name: 'LOG_LEVEL', value: 'warn' },
      { name: 'DATABASE_POOL_SIZE', value: '10' },
    ]);
    expect(strategic.metadata?.generation).toBe(
      (merged.metadata?.generation ?? 0) + 1,
    );

    const json = await apps.patchNamespacedDeployment(
      {
        name: NAME,
        namespace,
        body: [
          { op: 'add', path: '/metadata/annotations/owner', value: 'alice' },
        ],
      },
      jsonPatch(),
    );
    expect(json.metadata?.annotations?.owner).toBe('alice');

    const unsupported = await raw(
      `/apis/apps/v1/namespaces/${namespace}/deployments/${NAME}`,
      {
        method: 'PATCH',
        headers: { 'Content-Type': 'text/plain' },
        body: '{}',
      },
    );
    expect(unsupported.status).toBe(415);
    expect(unsupported.body.reason).toBe('UnsupportedMediaType');

    // kubectl's typed clients send protobuf bodies; the sandbox says so instead of choking on them.
    const protobuf = await raw(
      `/apis/apps/v1/namespaces/${namespace}/deployments`,
      {
        method: 'POST',
        headers: { 'Content-Type': 'application/vnd.kubernetes.protobuf' },
        body: 'k8s\u0000',
      },
    );
    expect(protobuf.status).toBe(415);
  });

  it('reads and writes the scale subresource', async () => {
    const namespace = 'titanic-dev';
    const scale = await apps.readNamespacedDeploymentScale({
      name: NAME,
      namespace,
    });
    expect(scale).toMatchObject({
      kind: 'Scale',
      apiVersion: 'autoscaling/v1',
      spec: { replicas: 1 },
      status: { selector: 'app.kubernetes.io/name=titanic-service' },
    });
    await apps.patchNamespacedDeploymentScale(
      { name: NAME, namespace, body: { spec: { replicas: 2 } } },
      mergePatch(),
    );
    await eventually(
      async () =>
        (
          await apps.readNamespacedDeployment({ name: NAME, namespace })
        ).status?.availableReplicas === 2,
    );
  });

  it('creates a Deployment from scratch and garbage-collects its ReplicaSets and pods when it is deleted', async () => {
    await core.createNamespace({ body: { metadata: { name: 'scratch' } } });
    const labels = { app: 'web' };
    await apps.createNamespacedDeployment({
      namespace: 'scratch',
      body: {
        metadata: { name: 'web' },
        spec: {
          replicas: 2,
          selector: { matchLabels: labels },
          template: {
            metadata: { labels },
            spec: { containers: [{ name: 'web', image: 'nginx:1.27' }] },
          },
        },
      },
    });
    const created = await eventually(async () => {
      const d = await apps.readNamespacedDeployment({
        name: 'web',
        namespace: 'scratch',
      });
      return d.status?.availableReplicas === 2 ? d : undefined;
    });
    expect(created.metadata?.generation).toBe(1);
    expect(
      created.metadata?.annotations?.['deployment.kubernetes.io/revision'],
    ).toBe('1');
    expect(created.spec).toMatchObject({
      revisionHistoryLimit: 10,
      progressDeadlineSeconds: 600,
      strategy: {
        type: 'RollingUpdate',
        rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' },
      },
    });
    const pods = await core.listNamespacedPod({ namespace: 'scratch' });
    expect(pods.items).toHaveLength(2);
    expect(pods.items[0].metadata?.ownerReferences?.[0]).toMatchObject({
      kind: 'ReplicaSet',
      controller: true,
    });

    const status = (
      await raw('/apis/apps/v1/namespaces/scratch/deployments/web', {
        method: 'DELETE',
      })
    ).body;
    expect(status).toMatchObject({
      kind: 'Status',
      status: 'Success',
      details: { name: 'web', group: 'apps', kind: 'deployments' },
    });
    await eventually(
      async () =>
        (
          await core.listNamespacedPod({ namespace: 'scratch' })
        ).items.length === 0,
    );
    expect(
      (await apps.listNamespacedReplicaSet({ namespace: 'scratch' })).items,
    ).toEqual([]);
  });

  it("answers every kind Backstage's Kubernetes plugin lists for an entity, with the seeded Service", async () => {
    const selector = 'backstage.io%2Fkubernetes-id%3Dtitanic-service';
    const paths = [
      '/api/v1/pods',
      '/api/v1/services',
      '/api/v1/configmaps',
      '/api/v1/limitranges',
      '/api/v1/resourcequotas',
      '/apis/apps/v1/deployments',
      '/apis/apps/v1/replicasets',
      '/apis/autoscaling/v2/horizontalpodautoscalers',
      '/apis/batch/v1/jobs',
      '/apis/batch/v1/cronjobs',
      '/apis/networking.k8s.io/v1/ingresses',
      '/apis/apps/v1/statefulsets',
      '/apis/apps/v1/daemonsets',
    ];
    for (const path of paths) {
      const response = await raw(`${path}?labelSelector=${selector}`);
      expect([path, response.status]).toEqual([path, 200]);
    }
    const services = (
      await raw(
        `/api/v1/namespaces/titanic-prod/services?labelSelector=${selector}`,
      )
    ).body;
    expect(services.items[0]).toMatchObject({
      kind: 'Service',
      spec: {
        type: 'ClusterIP',
        ports: [
          { name: 'http', port: 80, targetPort: 'http', protocol: 'TCP' },
        ],
      },
    });
    expect((await raw('/apis/autoscaling')).body.preferredVersion).toEqual({
      groupVersion: 'autoscaling/v2',
      version: 'v2',
    });
  });

  it('ends a watch from a compacted resourceVersion with a 410 Expired ERROR event', async () => {
    const response = await fetch(
      `${sandbox.server}/apis/apps/v1/namespaces/titanic-prod/deployments?watch=true&resourceVersion=1`,
      { headers: { Authorization: `Bearer ${ADMIN_TOKEN}` } },
    );
    const lines = (await response.text())
      .trim()
      .split('\n')
      .map(line => JSON.parse(line));
    expect(lines).toEqual([
      {
        type: 'ERROR',
        object: expect.objectContaining({
          kind: 'Status',
          code: 410,
          reason: 'Expired',
          message: expect.stringMatching(
            /^too old resource version: 1 \(\d+\)$/,
          ),
        }),
      },
    ]);
  });

  it('prints Tables for kubectl when asked for as=Table', async () => {
    const table = await raw(
      '/apis/apps/v1/namespaces/titanic-prod/deployments',
      {
        headers: {
          Accept:
            'application/json;as=Table;v=v1;g=meta.k8s.io,application/json',
        },
      },
    );
    expect(table.body.kind).toBe('Table');
    expect(
      table.body.columnDefinitions
        .map((c: { name: string }) => c.name)
        .slice(0, 5),
    ).toEqual(['Name', 'Ready', 'Up-to-date', 'Available', 'Age']);
    expect(table.body.rows[0].cells.slice(0, 4)).toEqual([NAME, '3/3', 3, 3]);
  });

  it('records events for pods and ReplicaSets with the components that emit them', async () => {
    const namespace = 'titanic-dev';
    const pod = (await core.listNamespacedPod({ namespace })).items[0];
    const terminating = await core.deleteNamespacedPod({
      name: pod.metadata!.name!,
      namespace,
    });
    // Graceful deletion: the answer is the pod, marked for deletion, no longer ready.
    expect(terminating.metadata?.deletionTimestamp).toBeDefined();
    expect(terminating.metadata?.deletionGracePeriodSeconds).toBe(30);
    expect(
      terminating.status?.conditions?.find(c => c.type === 'Ready')?.status,
    ).toBe('False');
    await eventually(async () => {
      const names = (await core.listNamespacedPod({ namespace })).items.map(
        p => p.metadata?.name,
      );
      return !names.includes(pod.metadata?.name);
    });
    const events = await eventually(async () => {
      const list = await core.listNamespacedEvent({ namespace });
      return list.items.some(e => e.reason === 'Started')
        ? list.items
        : undefined;
    });
    const reasons = events.map(e => `${e.source?.component}/${e.reason}`);
    expect(reasons).toEqual(
      expect.arrayContaining([
        'replicaset-controller/SuccessfulCreate',
        'default-scheduler/Scheduled',
        'kubelet/Started',
        'kubelet/Killing',
      ]),
    );
  });
});
