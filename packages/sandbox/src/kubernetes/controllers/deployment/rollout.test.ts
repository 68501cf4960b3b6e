import * as k8s from '@kubernetes/client-node';
import {
  CRASHING_RELEASE_TAG,
  ENVIRONMENT_HISTORY,
  imageFor,
} from '../../../world/releases';
import {
  TestSandbox,
  eventually,
  startTestSandbox,
} from '../../__testUtils__/sandboxCluster';
import {
  failureOf,
  jsonPatch,
  mergePatch,
  ownedReplicaSets,
  revisionOf,
  rolloutUndo,
  strategicMergePatch,
} from '../../__testUtils__/rollbacks';

// Real HTTP round trips and controller timing on a shared two-core machine.
jest.setTimeout(30000);

const NAME = 'titanic-service';

function conditions(deployment: k8s.V1Deployment) {
  return Object.fromEntries(
    (deployment.status?.conditions ?? []).map(c => [c.type, c]),
  );
}

function setImage(apps: k8s.AppsV1Api, namespace: string, image: string) {
  return apps.patchNamespacedDeployment(
    {
      name: NAME,
      namespace,
      body: {
        spec: {
          template: {
            spec: { containers: [{ name: 'titanic-service', image }] },
          },
        },
      },
    },
    strategicMergePatch(),
  );
}

/**
 * Every state the Deployment's ReplicaSets pass through, as a list of their replica counts per
 * write: a watch from a list's resourceVersion sees each write, where polling samples and misses
 * a state that lasts one reconcile on a loaded machine.
 */
async function recordReplicaSetStates(
  kubeConfig: k8s.KubeConfig,
  apps: k8s.AppsV1Api,
  deployment: k8s.V1Deployment,
) {
  const namespace = deployment.metadata!.namespace!;
  const labelSelector = Object.entries(
    deployment.spec?.selector.matchLabels ?? {},
  )
    .map(([k, v]) => `${k}=${v}`)
    .join(',');
  const list = await apps.listNamespacedReplicaSet({
    namespace,
    labelSelector,
  });
  const replicas = new Map(
    list.items.map(rs => [rs.metadata!.uid!, rs.spec?.replicas ?? 0]),
  );
  const recorder = {
    states: [] as number[][],
    resourceVersion: Number(list.metadata?.resourceVersion),
    stop: () => {},
  };
  const controller = await new k8s.Watch(kubeConfig).watch(
    `/apis/apps/v1/namespaces/${namespace}/replicasets`,
    { labelSelector, resourceVersion: list.metadata?.resourceVersion },
    (type, rs: k8s.V1ReplicaSet) => {
      if (type === 'DELETED') replicas.delete(rs.metadata!.uid!);
      else replicas.set(rs.metadata!.uid!, rs.spec?.replicas ?? 0);
      recorder.states.push([...replicas.values()]);
      recorder.resourceVersion = Number(rs.metadata?.resourceVersion);
    },
    () => undefined,
  );
  recorder.stop = () => controller.abort();
  return recorder;
}

async function waitForRollout(
  apps: k8s.AppsV1Api,
  namespace: string,
  what = 'rollout to complete',
) {
  return eventually(
    async () => {
      const d = await apps.readNamespacedDeployment({ name: NAME, namespace });
      const replicas = d.spec?.replicas;
      return (d.status?.observedGeneration ?? 0) >=
        (d.metadata?.generation ?? 0) &&
        d.status?.updatedReplicas === replicas &&
        d.status?.replicas === replicas &&
        d.status?.availableReplicas === replicas &&
        conditions(d).Progressing?.reason === 'NewReplicaSetAvailable'
        ? d
        : undefined;
    },
    15000,
    what,
  );
}

