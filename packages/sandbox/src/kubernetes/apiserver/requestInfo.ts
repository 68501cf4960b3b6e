/*
 * What a request asks for, after k8s.io/apiserver's RequestInfo: the resource, namespace, name
 * and subresource a REST path names, and the verb its method and query mean.
 */

import { methodNotAllowed } from '../apimachinery/apiErrors';
import { ResourceType, findResourceType } from '../apimachinery/resources';

export interface ResourceRequest {
  type: ResourceType;
  namespace?: string;
  name?: string;
  subresource?: string;
}

export function parseResourcePath(
  pathname: string,
): ResourceRequest | 'unknown' | undefined {
  const segments = pathname
    .split('/')
    .filter(s => s.length > 0)
    .map(decodeURIComponent);
  let group: string;
  let version: string;
  let rest: string[];
  if (segments[0] === 'api' && segments.length >= 3) {
    group = '';
    version = segments[1];
    rest = segments.slice(2);
  } else if (segments[0] === 'apis' && segments.length >= 4) {
    group = segments[1];
    version = segments[2];
    rest = segments.slice(3);
  } else {
    return undefined;
  }
  if (rest[0] === 'namespaces' && rest.length >= 3) {
    const type = findResourceType(group, version, rest[2]);
    if (!type || !type.namespaced || rest.length > 5) return 'unknown';
    return { type, namespace: rest[1], name: rest[3], subresource: rest[4] };
  }
  const type = findResourceType(group, version, rest[0]);
  if (!type || rest.length > 3) return 'unknown';
  if (type.namespaced && rest.length > 1) return 'unknown';
  return { type, name: rest[1], subresource: rest[2] };
}

export function verbOf(
  method: string,
  request: ResourceRequest,
  watch: boolean,
): string {
  switch (method) {
    case 'GET':
    case 'HEAD':
      if (watch) return 'watch';
      return request.name ? 'get' : 'list';
    case 'POST':
      return 'create';
    case 'PUT':
      return 'update';
    case 'PATCH':
      return 'patch';
    case 'DELETE':
      return request.name ? 'delete' : 'deletecollection';
    default:
      throw methodNotAllowed();
  }
}
