/*
 * The event recorder the controllers and the kubelet report through (client-go's
 * tools/record): one core/v1 Event per object, reason and message, counted when it repeats,
 * at most EVENTS_KEPT_PER_NAMESPACE per namespace (the oldest go first).
 */

import { KubeObject, timestamp } from '../apimachinery/objects';
import { EVENTS, NAMESPACES } from '../apimachinery/resources';
import { ObjectStore } from '../store/objectStore';

const EVENTS_KEPT_PER_NAMESPACE = 1000;

export class EventRecorder {
  private eventSequence = 0;

  constructor(
    private readonly store: ObjectStore,
    private readonly now: () => number,
    private readonly newUid: () => string,
  ) {}

  record(
    involved: KubeObject,
    type: 'Normal' | 'Warning',
    reason: string,
    message: string,
    component: string,
  ) {
    const namespace = involved.metadata.namespace ?? 'default';
    if (!this.store.get(NAMESPACES, undefined, namespace)) return;
    const now = timestamp(this.now());
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
      BigInt(this.now()) * 1000000n + BigInt(this.eventSequence++ % 1000000);
    this.store.insert(EVENTS, {
      apiVersion: 'v1',
      kind: 'Event',
      metadata: {
        name: `${involved.metadata.name}.${nanos.toString(16)}`,
        namespace,
        uid: this.newUid(),
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
}
