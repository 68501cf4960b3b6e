/*
 * The in-memory cluster: the apiserver's storage semantics (defaulting, validation,
 * generation, resourceVersion preconditions, patching, garbage collection) plus the control
 * plane that moves it (deployment and replica set controllers, kubelet, event recorder).
 * The HTTP layer in server.ts only translates requests into these calls.
 */

import { alreadyExists, badRequest, conflict, notFound } from './apiErrors';
import {
  ControllerContext,
  ControllerTiming,
  DEFAULT_TIMING,
  DEPLOYMENTS,
  EVENTS,
  NAMESPACES,
  PODS,
  REPLICA_SETS,
  controllerOf,
  fnv32a,
  randomSuffix,
  seededRandom,
  timestamp,
  uuidFrom,
} from './controllerContext';
import {
  defaultDeployment,
  defaultNamespace,
  defaultPod,
  defaultReplicaSet,
  defaultService,
} from './defaulting';
import { DeploymentController } from './deploymentController';
import { Kubelet } from './kubelet';
import { KubeObject, ObjectStore, copyObject } from './objectStore';
import { applyPatch, deepEqual } from './patches';
import { ReplicaSetController } from './replicaSetController';
import { RESOURCE_TYPES, ResourceType, apiVersionOf } from './resources';
import {
  formatLabelSelector,
  parseFieldSelector,
  parseLabelSelector,
} from './selectors';
import { validateObject } from './validation';

const EVENTS_KEPT_PER_NAMESPACE = 1000;

export interface ListOptions {
  labelSelector?: string;
  fieldSelector?: string;
}

export interface WriteOptions {
  dryRun?: boolean;
}

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

/**
 * Decoding into Go structs turns `null` into an absent field (kubectl sends
 * `"creationTimestamp": null` in every pod template it patches back). Status is the server's
 * own and keeps its nulls (`lastProbeTime: null`).
 */
function dropNulls<T>(value: T): T {
  if (Array.isArray(value)) return value.map(dropNulls) as T;
  if (value && typeof value === 'object') {
    const result: Record<string, unknown> = {};
    for (const [key, child] of Object.entries(value)) {
      if (child !== null) result[key] = dropNulls(child);
    }
    return result as T;
  }
  return value;
}

function decodeClientObject(body: KubeObject): KubeObject {
  const { status, ...rest } = copyObject(body);
  const decoded = dropNulls(rest) as KubeObject;
  if (status !== undefined) decoded.status = status;
  return decoded;
}

export class KubernetesCluster {
  readonly store = new ObjectStore();
  readonly timing: ControllerTiming;
  private readonly crashingImages = new Set<string>();
  private readonly random: () => number;
  private clock: () => number = () => Date.now();
  private readonly context: ControllerContext;
  readonly kubelet: Kubelet;
  readonly replicaSetController: ReplicaSetController;
  readonly deploymentController: DeploymentController;
  private timer?: NodeJS.Timeout;
  private reconcileScheduled?: NodeJS.Immediate;
  private eventSequence = 0;

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
    this.kubelet = new Kubelet(this.context);
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
    this.collectGarbage();
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

  /** The garbage collector's background deletion: dependents of a vanished controller go. */
  private collectGarbage() {
    for (const type of [REPLICA_SETS, PODS]) {
      for (const object of this.store.list(type)) {
        const owner = controllerOf(object);
        if (!owner) continue;
        const ownerType =
          owner.kind === 'Deployment' ? DEPLOYMENTS : REPLICA_SETS;
        const current = this.store.get(
          ownerType,
          object.metadata.namespace,
          owner.name,
        );
        if (!current || current.metadata.uid !== owner.uid) {
          if (type === PODS) {
            this.kubelet.terminate(object);
          } else {
            this.store.remove(
              type,
              object.metadata.namespace,
              object.metadata.name,
            );
          }
        }
      }
    }
  }

  // ---- events ------------------------------------------------------------------------

