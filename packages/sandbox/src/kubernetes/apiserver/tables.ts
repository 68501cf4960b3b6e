/*
 * Server-side printing (meta.k8s.io/v1 Table), which kubectl asks for on `get`: the same
 * columns the apiserver's printers emit for our kinds, so `kubectl get deploy` reads as usual.
 */

import { parseTimestamp } from '../apimachinery/objects';
import { KubeObject } from '../apimachinery/objects';
import { formatLabelSelector } from '../apimachinery/selectors';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

interface Column {
  name: string;
  type: 'string' | 'integer';
  format?: string;
  description: string;
  priority: number;
  cell(object: KubeObject, now: number): string | number;
}

/** duration.HumanDuration, as kubectl's AGE column prints it. */
export function humanDuration(ms: number): string {
  const seconds = Math.floor(ms / 1000);
  if (seconds < -1) return '<invalid>';
  if (seconds < 0) return '0s';
  if (seconds < 120) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 10)
    return seconds % 60 === 0 ? `${minutes}m` : `${minutes}m${seconds % 60}s`;
  if (minutes < 180) return `${minutes}m`;
  const hours = Math.floor(minutes / 60);
  if (hours < 8)
    return minutes % 60 === 0 ? `${hours}h` : `${hours}h${minutes % 60}m`;
  if (hours < 48) return `${hours}h`;
  if (hours < 24 * 8)
    return hours % 24 === 0
      ? `${Math.floor(hours / 24)}d`
      : `${Math.floor(hours / 24)}d${hours % 24}h`;
  if (hours < 24 * 365 * 2) return `${Math.floor(hours / 24)}d`;
  return `${Math.floor(hours / 24 / 365)}y`;
}

const age = (o: KubeObject, now: number) =>
  humanDuration(now - parseTimestamp(o.metadata.creationTimestamp));
const name: Column = {
  name: 'Name',
  type: 'string',
  format: 'name',
  description: 'Name must be unique within a namespace.',
  priority: 0,
  cell: o => o.metadata.name,
};
const ageColumn: Column = {
  name: 'Age',
  type: 'string',
  description:
    'CreationTimestamp is a timestamp representing the server time when this object was created.',
  priority: 0,
  cell: age,
};
const containersColumn: Column = {
  name: 'Containers',
  type: 'string',
  description: 'Names of each container in the template.',
  priority: 1,
  cell: o =>
    (o.spec?.template?.spec?.containers ?? [])
      .map((c: Json) => c.name)
      .join(','),
};
const imagesColumn: Column = {
  name: 'Images',
  type: 'string',
  description: 'Images referenced by each container in the template.',
  priority: 1,
  cell: o =>
    (o.spec?.template?.spec?.containers ?? [])
      .map((c: Json) => c.image)
      .join(','),
};
const selectorColumn: Column = {
  name: 'Selector',
  type: 'string',
  description: 'Label selector for pods.',
  priority: 1,
  cell: o => formatLabelSelector(o.spec?.selector),
};

function podStatusReason(pod: KubeObject): string {
  if (pod.metadata.deletionTimestamp) return 'Terminating';
  for (const status of pod.status?.containerStatuses ?? []) {
    if (status.state?.waiting?.reason) return status.state.waiting.reason;
    if (status.state?.terminated?.reason) return status.state.terminated.reason;
  }
  return pod.status?.phase ?? 'Pending';
}

function podRestarts(pod: KubeObject, now: number): string {
  const statuses: Json[] = pod.status?.containerStatuses ?? [];
  const restarts = statuses.reduce((n, s) => n + (s.restartCount ?? 0), 0);
  const lastFinished = statuses
    .map(s => parseTimestamp(s.lastState?.terminated?.finishedAt))
    .reduce((a, b) => Math.max(a, b), 0);
  return restarts > 0 && lastFinished > 0
    ? `${restarts} (${humanDuration(now - lastFinished)} ago)`
    : String(restarts);
}

