/*
 * The in-memory cluster: the apiserver's storage (store/: the object store and the registry's
 * semantics) plus the control plane that moves it (controllers/: deployment and replica set
 * controllers, garbage collector, event recorder; kubelet/). The HTTP layer in apiserver/ only
 * translates requests into these calls.
 */

import { KubeObject } from './apimachinery/objects';
import { fnv32a, seededRandom, uuidFrom } from './apimachinery/random';
import {
  DEPLOYMENTS,
  NAMESPACES,
  RESOURCE_TYPES,
} from './apimachinery/resources';
import {
  ControllerContext,
  ControllerTiming,
  DEFAULT_TIMING,
} from './controllers/controllerContext';
import { DeploymentController } from './controllers/deployment/deploymentController';
import { EventRecorder } from './controllers/eventRecorder';
import { collectGarbage } from './controllers/garbageCollector';
import { ReplicaSetController } from './controllers/replicaSetController';
import { Kubelet } from './kubelet/kubelet';
import { ObjectStore } from './store/objectStore';
import { Registry } from './store/registry';

export type { ListOptions, WriteOptions } from './store/registry';

/** The cluster's state as JSON: objects, resourceVersion, pod ages and crashing images. */
export interface KubernetesSnapshot {
  version: 1;
  resourceVersion: string;
  objects: Record<string, KubeObject[]>;
  podCreationTimes: Record<string, number>;
  crashingImages: string[];
}

export interface ClusterOptions {
  timing?: Partial<ControllerTiming>;
  /** Images (full references or bare tags) whose containers crash at start-up. */
  crashingImages?: string[];
  /** Seed of the deterministic random source (uids, pod names). */
  randomSeed?: number;
}

function imageTag(image: string): string {
  const lastSegment = image.split('/').pop() ?? image;
  const colon = lastSegment.indexOf(':');
  return colon >= 0 ? lastSegment.slice(colon + 1) : 'latest';
}

export class KubernetesCluster {
  readonly store = new ObjectStore();
  readonly timing: ControllerTiming;
  private readonly crashingImages = new Set<string>();
  private readonly random: () => number;
  private clock: () => number = () => Date.now();
  private readonly context: ControllerContext;
  private readonly registry: Registry;
  private readonly events: EventRecorder;
  readonly kubelet: Kubelet;
  readonly replicaSetController: ReplicaSetController;
  readonly deploymentController: DeploymentController;
  private timer?: NodeJS.Timeout;
  private reconcileScheduled?: NodeJS.Immediate;

  constructor(options: ClusterOptions = {}) {
    this.timing = { ...DEFAULT_TIMING, ...options.timing };
    this.random = seededRandom(options.randomSeed ?? 20261126);
    for (const image of options.crashingImages ?? [])
      this.crashingImages.add(image);
    this.context = {
      store: this.store,
      timing: this.timing,
      now: () => this.clock(),
      random: () => this.random(),
      isCrashingImage: image => this.isCrashingImage(image),
      recordEvent: (involved, type, reason, message, component) =>
        this.recordEvent(involved, type, reason, message, component),
      newUid: () => uuidFrom(this.random),
    };
    this.events = new EventRecorder(
      this.store,
      () => this.clock(),
      () => this.context.newUid(),
    );
    this.kubelet = new Kubelet(this.context);
    this.registry = new Registry(this.store, {
      now: () => this.clock(),
      random: () => this.random(),
      newUid: () => this.context.newUid(),
      podCreated: (pod, now) => this.kubelet.podCreated(pod, now),
      terminatePod: (pod, gracePeriodSeconds) =>
        this.kubelet.terminate(pod, gracePeriodSeconds),
      written: () => this.reconcileSoon(),
    });
    this.replicaSetController = new ReplicaSetController(
      this.context,
      this.kubelet,
    );
    this.deploymentController = new DeploymentController(this.context);
  }

  now(): number {
    return this.clock();
  }

  /** Runs `body` with the cluster's clock replaced (used to seed history in the past). */
  withClock<T>(clock: () => number, body: () => T): T {
    const previous = this.clock;
    this.clock = clock;
    try {
      return body();
    } finally {
      this.clock = previous;
    }
  }

  // ---- crash rehearsal -------------------------------------------------------------

  /** Makes containers running `imageOrTag` (a full image reference or a bare tag) crash at start-up. */
  markImageCrashing(imageOrTag: string) {
    this.crashingImages.add(imageOrTag);
  }

  markImageHealthy(imageOrTag: string) {
    this.crashingImages.delete(imageOrTag);
  }

  isCrashingImage(image: string): boolean {
    return (
      this.crashingImages.has(image) || this.crashingImages.has(imageTag(image))
    );
  }

  // ---- control loop ------------------------------------------------------------------

  /** One pass of every controller, in the order their informers would usually fire. */
  reconcile() {
    collectGarbage(this.store, this.kubelet);
    this.kubelet.sync();
    this.replicaSetController.sync();
    this.deploymentController.sync();
    this.replicaSetController.sync();
  }