  recordEvent(
    involved: KubeObject,
    type: 'Normal' | 'Warning',
    reason: string,
    message: string,
    component: string,
  ) {
    const namespace = involved.metadata.namespace ?? 'default';
    if (!this.store.get(NAMESPACES, undefined, namespace)) return;
    const now = timestamp(this.clock());
    const existing = this.store
      .list(EVENTS, namespace)
      .find(
        e =>
          e.involvedObject?.uid === involved.metadata.uid &&
          e.reason === reason &&
          e.message === message,
      );
    if (existing) {
      this.store.replace(EVENTS, {
        ...existing,
        count: (existing.count ?? 1) + 1,
        lastTimestamp: now,
      });
      return;
    }
    const nanos =
      BigInt(this.clock()) * 1000000n + BigInt(this.eventSequence++ % 1000000);
    this.store.insert(EVENTS, {
      apiVersion: 'v1',
      kind: 'Event',
      metadata: {
        name: `${involved.metadata.name}.${nanos.toString(16)}`,
        namespace,
        uid: this.context.newUid(),
        resourceVersion: '',
        creationTimestamp: now,
      },
      involvedObject: {
        kind: involved.kind,
        namespace,
        name: involved.metadata.name,
        uid: involved.metadata.uid,
        apiVersion: involved.apiVersion,
        resourceVersion: involved.metadata.resourceVersion,
      },
      reason,
      message,
      source: {
        component,
        ...(component === 'kubelet' ? { host: involved.spec?.nodeName } : {}),
      },
      firstTimestamp: now,
      lastTimestamp: now,
      count: 1,
      type,
      eventTime: null,
      reportingComponent: component,
      reportingInstance:
        component === 'kubelet' ? involved.spec?.nodeName ?? '' : '',
    });
    const events = this.store.list(EVENTS, namespace);
    if (events.length > EVENTS_KEPT_PER_NAMESPACE) {
      events
        .sort((a, b) =>
          a.metadata.resourceVersion.localeCompare(
            b.metadata.resourceVersion,
            undefined,
            { numeric: true },
          ),
        )
        .slice(0, events.length - EVENTS_KEPT_PER_NAMESPACE)
        .forEach(e => this.store.remove(EVENTS, namespace, e.metadata.name));
    }
  }

  /** Drops every event (after seeding history, whose events a real cluster would have expired). */
  clearEvents() {
    for (const event of this.store.list(EVENTS)) {
      this.store.remove(EVENTS, event.metadata.namespace, event.metadata.name);
    }
  }

  // ---- the API's storage semantics ------------------------------------------------------

  private gr(type: ResourceType) {
    return { group: type.group, resource: type.resource };
  }

  get(
    type: ResourceType,
    namespace: string | undefined,
    name: string,
  ): KubeObject {
    const object = this.store.get(type, namespace, name);
    if (!object) throw notFound(this.gr(type), name);
    return object;
  }

  list(
    type: ResourceType,
    namespace: string | undefined,
    options: ListOptions = {},
  ) {
    const labels = parseLabelSelector(options.labelSelector);
    const fields = parseFieldSelector(options.fieldSelector);
    const items = this.store
      .list(type, namespace)
      .filter(o => labels(o.metadata.labels) && fields(o));
    return { items, resourceVersion: this.store.resourceVersion };
  }

  /** A predicate for watches, with the same selectors as list. */
  matcher(options: ListOptions): (object: KubeObject) => boolean {
    const labels = parseLabelSelector(options.labelSelector);
    const fields = parseFieldSelector(options.fieldSelector);
    return o => labels(o.metadata.labels) && fields(o);
  }

  private applyDefaults(type: ResourceType, object: KubeObject) {
    switch (type.kind) {
      case 'Deployment':
        defaultDeployment(object);
        break;
      case 'ReplicaSet':
        defaultReplicaSet(object);
        break;
      case 'Pod':
        defaultPod(object);
        break;
      case 'Namespace':
        defaultNamespace(object);
        break;
      case 'Service':
        defaultService(object);
        break;
      default:
    }
  }

