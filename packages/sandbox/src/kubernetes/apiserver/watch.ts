/*
 * Watches as the apiserver streams them: newline-delimited JSON events from a resourceVersion
 * (410 Expired once it is older than the store remembers), objects entering and leaving a
 * selector as ADDED and DELETED, one-row Tables for `kubectl get -w`, ended by timeoutSeconds.
 */

import http from 'node:http';
import { expired } from '../apimachinery/apiErrors';
import { KubeObject } from '../apimachinery/objects';
import { KubernetesCluster } from '../cluster';
import { StoreChange, WatchEventType } from '../store/objectStore';
import { ResourceRequest } from './requestInfo';
import { IncludeObject, toTable, wantsTable } from './tables';

/** What a watch needs from the server serving it. */
export interface WatchServer {
  cluster: KubernetesCluster;
  /** Stops of the watches still open, so closing the server ends them. */
  openWatches: Set<() => void>;
  onResponseDocument?: (document: unknown) => void;
}

export function serveWatch(
  request: http.IncomingMessage,
  response: http.ServerResponse,
  { type, namespace, name }: ResourceRequest,
  listOptions: { labelSelector?: string; fieldSelector?: string },
  query: URLSearchParams,
  { cluster, openWatches, onResponseDocument }: WatchServer,
) {
  const matchesSelectors = cluster.matcher(listOptions);
  const matches = (object: KubeObject | undefined) =>
    object !== undefined &&
    (namespace === undefined || object.metadata.namespace === namespace) &&
    (name === undefined || object.metadata.name === name) &&
    matchesSelectors(object);

  response.writeHead(200, {
    'Content-Type': 'application/json',
    'Cache-Control': 'no-cache, private',
    'Transfer-Encoding': 'chunked',
  });
  response.flushHeaders();
  // `kubectl get -w` watches with server-side printing: each event then carries a one-row Table.
  const asTable = wantsTable(request.headers.accept);
  const includeObject = (query.get('includeObject') ??
    'Metadata') as IncludeObject;
  const send = (eventType: WatchEventType | 'ERROR', object: unknown) => {
    const payload =
      asTable && eventType !== 'ERROR'
        ? toTable(
            type.kind,
            [object as KubeObject],
            (object as KubeObject).metadata.resourceVersion,
            cluster.now(),
            includeObject,
          )
        : object;
    onResponseDocument?.({ type: eventType, object: payload });
    response.write(`${JSON.stringify({ type: eventType, object: payload })}\n`);
  };
  const deliver = (change: StoreChange) => {
    if (change.resourceType !== type) return;
    const nowMatches = matches(change.object);
    const matchedBefore =
      change.type === 'MODIFIED' ? matches(change.previous) : nowMatches;
    if (change.type === 'MODIFIED' && nowMatches !== matchedBefore) {
      send(nowMatches ? 'ADDED' : 'DELETED', change.object);
    } else if (nowMatches) {
      send(change.type, change.object);
    }
  };

  const requested = query.get('resourceVersion');
  if (!requested || requested === '0') {
    for (const object of cluster.store.list(type, namespace)) {
      if (matches(object)) send('ADDED', object);
    }
  } else {
    const changes = cluster.store.changesSince(Number(requested));
    if (!changes) {
      send(
        'ERROR',
        expired(requested, cluster.store.oldestRememberedVersion()).status,
      );
      response.end();
      return;
    }
    for (const change of changes) deliver(change);
  }

  const unsubscribe = cluster.store.subscribe(deliver);
  const timeoutSeconds = Number(query.get('timeoutSeconds') ?? 1800);
  const lifetime: { stopped: boolean; timer?: NodeJS.Timeout } = {
    stopped: false,
  };
  const stop = () => {
    if (lifetime.stopped) return;
    lifetime.stopped = true;
    unsubscribe();
    clearTimeout(lifetime.timer);
    openWatches.delete(stop);
    response.end();
  };
  lifetime.timer = setTimeout(stop, timeoutSeconds * 1000);
  lifetime.timer.unref?.();
  openWatches.add(stop);
  request.on('close', stop);
  response.on('close', stop);
}
