/*
 * The three patch formats the apiserver accepts on PATCH: JSON patch (RFC 6902), JSON merge
 * patch (RFC 7386) and strategic merge patch, the latter for the fields the sandbox's objects
 * use (lists merged by their patchMergeKey, `$patch` directives, `$setElementOrder`).
 */

import { badRequest, patchNotApplicable } from './apiErrors';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

export const PATCH_CONTENT_TYPES = {
  json: 'application/json-patch+json',
  merge: 'application/merge-patch+json',
  strategic: 'application/strategic-merge-patch+json',
} as const;

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function clone<T>(value: T): T {
  return value === undefined ? value : JSON.parse(JSON.stringify(value));
}

export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b)) {
    return a.length === b.length && a.every((v, i) => deepEqual(v, b[i]));
  }
  if (isObject(a) && isObject(b)) {
    const keys = Object.keys(a);
    return (
      keys.length === Object.keys(b).length &&
      keys.every(
        k =>
          Object.prototype.hasOwnProperty.call(b, k) && deepEqual(a[k], b[k]),
      )
    );
  }
  return false;
}

interface JsonPatchOperation {
  op: string;
  path: string;
  value?: Json;
  from?: string;
}

function parsePointer(pointer: string): string[] {
  if (pointer === '') return [];
  if (!pointer.startsWith('/')) throw patchNotApplicable();
  return pointer
    .slice(1)
    .split('/')
    .map(s => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

function containerAt(document: Json, tokens: string[]): Json {
  let current = document;
  for (const token of tokens) {
    if (Array.isArray(current)) {
      const index = Number(token);
      if (!/^\d+$/.test(token) || index >= current.length)
        throw patchNotApplicable();
      current = current[index];
    } else if (isObject(current)) {
      if (!Object.prototype.hasOwnProperty.call(current, token))
        throw patchNotApplicable();
      current = current[token];
    } else {
      throw patchNotApplicable();
    }
  }
  return current;
}

function getAt(document: Json, pointer: string): Json {
  return containerAt(document, parsePointer(pointer));
}

function removeAt(document: Json, pointer: string): Json {
  const tokens = parsePointer(pointer);
  if (tokens.length === 0) throw patchNotApplicable();
  const parent = containerAt(document, tokens.slice(0, -1));
  const last = tokens[tokens.length - 1];
  if (Array.isArray(parent)) {
    const index = Number(last);
    if (!/^\d+$/.test(last) || index >= parent.length)
      throw patchNotApplicable();
    return parent.splice(index, 1)[0];
  }
  if (isObject(parent) && Object.prototype.hasOwnProperty.call(parent, last)) {
    const removed = parent[last];
    delete parent[last];
    return removed;
  }
  throw patchNotApplicable();
}

function addAt(
  document: Json,
  pointer: string,
  value: Json,
  replace: boolean,
): Json {
  const tokens = parsePointer(pointer);
  if (tokens.length === 0) return value;
  const parent = containerAt(document, tokens.slice(0, -1));
  const last = tokens[tokens.length - 1];
  if (Array.isArray(parent)) {
    if (last === '-' && !replace) {
      parent.push(value);
      return document;
    }
    const index = Number(last);
    const limit = replace ? parent.length - 1 : parent.length;
    if (!/^\d+$/.test(last) || index > limit) throw patchNotApplicable();
    parent.splice(index, replace ? 1 : 0, value);
    return document;
  }
  if (isObject(parent)) {
    if (replace && !Object.prototype.hasOwnProperty.call(parent, last)) {
      throw patchNotApplicable();
    }
    parent[last] = value;
    return document;
  }
  throw patchNotApplicable();
}

/** RFC 6902. A failed `test` or a missing path answers 422, as the apiserver does. */
export function applyJsonPatch(original: unknown, patch: unknown): unknown {
  if (!Array.isArray(patch)) {
    throw badRequest(
      'json: cannot unmarshal object into Go value of type jsonpatch.Patch',
    );
  }
  let document = clone(original) as Json;
  for (const operation of patch as JsonPatchOperation[]) {
    if (!isObject(operation as unknown) || typeof operation.path !== 'string') {
      throw badRequest('invalid JSON patch operation');
    }
    switch (operation.op) {
      case 'add':
        document = addAt(
          document,
          operation.path,
          clone(operation.value ?? null),
          false,
        );
        break;
      case 'replace':
        document = addAt(
          document,
          operation.path,
          clone(operation.value ?? null),
          true,
        );
        break;
      case 'remove':
        removeAt(document, operation.path);
        break;
      case 'move': {
        const value = removeAt(document, operation.from ?? '');
        document = addAt(document, operation.path, value, false);
        break;
      }
      case 'copy': {
        const value = clone(getAt(document, operation.from ?? ''));
        document = addAt(document, operation.path, value, false);
        break;
      }
      case 'test':
        if (
          !deepEqual(getAt(document, operation.path), operation.value ?? null)
        ) {
          throw patchNotApplicable();
        }
        break;
      default:
        throw badRequest(`Unexpected kind: ${operation.op}`);
    }
  }
  return document;
}

/** RFC 7386: objects merge recursively, null deletes, everything else replaces. */
export function applyMergePatch(original: unknown, patch: unknown): unknown {
  if (!isObject(patch)) return clone(patch);
  const result: JsonObject = isObject(original) ? clone(original) : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) {
      delete result[key];
    } else {
      result[key] = applyMergePatch(result[key], value) as Json;
    }
  }
  return result;
}

