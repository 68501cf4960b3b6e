import { Sandbox, VIEWER_TOKEN, imageFor } from '@internal/sandbox';
import { PatchStrategy, setHeaderOptions } from '@kubernetes/client-node';
import {
  CRASHING_IMAGE,
  clustersFor,
  deployImage,
  eventually,
  startFastSandbox,
  titanicBinding,
} from '../__testUtils__/kubernetesSandbox';
import { KubernetesClusters } from '../kubernetes/clusters';
import {
  liveReplicaSet,
  readDeploymentState,
  revisionOf,
  rolloutStatusOf,
} from '../kubernetes/deploymentStatus';
import { Rollbacks } from './rollback';
import { followRollout } from './rolloutFollower';

jest.setTimeout(60_000);

const cause = { changeCause: 'rolled back by a test' };

describe('Rollbacks against the sandbox cluster', () => {
  let sandbox: Sandbox;
  let clusters: KubernetesClusters;

  beforeAll(async () => {
    sandbox = await startFastSandbox();
    clusters = clustersFor(sandbox);
  });

  afterAll(async () => {
    await sandbox?.close();
  });

  const clients = () => clusters.forCluster('sandbox');

  async function finished(binding = titanicBinding('staging'), generation = 0) {
    return followRollout(clients(), binding, {
      generation,
      intervalMs: 20,
      timeoutMs: 10_000,
    });
  }

  it('rolls staging back one revision like kubectl rollout undo: the previous template returns as revision max+1', async () => {
    const staging = titanicBinding('staging');
    const before = await readDeploymentState(clients(), staging);
    expect(revisionOf(before.deployment)).toBe(6);
    expect(before.deployment.spec?.template?.spec?.containers[0].image).toBe(
      imageFor('1.4.0'),
    );

    const result = await new Rollbacks().rollback(clients(), staging, cause);
    expect(result).toMatchObject({
      kind: 'rolled-back',
      from: { revision: 6, image: imageFor('1.4.0') },
      to: { revision: 5, image: imageFor('1.3.1') },
      newRevision: 7,
    });
    const status = await finished(
      staging,
      result.kind === 'rolled-back' ? result.generation : 0,
    );
    expect(status).toMatchObject({
      phase: 'complete',
      revision: 7,
      image: imageFor('1.3.1'),
    });

    const after = await readDeploymentState(clients(), staging);
    // The same ReplicaSet is reused and renumbered; no new one is created.
    expect(after.replicaSets).toHaveLength(before.replicaSets.length);
    const live = liveReplicaSet(after)!;
    expect(revisionOf(live)).toBe(7);
    expect(
      live.metadata?.annotations?.['deployment.kubernetes.io/revision-history'],
    ).toBe('5');
    // The Deployment keeps its own annotations; only the change-cause says what happened.
    expect(
      after.deployment.metadata?.annotations?.['kubernetes.io/change-cause'],
    ).toBe(cause.changeCause);
    expect(
      after.deployment.spec?.template?.metadata?.labels?.['pod-template-hash'],
    ).toBeUndefined();
  });

  it('rolls back to a chosen revision', async () => {
    const dev = titanicBinding('dev');
    const result = await new Rollbacks().rollback(clients(), dev, {
      ...cause,
      toRevision: 3,
      expectedCurrentRevision: 6,
    });
    expect(result).toMatchObject({
      kind: 'rolled-back',
      from: { revision: 6, image: imageFor('1.5.0') },
      to: { revision: 3, image: imageFor('1.3.0') },
      newRevision: 7,
    });
    await expect(
      finished(dev, result.kind === 'rolled-back' ? result.generation : 0),
    ).resolves.toMatchObject({
      phase: 'complete',
      image: imageFor('1.3.0'),
    });
  });

  it('turns two simultaneous rollbacks into exactly one new revision', async () => {
    const prod = titanicBinding('prod');
    const rollbacks = new Rollbacks();
    const request = { ...cause, toRevision: 4, expectedCurrentRevision: 5 };
    const results = await Promise.allSettled([
      rollbacks.rollback(clients(), prod, request),
      rollbacks.rollback(clients(), prod, request),
    ]);
    const outcomes = results.map(r =>
      r.status === 'fulfilled' ? r.value.kind : (r.reason as Error).name,
    );
    expect(outcomes.sort()).toEqual(['no-op', 'rolled-back']);
    const noOp = results.find(
      r => r.status === 'fulfilled' && r.value.kind === 'no-op',
    );
    expect(noOp?.status === 'fulfilled' && noOp.value.message).toMatch(
      /already at revision 6 \(the template of revision 4\)/,
    );
    await finished(prod);
    const state = await readDeploymentState(clients(), prod);
    expect(revisionOf(state.deployment)).toBe(6);
    expect(Math.max(...state.replicaSets.map(revisionOf))).toBe(6);
  });

  it('lets two backend replicas race: the second patch fails its resourceVersion test and answers 409 or no-op', async () => {
    const prod = titanicBinding('prod');
    // Two Rollbacks instances share no lock, as two backend processes would not.
    const results = await Promise.allSettled([
      new Rollbacks().rollback(clients(), prod, {
        ...cause,
        expectedCurrentRevision: 6,
      }),
      new Rollbacks().rollback(clients(), prod, {
        ...cause,
        expectedCurrentRevision: 6,
      }),
    ]);
    const applied = results.filter(
      r => r.status === 'fulfilled' && r.value.kind === 'rolled-back',
    );
    expect(applied).toHaveLength(1);
    const other = results.find(r => r !== applied[0])!;
    const answer =
      other.status === 'rejected'
        ? (other.reason as Error).name
        : other.value.kind;
    expect(['ConflictError', 'no-op']).toContain(answer);
    await finished(prod);
    const state = await readDeploymentState(clients(), prod);
    expect(revisionOf(state.deployment)).toBe(7);
  });

  it('answers 409 when the Deployment moved on since the caller looked', async () => {
    await expect(
      new Rollbacks().rollback(clients(), titanicBinding('prod'), {
        ...cause,
        expectedCurrentRevision: 2,
      }),
    ).rejects.toMatchObject({
      name: 'ConflictError',
      details: { reason: 'revision-changed', currentRevision: 7 },
    });
  });

  it('refuses the revision already live with "already at revision N" and patches nothing', async () => {
    const prod = titanicBinding('prod');
    const before = await readDeploymentState(clients(), prod);
    const result = await new Rollbacks().rollback(clients(), prod, {
      ...cause,
      toRevision: 7,
    });
    expect(result).toMatchObject({
      kind: 'no-op',
      message: 'already at revision 7',
    });
    const after = await readDeploymentState(clients(), prod);
    expect(after.deployment.metadata?.resourceVersion).toBe(
      before.deployment.metadata?.resourceVersion,
    );
  });

  it('refuses an unknown revision with the revisions there are', async () => {
    await expect(
      new Rollbacks().rollback(clients(), titanicBinding('prod'), {
        ...cause,
        toRevision: 42,
      }),
    ).rejects.toMatchObject({
      name: 'NotFoundError',
      message: expect.stringMatching(
        /no revision 42 \(revisions: 7, 6, 3, 2, 1\)/,
      ),
      details: { reason: 'unknown-revision' },
    });
  });

  it('refuses to roll back a paused Deployment', async () => {
    const prod = titanicBinding('prod');
    const apps = clients().apps;
    await apps.patchNamespacedDeployment(
      {
        name: prod.deploymentName,
        namespace: prod.namespace,
        body: { spec: { paused: true } },
      },
      setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
    );
    try {
      await expect(
        new Rollbacks().rollback(clients(), prod, cause),
      ).rejects.toMatchObject({
        name: 'ConflictError',
        message: expect.stringContaining('is paused'),
        details: { reason: 'deployment-paused' },
      });
    } finally {
      await apps.patchNamespacedDeployment(
        {
          name: prod.deploymentName,
          namespace: prod.namespace,
          body: { spec: { paused: false } },
        },
        setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
      );
    }
  });

  it('explains a cluster token without patch rights instead of passing on a bare 403', async () => {
    const viewer = clustersFor(sandbox, VIEWER_TOKEN).forCluster('sandbox');
    await expect(
      new Rollbacks().rollback(viewer, titanicBinding('staging'), cause),
    ).rejects.toMatchObject({
      name: 'NotAllowedError',
      message: expect.stringMatching(
        /^the portal's Kubernetes credentials may not patch deployments in titanic-staging \(cluster sandbox\): .*forbidden/,
      ),
      details: { reason: 'kubernetes-forbidden' },
    });
  });

  it('rolls a crashing release back: the stalled rollout recovers on the previous template', async () => {
    const staging = titanicBinding('staging');
    await deployImage(clusters, staging, CRASHING_IMAGE);
    const stalled = await eventually(async () => {
      const state = await readDeploymentState(clients(), staging);
      const status = rolloutStatusOf(staging, state.deployment, new Date());
      return status.phase === 'stalled' && { status, state };
    }, 'the crashing release to stall');
    expect(stalled.status.image).toBe(CRASHING_IMAGE);
    // A crashing container cycles between running and waiting out its back-off, so wait for a pod
    // caught in the back-off rather than expecting one at the moment the rollout stalled.
    await eventually(async () => {
      const { pods } = await readDeploymentState(clients(), staging);
      return pods.some(
        p =>
          p.status?.containerStatuses?.[0]?.state?.waiting?.reason ===
          'CrashLoopBackOff',
      );
    }, 'a pod of the crashing release to wait in CrashLoopBackOff');

    const result = await new Rollbacks().rollback(clients(), staging, {
      ...cause,
      expectedCurrentRevision: stalled.status.revision,
    });
    expect(result).toMatchObject({
      kind: 'rolled-back',
      to: { image: imageFor('1.3.1') },
    });
    const status = await finished(
      staging,
      result.kind === 'rolled-back' ? result.generation : 0,
    );
    expect(status).toMatchObject({
      phase: 'complete',
      image: imageFor('1.3.1'),
    });
  });
});
