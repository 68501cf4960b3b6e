/*
 * The API resources the sandbox serves, described once: routing, discovery documents,
 * RBAC messages and Status details are all derived from this table.
 */

export interface ResourceType {
  group: string;
  version: string;
  /** Plural, lower-case, as in URLs: `deployments`. */
  resource: string;
  singularName: string;
  kind: string;
  namespaced: boolean;
  shortNames?: string[];
  categories?: string[];
  verbs: string[];
  /** Subresources served below the resource: `status`, `scale`, `log`. */
  subresources: Array<{ name: string; kind: string; verbs: string[] }>;
}

const ALL_VERBS = [
  'create',
  'delete',
  'get',
  'list',
  'patch',
  'update',
  'watch',
];

export const RESOURCE_TYPES: readonly ResourceType[] = [
  {
    group: '',
    version: 'v1',
    resource: 'namespaces',
    singularName: 'namespace',
    kind: 'Namespace',
    namespaced: false,
    shortNames: ['ns'],
    verbs: ALL_VERBS,
    subresources: [],
  },
  {
    group: '',
    version: 'v1',
    resource: 'pods',
    singularName: 'pod',
    kind: 'Pod',
    namespaced: true,
    shortNames: ['po'],
    categories: ['all'],
    verbs: ALL_VERBS,
    subresources: [
      { name: 'log', kind: 'Pod', verbs: ['get'] },
      { name: 'status', kind: 'Pod', verbs: ['get', 'patch', 'update'] },
    ],
  },
  {
    group: '',
    version: 'v1',
    resource: 'events',
    singularName: 'event',
    kind: 'Event',
    namespaced: true,
    shortNames: ['ev'],
    verbs: ALL_VERBS,
    subresources: [],
  },
  {
    group: 'apps',
    version: 'v1',
    resource: 'deployments',
    singularName: 'deployment',
    kind: 'Deployment',
    namespaced: true,
    shortNames: ['deploy'],
    categories: ['all'],
    verbs: ALL_VERBS,
    subresources: [
      { name: 'scale', kind: 'Scale', verbs: ['get', 'patch', 'update'] },
      { name: 'status', kind: 'Deployment', verbs: ['get', 'patch', 'update'] },
    ],
  },
  {
    group: 'apps',
    version: 'v1',
    resource: 'replicasets',
    singularName: 'replicaset',
    kind: 'ReplicaSet',
    namespaced: true,
    shortNames: ['rs'],
    categories: ['all'],
    verbs: ALL_VERBS,
    subresources: [
      { name: 'scale', kind: 'Scale', verbs: ['get', 'patch', 'update'] },
      { name: 'status', kind: 'ReplicaSet', verbs: ['get', 'patch', 'update'] },
    ],
  },
  // Stored as written, with no controller behind them: Backstage's Kubernetes plugin lists
  // these for every entity, and a 404 would show as an error on the entity page.
  ...(
    [
      ['', 'v1', 'services', 'Service', ['svc']],
      ['', 'v1', 'configmaps', 'ConfigMap', ['cm']],
      ['', 'v1', 'limitranges', 'LimitRange', ['limits']],
      ['', 'v1', 'resourcequotas', 'ResourceQuota', ['quota']],
      [
        'autoscaling',
        'v2',
        'horizontalpodautoscalers',
        'HorizontalPodAutoscaler',
        ['hpa'],
      ],
      ['batch', 'v1', 'jobs', 'Job', []],
      ['batch', 'v1', 'cronjobs', 'CronJob', ['cj']],
      ['networking.k8s.io', 'v1', 'ingresses', 'Ingress', ['ing']],
      ['apps', 'v1', 'statefulsets', 'StatefulSet', ['sts']],
      ['apps', 'v1', 'daemonsets', 'DaemonSet', ['ds']],
    ] as const
  ).map(
    ([group, version, resource, kind, shortNames]): ResourceType => ({
      group,
      version,
      resource,
      singularName: kind.toLowerCase(),
      kind,
      namespaced: true,
      ...(shortNames.length > 0 ? { shortNames: [...shortNames] } : {}),
      verbs: ALL_VERBS,
      subresources: [],
    }),
  ),
];

export function apiVersionOf(type: ResourceType): string {
  return type.group ? `${type.group}/${type.version}` : type.version;
}

export function findResourceType(
  group: string,
  version: string,
  resource: string,
): ResourceType | undefined {
  return RESOURCE_TYPES.find(
    t => t.group === group && t.version === version && t.resource === resource,
  );
}

export function resourceTypeOfKind(kind: string): ResourceType {
  // Kinds are unique among the served types.
  const type = RESOURCE_TYPES.find(t => t.kind === kind);
  if (!type) {
    throw new Error(`The sandbox does not serve kind ${kind}`);
  }
  return type;
}

export const NAMESPACES = resourceTypeOfKind('Namespace');
export const PODS = resourceTypeOfKind('Pod');
export const EVENTS = resourceTypeOfKind('Event');
export const DEPLOYMENTS = resourceTypeOfKind('Deployment');
export const REPLICA_SETS = resourceTypeOfKind('ReplicaSet');
export const SERVICES = resourceTypeOfKind('Service');