  create(
    type: ResourceType,
    namespace: string | undefined,
    body: KubeObject,
    options: WriteOptions = {},
  ): KubeObject {
    if (!body || typeof body !== 'object' || !body.metadata) {
      throw badRequest(
        'the body of the request must be an object with metadata',
      );
    }
    if (type.namespaced) {
      if (body.metadata.namespace && body.metadata.namespace !== namespace) {
        throw badRequest(
          'the namespace of the provided object does not match the namespace sent on the request',
        );
      }
      if (!this.store.get(NAMESPACES, undefined, namespace!)) {
        throw notFound(this.gr(NAMESPACES), namespace!);
      }
    }
    if (body.metadata.resourceVersion) {
      throw badRequest(
        'resourceVersion should not be set on objects to be created',
      );
    }
    const object = decodeClientObject(body);
    object.apiVersion = apiVersionOf(type);
    object.kind = type.kind;
    if (!object.metadata.name && object.metadata.generateName) {
      object.metadata.name =
        object.metadata.generateName + randomSuffix(this.random);
    }
    if (type.namespaced) object.metadata.namespace = namespace;
    else delete object.metadata.namespace;
    object.metadata.uid = this.context.newUid();
    object.metadata.creationTimestamp = timestamp(this.clock());
    delete object.metadata.deletionTimestamp;
    // Workload API groups track generation; core kinds (pods, services...) do not.
    if (type.group) object.metadata.generation = 1;
    if (type.kind === 'Deployment' || type.kind === 'ReplicaSet')
      delete object.status;
    this.applyDefaults(type, object);
    validateObject(type, object);
    if (this.store.get(type, object.metadata.namespace, object.metadata.name)) {
      throw alreadyExists(this.gr(type), object.metadata.name);
    }
    if (options.dryRun) return object;
    if (type.kind === 'Pod') this.kubelet.podCreated(object, this.clock());
    const created = this.store.insert(type, object);
    this.reconcileSoon();
    return created;
  }

  /** PUT: the whole object, or its status subresource. Carries the optimistic-concurrency check. */
  replace(
    type: ResourceType,
    namespace: string | undefined,
    name: string,
    body: KubeObject,
    subresource?: 'status',
    options: WriteOptions = {},
  ): KubeObject {
    const current = this.get(type, namespace, name);
    if (!body || typeof body !== 'object' || !body.metadata) {
      throw badRequest(
        'the body of the request must be an object with metadata',
      );
    }
    if (body.metadata.name && body.metadata.name !== name) {
      throw badRequest(
        `the name of the object (${body.metadata.name}) does not match the name on the URL (${name})`,
      );
    }
    if (
      body.metadata.resourceVersion &&
      body.metadata.resourceVersion !== current.metadata.resourceVersion
    ) {
      throw conflict(this.gr(type), name);
    }
    if (body.metadata.uid && body.metadata.uid !== current.metadata.uid) {
      throw conflict(this.gr(type), name);
    }
    const object = decodeClientObject(body);
    object.apiVersion = apiVersionOf(type);
    object.kind = type.kind;
    // System fields are the server's, whatever the client sent.
    object.metadata = {
      ...object.metadata,
      name,
      namespace: current.metadata.namespace,
      uid: current.metadata.uid,
      creationTimestamp: current.metadata.creationTimestamp,
      resourceVersion: current.metadata.resourceVersion,
      ...(current.metadata.generation !== undefined
        ? { generation: current.metadata.generation }
        : {}),
    };
    if (!type.namespaced) delete object.metadata.namespace;
    if (subresource === 'status') {
      object.spec = current.spec;
      object.metadata.labels = current.metadata.labels;
    } else if (type.kind !== 'Event') {
      object.status = current.status;
      this.applyDefaults(type, object);
      validateObject(type, object, current);
      // Spec changes bump generation; for Deployments annotation changes do too (copied to ReplicaSets).
      const specChanged = !deepEqual(object.spec, current.spec);
      const annotationsChanged =
        type.kind === 'Deployment' &&
        !deepEqual(
          object.metadata.annotations ?? {},
          current.metadata.annotations ?? {},
        );
      if (
        object.metadata.generation !== undefined &&
        (specChanged || annotationsChanged)
      ) {
        object.metadata.generation += 1;
      }
    }
    if (type.kind === 'Namespace') object.status = current.status;
    if (options.dryRun) return object;
    if (deepEqual(object, current)) return current;
    const replaced = this.store.replace(type, object);
    this.reconcileSoon();
    return replaced;
  }

