/*
 * The apiserver's storage semantics over the object store, as a registry's strategies apply
 * them: defaulting and validation, system fields, generation, resourceVersion and uid
 * preconditions, patches, the scale subresource, dry runs, graceful pod deletion and namespace
 * deletion. Errors are the API's Status errors.
 */

import {
  alreadyExists,
  badRequest,
  conflict,
  notFound,
} from '../apimachinery/apiErrors';
import { KubeObject, copyObject, timestamp } from '../apimachinery/objects';
import { applyPatch, deepEqual } from '../apimachinery/patches';
import { randomSuffix } from '../apimachinery/random';
import {
  NAMESPACES,
  RESOURCE_TYPES,
  ResourceType,
  apiVersionOf,
} from '../apimachinery/resources';
import {
  formatLabelSelector,
  parseFieldSelector,
  parseLabelSelector,
} from '../apimachinery/selectors';
import {
  defaultDeployment,
  defaultNamespace,
  defaultPod,
  defaultReplicaSet,
  defaultService,
} from './defaulting';
import { ObjectStore } from './objectStore';
import { validateObject } from './validation';

export interface ListOptions {
  labelSelector?: string;
  fieldSelector?: string;
}

export interface WriteOptions {
  dryRun?: boolean;
}

/** The cluster's state as JSON: objects, resourceVersion, pod ages and crashing images. */

/** What the registry needs from the rest of the cluster. */
export interface RegistryHooks {
  now(): number;
  /** The cluster's deterministic random source (generated names). */
  random(): number;
  newUid(): string;
  /** The kubelet learns of a pod as it is stored: its start-up clock begins. */
  podCreated(pod: KubeObject, now: number): void;
  /** Graceful deletion of a pod by the kubelet: the terminating pod, or undefined once gone. */
  terminatePod(
    pod: KubeObject,
    gracePeriodSeconds: number,
  ): KubeObject | undefined;
  /** A write changed the store, so the controllers should look soon. */
  written(): void;
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

export class Registry {
  constructor(
    private readonly store: ObjectStore,
    private readonly hooks: RegistryHooks,
  ) {}

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
        object.metadata.generateName + randomSuffix(() => this.hooks.random());
    }
    if (type.namespaced) object.metadata.namespace = namespace;
    else delete object.metadata.namespace;
    object.metadata.uid = this.hooks.newUid();
    object.metadata.creationTimestamp = timestamp(this.hooks.now());
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
    if (type.kind === 'Pod') this.hooks.podCreated(object, this.hooks.now());
    const created = this.store.insert(type, object);
    this.hooks.written();
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
    this.hooks.written();
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
      const terminating = this.hooks.terminatePod(
        current,
        options.gracePeriodSeconds ??
          current.spec?.terminationGracePeriodSeconds ??
          30,
      );
      this.hooks.written();
      return terminating ?? current;
    }
    const removed = this.store.remove(type, namespace, name)!;
    this.hooks.written();
    return removed;
  }
}
