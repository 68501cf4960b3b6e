/*
 * The sandbox's etcd: every object keyed by resource, namespace and name, one global
 * resourceVersion counter bumped on every write, and a bounded log of changes from which
 * watches resume (older resourceVersions answer 410 Expired, as a compacted etcd does).
 */

import { KubeObject, copyObject } from '../apimachinery/objects';
import { ResourceType } from '../apimachinery/resources';

export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED';

export interface StoreChange {
  type: WatchEventType;
  resourceType: ResourceType;
  object: KubeObject;
  /** The object before a MODIFIED change, to tell when it left a selector. */
  previous?: KubeObject;
  resourceVersion: number;
}

const CHANGE_LOG_LIMIT = 10000;

function storeKey(namespace: string | undefined, name: string): string {
  return `${namespace ?? ''}/${name}`;
}

export class ObjectStore {
  private readonly collections = new Map<string, Map<string, KubeObject>>();
  private readonly changes: StoreChange[] = [];
  private readonly listeners = new Set<(change: StoreChange) => void>();
  private revision: number;
  /** The resourceVersion the change log starts after: older ones are compacted away. */
  private logStart: number;

  constructor(initialRevision = 1000) {
    this.revision = initialRevision;
    this.logStart = initialRevision;
  }

  get resourceVersion(): string {
    return String(this.revision);
  }

  private collection(type: ResourceType): Map<string, KubeObject> {
    const key = `${type.group}/${type.resource}`;
    let collection = this.collections.get(key);
    if (!collection) {
      collection = new Map();
      this.collections.set(key, collection);
    }
    return collection;
  }

  get(
    type: ResourceType,
    namespace: string | undefined,
    name: string,
  ): KubeObject | undefined {
    const object = this.collection(type).get(storeKey(namespace, name));
    return object ? copyObject(object) : undefined;
  }

  list(type: ResourceType, namespace?: string): KubeObject[] {
    const objects = [...this.collection(type).values()]
      .filter(
        o => namespace === undefined || o.metadata.namespace === namespace,
      )
      .map(copyObject);
    return objects.sort((a, b) =>
      storeKey(a.metadata.namespace, a.metadata.name).localeCompare(
        storeKey(b.metadata.namespace, b.metadata.name),
      ),
    );
  }

  /** Stores a new object; the caller has filled uid, timestamps and generation. */
  insert(type: ResourceType, object: KubeObject): KubeObject {
    const stored = copyObject(object);
    stored.metadata.resourceVersion = String(++this.revision);
    this.collection(type).set(
      storeKey(stored.metadata.namespace, stored.metadata.name),
      stored,
    );
    this.emit({
      type: 'ADDED',
      resourceType: type,
      object: stored,
      resourceVersion: this.revision,
    });
    return copyObject(stored);
  }

  /** Replaces a stored object unconditionally (callers check resourceVersion first). */
  replace(type: ResourceType, object: KubeObject): KubeObject {
    const key = storeKey(object.metadata.namespace, object.metadata.name);
    const previous = this.collection(type).get(key);
    if (!previous) throw new Error(`no ${type.resource} ${key} to replace`);
    const stored = copyObject(object);
    stored.metadata.resourceVersion = String(++this.revision);
    this.collection(type).set(key, stored);
    this.emit({
      type: 'MODIFIED',
      resourceType: type,
      object: stored,
      previous,
      resourceVersion: this.revision,
    });
    return copyObject(stored);
  }

  remove(
    type: ResourceType,
    namespace: string | undefined,
    name: string,
  ): KubeObject | undefined {
    const key = storeKey(namespace, name);
    const previous = this.collection(type).get(key);
    if (!previous) return undefined;
    this.collection(type).delete(key);
    const removed = copyObject(previous);
    removed.metadata.resourceVersion = String(++this.revision);
    this.emit({
      type: 'DELETED',
      resourceType: type,
      object: removed,
      resourceVersion: this.revision,
    });
    return copyObject(removed);
  }

  /** Changes after `resourceVersion`, or undefined when the log no longer reaches back that far. */
  changesSince(resourceVersion: number): StoreChange[] | undefined {
    if (resourceVersion < this.logStart) return undefined;
    return this.changes.filter(c => c.resourceVersion > resourceVersion);
  }

  oldestRememberedVersion(): string {
    return String(this.logStart);
  }

  /** Every stored object by `group/resource`, for snapshots. */
  dump(): Record<string, KubeObject[]> {
    const result: Record<string, KubeObject[]> = {};
    for (const [key, collection] of this.collections) {
      result[key] = [...collection.values()].map(copyObject);
    }
    return result;
  }

  /** Loads a dump as it was, resourceVersions included, without notifying watchers. */
  load(
    dump: Record<string, KubeObject[]>,
    types: readonly ResourceType[],
    revision: number,
  ) {
    for (const type of types) {
      const collection = this.collection(type);
      collection.clear();
      for (const object of dump[`${type.group}/${type.resource}`] ?? []) {
        collection.set(
          storeKey(object.metadata.namespace, object.metadata.name),
          copyObject(object),
        );
      }
    }
    this.revision = revision;
    this.logStart = revision;
    this.changes.length = 0;
  }

  subscribe(listener: (change: StoreChange) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private emit(change: StoreChange) {
    this.changes.push(change);
    if (this.changes.length > CHANGE_LOG_LIMIT) {
      this.logStart = this.changes.shift()!.resourceVersion;
    }
    for (const listener of [...this.listeners]) listener(change);
  }
}
