/*
 * controller.ComputeHash (pkg/controller/controller_utils.go): the `pod-template-hash` a
 * Deployment gives the ReplicaSet of each template, FNV-1a over the template's canonical JSON.
 */

import { fnv32a, safeEncode } from '../apimachinery/random';

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.keys(value as object)
      .sort()
      .map(
        k =>
          `${JSON.stringify(k)}:${canonicalJson(
            (value as Record<string, unknown>)[k],
          )}`,
      );
    return `{${entries.join(',')}}`;
  }
  return JSON.stringify(value);
}

/** controller.ComputeHash: the `pod-template-hash` label value of a template. */
export function computePodTemplateHash(
  template: unknown,
  collisionCount?: number,
): string {
  const text =
    canonicalJson(template) + (collisionCount ? String(collisionCount) : '');
  return safeEncode(String(fnv32a(text)));
}