  start() {
    if (this.timer) return;
    this.timer = setInterval(
      () => this.reconcile(),
      this.timing.reconcileIntervalMs,
    );
    this.timer.unref?.();
  }

  stop() {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    if (this.reconcileScheduled) clearImmediate(this.reconcileScheduled);
    this.reconcileScheduled = undefined;
  }

  /** Controllers react to a write at once, as informers would, rather than at the next tick. */
  private reconcileSoon() {
    if (!this.timer || this.reconcileScheduled) return;
    this.reconcileScheduled = setImmediate(() => {
      this.reconcileScheduled = undefined;
      this.reconcile();
    });
  }

  // ---- events ------------------------------------------------------------------------

  recordEvent(
    involved: KubeObject,
    type: 'Normal' | 'Warning',
    reason: string,
    message: string,
    component: string,
  ) {
    this.events.record(involved, type, reason, message, component);
  }

  /** Drops every event (after seeding history, whose events a real cluster would have expired). */
  clearEvents() {
    this.events.clearEvents();
  }

  // ---- the API's storage semantics (store/registry.ts) ---------------------------------

  get(...args: Parameters<Registry['get']>) {
    return this.registry.get(...args);
  }

  list(...args: Parameters<Registry['list']>) {
    return this.registry.list(...args);
  }

  /** A predicate for watches, with the same selectors as list. */
  matcher(...args: Parameters<Registry['matcher']>) {
    return this.registry.matcher(...args);
  }

  create(...args: Parameters<Registry['create']>) {
    return this.registry.create(...args);
  }

  /** PUT: the whole object, or its status subresource. Carries the optimistic-concurrency check. */
  replace(...args: Parameters<Registry['replace']>) {
    return this.registry.replace(...args);
  }

  patch(...args: Parameters<Registry['patch']>) {
    return this.registry.patch(...args);
  }

  getScale(...args: Parameters<Registry['getScale']>) {
    return this.registry.getScale(...args);
  }

  replaceScale(...args: Parameters<Registry['replaceScale']>) {
    return this.registry.replaceScale(...args);
  }

  patchScale(...args: Parameters<Registry['patchScale']>) {
    return this.registry.patchScale(...args);
  }

  delete(...args: Parameters<Registry['delete']>) {
    return this.registry.delete(...args);
  }

  // ---- snapshots ---------------------------------------------------------------------

  toSnapshot(): KubernetesSnapshot {
    return {
      version: 1,
      resourceVersion: this.store.resourceVersion,
      objects: this.store.dump(),
      podCreationTimes: this.kubelet.podCreationTimes(),
      crashingImages: [...this.crashingImages],
    };
  }

  /** A cluster holding a snapshot's state; its random source is reseeded so new uids do not repeat old ones. */
  static fromSnapshot(
    snapshot: KubernetesSnapshot,
    options: ClusterOptions = {},
  ): KubernetesCluster {
    if (snapshot.version !== 1)
      throw new Error(
        `unsupported Kubernetes snapshot version ${snapshot.version}`,
      );
    const cluster = new KubernetesCluster({
      ...options,
      randomSeed: fnv32a(`snapshot/${snapshot.resourceVersion}`),
      crashingImages: snapshot.crashingImages,
    });
    cluster.store.load(
      snapshot.objects,
      RESOURCE_TYPES,
      Number(snapshot.resourceVersion),
    );
    cluster.kubelet.restorePodCreationTimes(snapshot.podCreationTimes);
    return cluster;
  }

  // ---- conveniences for tests and the seeded world ------------------------------------

  deployment(namespace: string, name: string): KubeObject {
    return this.get(DEPLOYMENTS, namespace, name);
  }

  replicaSetsOf(namespace: string, name: string): KubeObject[] {
    return this.deploymentController.ownedReplicaSets(
      this.deployment(namespace, name),
    );
  }

  /** The namespaces every cluster starts with. */
  ensureSystemNamespaces() {
    for (const name of [
      'default',
      'kube-node-lease',
      'kube-public',
      'kube-system',
    ]) {
      this.ensureNamespace(name);
    }
  }

  ensureNamespace(
    name: string,
    labels: Record<string, string> = {},
    annotations: Record<string, string> = {},
  ) {
    if (this.store.get(NAMESPACES, undefined, name)) return;
    this.create(NAMESPACES, undefined, {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name, labels, annotations } as KubeObject['metadata'],
    });
  }

  /**
   * Runs the controllers on a simulated clock from `from` until `done` holds, in steps of
   * `stepMs`; returns the simulated time reached. Seeding history uses it.
   */
  simulateUntil(
    from: number,
    done: () => boolean,
    stepMs = 500,
    maxSteps = 10000,
  ): number {
    let now = from;
    this.withClock(
      () => now,
      () => {
        for (let step = 0; step < maxSteps; step++) {
          this.reconcile();
          if (done()) return;
          now += stepMs;
        }
        throw new Error('the simulated cluster did not settle');
      },
    );
    return now;
  }
}