/**
 * patchMergeKey of the lists the sandbox's kinds carry (from the Go struct tags). Lists not
 * named here are atomic: the patch's list replaces the original's, as for `args`.
 */
const MERGE_KEYS: Record<string, string> = {
  containers: 'name',
  initContainers: 'name',
  ephemeralContainers: 'name',
  env: 'name',
  ports: 'containerPort',
  volumes: 'name',
  volumeMounts: 'mountPath',
  volumeDevices: 'devicePath',
  imagePullSecrets: 'name',
  conditions: 'type',
  ownerReferences: 'uid',
  hostAliases: 'ip',
  topologySpreadConstraints: 'topologyKey',
  resourceClaims: 'name',
};

/** Primitive lists with patchStrategy merge: the patch's values are added (a set union). */
const MERGED_PRIMITIVE_LISTS = new Set(['finalizers']);

function mergeList(field: string, original: Json[], patch: Json[]): Json[] {
  const mergeKey = MERGE_KEYS[field];
  if (patch.some(item => isObject(item) && item.$patch === 'replace')) {
    return patch
      .filter(item => !(isObject(item) && item.$patch === 'replace'))
      .map(stripDirectives);
  }
  if (MERGED_PRIMITIVE_LISTS.has(field)) {
    const result = [...original];
    for (const item of patch)
      if (!result.some(v => deepEqual(v, item))) result.push(item);
    return result;
  }
  if (!mergeKey) return patch.map(stripDirectives);
  const result = clone(original);
  for (const item of patch) {
    if (!isObject(item)) continue;
    const key = item[mergeKey];
    const index = result.findIndex(
      o => isObject(o) && deepEqual(o[mergeKey], key),
    );
    if (item.$patch === 'delete') {
      if (index >= 0) result.splice(index, 1);
    } else if (index >= 0) {
      result[index] = strategicMerge(result[index], item) as Json;
    } else {
      result.push(stripDirectives(item));
    }
  }
  return result;
}

function stripDirectives(value: Json): Json {
  if (Array.isArray(value)) return value.map(stripDirectives);
  if (!isObject(value)) return value;
  const result: JsonObject = {};
  for (const [key, child] of Object.entries(value)) {
    if (key.startsWith('$')) continue;
    if (child === null) continue;
    result[key] = stripDirectives(child);
  }
  return result;
}

function strategicMerge(original: Json | undefined, patch: Json): Json {
  if (!isObject(patch)) return clone(patch);
  if (patch.$patch === 'replace') return stripDirectives(patch);
  if (patch.$patch === 'delete') return {};
  const result: JsonObject = isObject(original) ? clone(original) : {};
  const retainKeys = Array.isArray(patch.$retainKeys)
    ? (patch.$retainKeys as string[])
    : undefined;
  for (const [key, value] of Object.entries(patch)) {
    if (key.startsWith('$deleteFromPrimitiveList/')) {
      const field = key.slice('$deleteFromPrimitiveList/'.length);
      const list = result[field];
      if (Array.isArray(list) && Array.isArray(value)) {
        result[field] = list.filter(v => !value.some(d => deepEqual(d, v)));
      }
      continue;
    }
    if (key.startsWith('$')) continue;
    if (value === null) {
      delete result[key];
    } else if (isObject(value) && value.$patch === 'delete') {
      delete result[key];
    } else if (Array.isArray(value)) {
      const current = result[key];
      result[key] = mergeList(
        key,
        Array.isArray(current) ? current : [],
        value,
      );
    } else if (isObject(value)) {
      result[key] = strategicMerge(result[key], value);
    } else {
      result[key] = value;
    }
  }
  if (retainKeys) {
    for (const key of Object.keys(result)) {
      if (!retainKeys.includes(key)) delete result[key];
    }
  }
  return result;
}

export function applyStrategicMergePatch(
  original: unknown,
  patch: unknown,
): unknown {
  if (!isObject(patch)) throw badRequest('the patch must be a JSON object');
  return strategicMerge(original as Json, patch);
}

export function applyPatch(
  contentType: string,
  original: unknown,
  patch: unknown,
): unknown {
  switch (contentType) {
    case PATCH_CONTENT_TYPES.json:
      return applyJsonPatch(original, patch);
    case PATCH_CONTENT_TYPES.merge:
      return applyMergePatch(original, patch);
    case PATCH_CONTENT_TYPES.strategic:
      return applyStrategicMergePatch(original, patch);
    default:
      throw new Error(`unsupported patch type ${contentType}`);
  }
}