describe('deployment controller through @kubernetes/client-node', () => {
  let sandbox: TestSandbox;
  let apps: k8s.AppsV1Api;
  let core: k8s.CoreV1Api;

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

  it('rolls out an image change, then rolls back like kubectl rollout undo, moving revisions as a real cluster', async () => {
    const namespace = 'titanic-staging';
    const live = ENVIRONMENT_HISTORY.staging.length; // revision of the live release
    const before = await apps.readNamespacedDeployment({
      name: NAME,
      namespace,
    });
    const previousRS = (await ownedReplicaSets(apps, before)).find(
      rs => revisionOf(rs) === live,
    )!;
    expect(previousRS.spec?.replicas).toBe(2);

    // Roll out 1.5.0: a new ReplicaSet with revision max+1 takes over, within maxSurge.
    const recorder = await recordReplicaSetStates(
      sandbox.clients().kubeConfig,
      apps,
      before,
    );
    const patched = await setImage(apps, namespace, imageFor('1.5.0'));
    expect(patched.metadata?.generation).toBe(
      (before.metadata?.generation ?? 0) + 1,
    );

    const rolled = await eventually(async () => {
      const d = await apps.readNamespacedDeployment({ name: NAME, namespace });
      return conditions(d).Progressing?.reason === 'NewReplicaSetAvailable' &&
        d.status?.updatedReplicas === 2 &&
        d.status.replicas === 2
        ? d
        : undefined;
    });
    // The watch has delivered every write up to the finished rollout's.
    const finalVersion = Math.max(
      ...(await ownedReplicaSets(apps, rolled)).map(rs =>
        Number(rs.metadata?.resourceVersion),
      ),
    );
    await eventually(async () => recorder.resourceVersion >= finalVersion);
    recorder.stop();
    const active = recorder.states.map(state => state.filter(n => n > 0));
    expect(active.some(replicaSets => replicaSets.length === 2)).toBe(true);
    // maxSurge 25% of 2 rounds up to 1, maxUnavailable rounds down to 0: never more than 3 pods wanted.
    expect(
      Math.max(...recorder.states.map(state => state.reduce((a, b) => a + b))),
    ).toBe(3);
    expect(
      rolled.metadata?.annotations?.['deployment.kubernetes.io/revision'],
    ).toBe(String(live + 1));
    expect(rolled.status).toMatchObject({
      observedGeneration: rolled.metadata?.generation,
      replicas: 2,
      updatedReplicas: 2,
      readyReplicas: 2,
      availableReplicas: 2,
    });
    expect(rolled.status?.unavailableReplicas).toBeUndefined();
    expect(conditions(rolled).Available).toMatchObject({
      status: 'True',
      reason: 'MinimumReplicasAvailable',
    });
    expect(conditions(rolled).Progressing).toMatchObject({
      status: 'True',
      message: expect.stringMatching(
        /^ReplicaSet "titanic-service-\w+" has successfully progressed\.$/,
      ),
    });

    const afterRollout = await ownedReplicaSets(apps, rolled);
    const newRS = afterRollout[afterRollout.length - 1];
    expect(revisionOf(newRS)).toBe(live + 1);
    expect(newRS.spec?.template?.spec?.containers[0].image).toBe(
      imageFor('1.5.0'),
    );
    expect(newRS.metadata?.name).toBe(
      `${NAME}-${newRS.metadata?.labels?.['pod-template-hash']}`,
    );
    expect(newRS.spec?.selector.matchLabels?.['pod-template-hash']).toBe(
      newRS.metadata?.labels?.['pod-template-hash'],
    );
    expect(newRS.metadata?.annotations).toMatchObject({
      'deployment.kubernetes.io/desired-replicas': '2',
      'deployment.kubernetes.io/max-replicas': '3',
    });
    expect(
      afterRollout.find(rs => rs.metadata?.uid === previousRS.metadata?.uid)
        ?.spec?.replicas,
    ).toBe(0);

    const events = await core.listNamespacedEvent({
      namespace,
      fieldSelector: `involvedObject.name=${NAME},involvedObject.kind=Deployment`,
    });
    const messages = events.items
      .filter(e => e.reason === 'ScalingReplicaSet')
      .map(e => e.message);
    expect(messages).toContain(
      `Scaled up replica set ${newRS.metadata?.name} from 0 to 1`,
    );
    expect(messages).toContain(
      `Scaled down replica set ${previousRS.metadata?.name} from 2 to 1`,
    );

    // kubectl rollout undo: back to revision `live`, which reuses its ReplicaSet under a new revision.
    await rolloutUndo(apps, namespace, NAME);
    const undone = await waitForRollout(
      apps,
      namespace,
      'rollback to complete',
    );
    expect(
      undone.metadata?.annotations?.['deployment.kubernetes.io/revision'],
    ).toBe(String(live + 2));
    expect(undone.spec?.template.spec?.containers[0].image).toBe(
      imageFor(ENVIRONMENT_HISTORY.staging[live - 1]),
    );
    expect(
      undone.spec?.template.metadata?.labels?.['pod-template-hash'],
    ).toBeUndefined();

    const afterUndo = await ownedReplicaSets(apps, undone);
    expect(afterUndo).toHaveLength(afterRollout.length);
    const reused = afterUndo.find(
      rs => rs.metadata?.uid === previousRS.metadata?.uid,
    )!;
    expect(revisionOf(reused)).toBe(live + 2);
    expect(
      reused.metadata?.annotations?.[
        'deployment.kubernetes.io/revision-history'
      ],
    ).toBe(String(live));
    expect(reused.spec?.replicas).toBe(2);
    expect(
      afterUndo.find(rs => rs.metadata?.uid === newRS.metadata?.uid)?.spec
        ?.replicas,
    ).toBe(0);
    expect(afterUndo.map(revisionOf)).toEqual([
      ...Array.from({ length: live - 1 }, (_, i) => i + 1),
      live + 1,
      live + 2,
    ]);
  });

  it('answers 409 Conflict to a write carrying a stale resourceVersion, and lets exactly one of two concurrent rollbacks through', async () => {
    const namespace = 'titanic-dev';
    const observed = await apps.readNamespacedDeployment({
      name: NAME,
      namespace,
    });
    const results = await Promise.allSettled([
      rolloutUndo(apps, namespace, NAME, undefined, observed),
      rolloutUndo(apps, namespace, NAME, undefined, observed),
    ]);
    expect(results.filter(r => r.status === 'fulfilled')).toHaveLength(1);
    const rejected = results.find(
      r => r.status === 'rejected',
    ) as PromiseRejectedResult;
    const conflict = await failureOf(Promise.reject(rejected.reason));
    expect(conflict).toMatchObject({
      code: 409,
      kind: 'Status',
      status: 'Failure',
      reason: 'Conflict',
      message: `Operation cannot be fulfilled on deployments.apps "${NAME}": the object has been modified; please apply your changes to the latest version and try again`,
      details: { name: NAME, group: 'apps', kind: 'deployments' },
    });

    // A PUT of the stale object is refused the same way.
    const stalePut = await failureOf(
      apps.replaceNamespacedDeployment({
        name: NAME,
        namespace,
        body: observed,
      }),
    );
    expect(stalePut).toMatchObject({ code: 409, reason: 'Conflict' });

    // A failed JSON-patch `test` is what the apiserver's patch handler rejects with 422, not 409.
    const failedTest = await failureOf(
      apps.patchNamespacedDeployment(
        {
          name: NAME,
          namespace,
          body: [
            {
              op: 'test',
              path: '/metadata/resourceVersion',
              value: observed.metadata?.resourceVersion,
            },
            { op: 'replace', path: '/spec/replicas', value: 2 },
          ],
        },
        jsonPatch(),
      ),
    );
    expect(failedTest).toMatchObject({
      code: 422,
      reason: 'Invalid',
      message: 'the server rejected our request due to an error in our request',
    });
    await waitForRollout(apps, namespace);
  });

  it('does not roll out a paused Deployment, and rolls out once it is resumed', async () => {
    const namespace = 'titanic-dev';
    const before = await waitForRollout(apps, namespace);
    const revisionsBefore = (await ownedReplicaSets(apps, before)).map(
      revisionOf,
    );
    await apps.patchNamespacedDeployment(
      { name: NAME, namespace, body: { spec: { paused: true } } },
      mergePatch(),
    );
    const paused = await setImage(apps, namespace, imageFor('1.0.0'));

    const observed = await eventually(async () => {
      const d = await apps.readNamespacedDeployment({ name: NAME, namespace });
      return d.status?.observedGeneration === paused.metadata?.generation
        ? d
        : undefined;
    });
    expect(conditions(observed).Progressing).toMatchObject({
      status: 'Unknown',
      reason: 'DeploymentPaused',
      message: 'Deployment is paused',
    });
    // More controller passes over the paused Deployment: none of them may start a rollout.
    for (let pass = 0; pass < 5; pass++) sandbox.cluster.reconcile();
    const still = await apps.readNamespacedDeployment({
      name: NAME,
      namespace,
    });
    expect((await ownedReplicaSets(apps, still)).map(revisionOf)).toEqual(
      revisionsBefore,
    );
    expect(still.status?.updatedReplicas).toBeUndefined();
    expect(still.status?.availableReplicas).toBe(1);

    await apps.patchNamespacedDeployment(
      { name: NAME, namespace, body: { spec: { paused: false } } },
      strategicMergePatch(),
    );
    const resumed = await waitForRollout(apps, namespace, 'resumed rollout');
    expect(resumed.spec?.template.spec?.containers[0].image).toBe(
      imageFor('1.0.0'),
    );
    expect(revisionOf(resumed)).toBe(Math.max(...revisionsBefore) + 1);
  });

  it('stalls a crashing release with ProgressDeadlineExceeded while the old pods keep serving, and recovers on rollback', async () => {
    const namespace = 'titanic-prod';
    const before = await apps.readNamespacedDeployment({
      name: NAME,
      namespace,
    });
    // 600 s scaled by the test timing's deadlineScale (0.002) is 1.2 s.
    expect(before.spec?.progressDeadlineSeconds).toBe(600);
    await setImage(apps, namespace, imageFor(CRASHING_RELEASE_TAG));

    const stalled = await eventually(
      async () => {
        const d = await apps.readNamespacedDeployment({
          name: NAME,
          namespace,
        });
        return conditions(d).Progressing?.reason === 'ProgressDeadlineExceeded'
          ? d
          : undefined;
      },
      15000,
      'ProgressDeadlineExceeded',
    );
    expect(conditions(stalled).Progressing).toMatchObject({
      status: 'False',
      message: expect.stringMatching(
        /^ReplicaSet "titanic-service-\w+" has timed out progressing\.$/,
      ),
    });
    expect(conditions(stalled).Available).toMatchObject({
      status: 'True',
      reason: 'MinimumReplicasAvailable',
    });
    expect(stalled.status).toMatchObject({
      replicas: 4,
      updatedReplicas: 1,
      availableReplicas: 3,
      unavailableReplicas: 1,
    });

    const crashLoop = await eventually(async () => {
      const pods = await core.listNamespacedPod({
        namespace,
        labelSelector: 'app.kubernetes.io/name=titanic-service',
      });
      const crashing = pods.items.find(
        p => p.spec?.containers[0].image === imageFor(CRASHING_RELEASE_TAG),
      );
      const status = crashing?.status?.containerStatuses?.[0];
      return status &&
        status.restartCount >= 2 &&
        status.state?.waiting?.reason === 'CrashLoopBackOff'
        ? crashing
        : undefined;
    });
    expect(crashLoop.status?.phase).toBe('Running');
    expect(crashLoop.status?.containerStatuses?.[0]).toMatchObject({
      ready: false,
      lastState: { terminated: { exitCode: 1, reason: 'Error' } },
    });
    const later = await eventually(async () => {
      const pod = await core.readNamespacedPod({
        name: crashLoop.metadata!.name!,
        namespace,
      });
      return (pod.status?.containerStatuses?.[0].restartCount ?? 0) >
        crashLoop.status!.containerStatuses![0].restartCount
        ? pod
        : undefined;
    });
    expect(later.status?.containerStatuses?.[0].restartCount).toBeGreaterThan(
      2,
    );

    await rolloutUndo(apps, namespace, NAME);
    const recovered = await waitForRollout(apps, namespace, 'recovery');
    expect(recovered.spec?.template.spec?.containers[0].image).toBe(
      imageFor(ENVIRONMENT_HISTORY.prod[ENVIRONMENT_HISTORY.prod.length - 1]),
    );
    expect(recovered.status).toMatchObject({
      replicas: 3,
      updatedReplicas: 3,
      availableReplicas: 3,
    });
    const pods = await core.listNamespacedPod({
      namespace,
      labelSelector: 'app.kubernetes.io/name=titanic-service',
    });
    expect(
      pods.items
        .filter(p => !p.metadata?.deletionTimestamp)
        .every(
          p => p.spec?.containers[0].image !== imageFor(CRASHING_RELEASE_TAG),
        ),
    ).toBe(true);
  });

  it('prunes old ReplicaSets beyond revisionHistoryLimit once a rollout completes', async () => {
    const namespace = 'titanic-dev';
    await apps.patchNamespacedDeployment(
      { name: NAME, namespace, body: { spec: { revisionHistoryLimit: 2 } } },
      mergePatch(),
    );
    await setImage(apps, namespace, imageFor('1.3.0'));
    const done = await waitForRollout(apps, namespace);
    const replicaSets = await eventually(async () => {
      const list = await ownedReplicaSets(apps, done);
      return list.length === 3 ? list : undefined;
    });
    expect(replicaSets.map(rs => rs.spec?.replicas)).toEqual([0, 0, 1]);
    expect(revisionOf(replicaSets[2])).toBe(revisionOf(done));
  });

  it('answered only documents that conform to the Kubernetes schemas', () => {
    expect(sandbox.documentsValidated()).toBeGreaterThan(20);
  });

  it('streams watch events with growing resourceVersions through client-node Watch', async () => {
    const namespace = 'titanic-staging';
    const { kubeConfig } = sandbox.clients();
    const events: Array<{
      type: string;
      resourceVersion: number;
      generation?: number;
    }> = [];
    const watch = new k8s.Watch(kubeConfig);
    const controller = await watch.watch(
      `/apis/apps/v1/namespaces/${namespace}/deployments`,
      { fieldSelector: `metadata.name=${NAME}` },
      (type, object) =>
        events.push({
          type,
          resourceVersion: Number(object.metadata.resourceVersion),
          generation: object.metadata.generation,
        }),
      () => undefined,
    );
    try {
      await eventually(async () => events.length >= 1);
      expect(events[0].type).toBe('ADDED');
      await apps.patchNamespacedDeployment(
        { name: NAME, namespace, body: { spec: { replicas: 3 } } },
        mergePatch(),
      );
      await eventually(
        async () => events.filter(e => e.type === 'MODIFIED').length >= 3,
      );
      const versions = events.map(e => e.resourceVersion);
      expect([...versions].sort((a, b) => a - b)).toEqual(versions);
      await waitForRollout(apps, namespace);
      const pods = await core.listNamespacedPod({
        namespace,
        labelSelector: 'app.kubernetes.io/name=titanic-service',
      });
      expect(
        pods.items.filter(p => !p.metadata?.deletionTimestamp),
      ).toHaveLength(3);
    } finally {
      controller.abort();
    }
  });
});