  patch(
    type: ResourceType,
    namespace: string | undefined,
    name: string,
    contentType: string,
    patch: unknown,
    subresource?: 'status',
    options: WriteOptions = {},
  ): KubeObject {
    const current = this.get(type, namespace, name);
    const patched = applyPatch(contentType, current, patch) as KubeObject;
    if (!patched || typeof patched !== 'object' || !patched.metadata) {
      throw badRequest('the patched object must keep its metadata');
    }
    // A patch that leaves resourceVersion alone is unconditional; one that sets it is a precondition.
    return this.replace(type, namespace, name, patched, subresource, options);
  }

  // ---- scale subresource ---------------------------------------------------------------

  getScale(type: ResourceType, namespace: string, name: string) {
    const object = this.get(type, namespace, name);
    return {
      kind: 'Scale',
      apiVersion: 'autoscaling/v1',
      metadata: {
        name,
        namespace,
        uid: object.metadata.uid,
        resourceVersion: object.metadata.resourceVersion,
        creationTimestamp: object.metadata.creationTimestamp,
      },
      spec: { replicas: object.spec?.replicas ?? 0 },
      status: {
        replicas: object.status?.replicas ?? 0,
        selector: formatLabelSelector(object.spec?.selector),
      },
    };
  }

  replaceScale(
    type: ResourceType,
    namespace: string,
    name: string,
    scale: KubeObject,
    options: WriteOptions = {},
  ) {
    const object = this.get(type, namespace, name);
    if (
      scale?.metadata?.resourceVersion &&
      scale.metadata.resourceVersion !== object.metadata.resourceVersion
    ) {
      throw conflict(this.gr(type), name);
    }
    const replicas = scale?.spec?.replicas;
    if (typeof replicas !== 'number')
      throw badRequest('spec.replicas must be a number');
    object.spec.replicas = replicas;
    this.replace(type, namespace, name, object, undefined, options);
    return this.getScale(type, namespace, name);
  }

  patchScale(
    type: ResourceType,
    namespace: string,
    name: string,
    contentType: string,
    patch: unknown,
    options: WriteOptions = {},
  ) {
    const scale = this.getScale(type, namespace, name);
    const patched = applyPatch(contentType, scale, patch) as KubeObject;
    return this.replaceScale(type, namespace, name, patched, options);
  }

  // ---- delete ----------------------------------------------------------------------------

  delete(
    type: ResourceType,
    namespace: string | undefined,
    name: string,
    preconditions: { resourceVersion?: string; uid?: string } = {},
    options: WriteOptions & { gracePeriodSeconds?: number } = {},
  ): KubeObject {
    const current = this.get(type, namespace, name);
    if (
      (preconditions.resourceVersion &&
        preconditions.resourceVersion !== current.metadata.resourceVersion) ||
      (preconditions.uid && preconditions.uid !== current.metadata.uid)
    ) {
      throw conflict(this.gr(type), name);
    }
    if (options.dryRun) return current;
    if (type.kind === 'Namespace') {
      for (const contained of RESOURCE_TYPES.filter(t => t.namespaced)) {
        for (const object of this.store.list(contained, name)) {
          this.store.remove(contained, name, object.metadata.name);
        }
      }
    }
    if (type.kind === 'Pod') {
      // Graceful deletion: the pod answers with its deletionTimestamp and goes once stopped.
      const terminating = this.kubelet.terminate(
        current,
        options.gracePeriodSeconds ??
          current.spec?.terminationGracePeriodSeconds ??
          30,
      );
      this.reconcileSoon();
      return terminating ?? current;
    }
    const removed = this.store.remove(type, namespace, name)!;
    this.reconcileSoon();
    return removed;
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
