/*
 * API discovery as the legacy (non-aggregated) endpoints serve it: /api, /apis, /apis/<group>,
 * /api/v1 and /apis/apps/v1. Clients that ask for aggregated discovery get these plain
 * documents and fall back, as they do against an apiserver without it.
 */

import {
  RESOURCE_TYPES,
  ResourceType,
  apiVersionOf,
} from '../apimachinery/resources';
import { fnv32a } from '../apimachinery/random';

export const SERVER_VERSION = {
  major: '1',
  minor: '32',
  gitVersion: 'v1.32.4',
  gitCommit: '59526cd4867447956156ae3a602fcbac10a2c335',
  gitTreeState: 'clean',
  buildDate: '2025-04-22T16:02:27Z',
  goVersion: 'go1.23.6',
  compiler: 'gc',
  platform: 'linux/amd64',
};

export function apiVersions(serverAddress: string) {
  return {
    kind: 'APIVersions',
    versions: ['v1'],
    serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress }],
  };
}

function groups(): string[] {
  return [...new Set(RESOURCE_TYPES.filter(t => t.group).map(t => t.group))];
}

export function apiGroup(name: string) {
  const versions = [
    ...new Set(
      RESOURCE_TYPES.filter(t => t.group === name).map(t => t.version),
    ),
  ].map(version => ({ groupVersion: `${name}/${version}`, version }));
  return {
    kind: 'APIGroup',
    apiVersion: 'v1',
    name,
    versions,
    preferredVersion: versions[0],
  };
}

export function apiGroupList() {
  return {
    kind: 'APIGroupList',
    apiVersion: 'v1',
    groups: groups().map(name => {
      const { kind: _kind, apiVersion: _apiVersion, ...group } = apiGroup(name);
      return group;
    }),
  };
}

export function hasGroup(name: string): boolean {
  return groups().includes(name);
}

function storageVersionHash(type: ResourceType): string {
  return Buffer.from(
    fnv32a(`${apiVersionOf(type)}/${type.kind}`)
      .toString(16)
      .padStart(8, '0'),
  )
    .toString('base64')
    .slice(0, 11)
    .concat('=');
}

export function apiResourceList(group: string, version: string) {
  const types = RESOURCE_TYPES.filter(
    t => t.group === group && t.version === version,
  );
  if (types.length === 0) return undefined;
  const resources = types.flatMap(type => [
    {
      name: type.resource,
      singularName: type.singularName,
      namespaced: type.namespaced,
      kind: type.kind,
      verbs: [...type.verbs, 'deletecollection']
        .filter(v => v !== 'deletecollection' || type.kind !== 'Namespace')
        .sort(),
      ...(type.shortNames ? { shortNames: type.shortNames } : {}),
      ...(type.categories ? { categories: type.categories } : {}),
      storageVersionHash: storageVersionHash(type),
    },
    ...type.subresources.map(sub => ({
      name: `${type.resource}/${sub.name}`,
      singularName: '',
      namespaced: type.namespaced,
      ...(sub.kind === 'Scale' ? { group: 'autoscaling', version: 'v1' } : {}),
      kind: sub.kind,
      verbs: sub.verbs,
    })),
  ]);
  return {
    kind: 'APIResourceList',
    apiVersion: 'v1',
    groupVersion: group ? `${group}/${version}` : version,
    resources,
  };
}