const COLUMNS: Record<string, Column[]> = {
  Deployment: [
    name,
    {
      name: 'Ready',
      type: 'string',
      description: 'Number of the pod with ready state',
      priority: 0,
      cell: o => `${o.status?.readyReplicas ?? 0}/${o.spec?.replicas ?? 0}`,
    },
    {
      name: 'Up-to-date',
      type: 'integer',
      description:
        'Total number of non-terminated pods targeted by this deployment that have the desired template spec.',
      priority: 0,
      cell: o => o.status?.updatedReplicas ?? 0,
    },
    {
      name: 'Available',
      type: 'integer',
      description:
        'Total number of available pods (ready for at least minReadySeconds) targeted by this deployment.',
      priority: 0,
      cell: o => o.status?.availableReplicas ?? 0,
    },
    ageColumn,
    containersColumn,
    imagesColumn,
    selectorColumn,
  ],
  ReplicaSet: [
    name,
    {
      name: 'Desired',
      type: 'integer',
      description: 'Replicas is the number of desired replicas.',
      priority: 0,
      cell: o => o.spec?.replicas ?? 0,
    },
    {
      name: 'Current',
      type: 'integer',
      description: 'Replicas is the most recently observed number of replicas.',
      priority: 0,
      cell: o => o.status?.replicas ?? 0,
    },
    {
      name: 'Ready',
      type: 'integer',
      description: 'The number of ready replicas for this replica set.',
      priority: 0,
      cell: o => o.status?.readyReplicas ?? 0,
    },
    ageColumn,
    containersColumn,
    imagesColumn,
    selectorColumn,
  ],
  Pod: [
    name,
    {
      name: 'Ready',
      type: 'string',
      description:
        'The aggregate readiness state of this pod for accepting traffic.',
      priority: 0,
      cell: o => {
        const statuses: Json[] = o.status?.containerStatuses ?? [];
        return `${statuses.filter(s => s.ready).length}/${
          (o.spec?.containers ?? []).length
        }`;
      },
    },
    {
      name: 'Status',
      type: 'string',
      description: 'The aggregate status of the containers in this pod.',
      priority: 0,
      cell: podStatusReason,
    },
    {
      name: 'Restarts',
      type: 'string',
      description:
        'The number of times the containers in this pod have been restarted and when the last container in this pod has restarted.',
      priority: 0,
      cell: podRestarts,
    },
    ageColumn,
    {
      name: 'IP',
      type: 'string',
      description: 'IP address allocated to the pod.',
      priority: 1,
      cell: o => o.status?.podIP ?? '<none>',
    },
    {
      name: 'Node',
      type: 'string',
      description: 'Name of the Node this pod is scheduled on.',
      priority: 1,
      cell: o => o.spec?.nodeName ?? '<none>',
    },
    {
      name: 'Nominated Node',
      type: 'string',
      description: 'Name of the Node this pod is nominated to.',
      priority: 1,
      cell: () => '<none>',
    },
    {
      name: 'Readiness Gates',
      type: 'string',
      description: 'The readiness gates of this pod.',
      priority: 1,
      cell: () => '<none>',
    },
  ],
  Namespace: [
    name,
    {
      name: 'Status',
      type: 'string',
      description: 'The status of the namespace',
      priority: 0,
      cell: o => o.status?.phase ?? 'Active',
    },
    ageColumn,
  ],
  Event: [
    {
      name: 'Last Seen',
      type: 'string',
      description: 'Time when this Event was last observed.',
      priority: 0,
      cell: (o, now) => humanDuration(now - parseTimestamp(o.lastTimestamp)),
    },
    {
      name: 'Type',
      type: 'string',
      description: 'Type of this event (Normal, Warning).',
      priority: 0,
      cell: o => o.type,
    },
    {
      name: 'Reason',
      type: 'string',
      description: 'This should be a short, machine understandable string.',
      priority: 0,
      cell: o => o.reason,
    },
    {
      name: 'Object',
      type: 'string',
      description: 'The object this Event is about.',
      priority: 0,
      cell: o =>
        `${String(o.involvedObject?.kind).toLowerCase()}/${
          o.involvedObject?.name
        }`,
    },
    {
      name: 'Message',
      type: 'string',
      description:
        'A human-readable description of the status of this operation.',
      priority: 0,
      cell: o => o.message,
    },
  ],
};

export type IncludeObject = 'None' | 'Metadata' | 'Object';

export function toTable(
  kind: string,
  objects: KubeObject[],
  resourceVersion: string,
  now: number,
  includeObject: IncludeObject = 'Metadata',
) {
  const columns = COLUMNS[kind] ?? [name, ageColumn];
  return {
    kind: 'Table',
    apiVersion: 'meta.k8s.io/v1',
    metadata: { resourceVersion },
    columnDefinitions: columns.map(c => ({
      name: c.name,
      type: c.type,
      format: c.format ?? '',
      description: c.description,
      priority: c.priority,
    })),
    rows: objects.map(o => ({
      cells: columns.map(c => c.cell(o, now)),
      ...(includeObject === 'None'
        ? {}
        : {
            object:
              includeObject === 'Object'
                ? o
                : {
                    kind: 'PartialObjectMetadata',
                    apiVersion: 'meta.k8s.io/v1',
                    metadata: o.metadata,
                  },
          }),
    })),
  };
}

/** Whether an Accept header asks for server-side printing. */
export function wantsTable(accept: string | undefined): boolean {
  if (!accept) return false;
  const first = accept.split(',')[0];
  return /as=Table/.test(first) && /g=meta\.k8s\.io/.test(first);
}
