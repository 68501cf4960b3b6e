/*
 * What the simulated control plane (deployment controller, replica set controller, kubelet,
 * event recorder) shares: the store, a clock, timing knobs and a deterministic random source.
 */

import { KubeObject, ObjectStore, OwnerReference } from './objectStore';
import { resourceTypeOfKind } from './resources';

export const NAMESPACES = resourceTypeOfKind('Namespace');
export const PODS = resourceTypeOfKind('Pod');
export const EVENTS = resourceTypeOfKind('Event');
export const DEPLOYMENTS = resourceTypeOfKind('Deployment');
export const REPLICA_SETS = resourceTypeOfKind('ReplicaSet');
export const SERVICES = resourceTypeOfKind('Service');

export interface ControllerTiming {
  /** How often the controllers run, in ms. */
  reconcileIntervalMs: number;
  /** From a pod's creation to its container running (scheduling, image pull), in ms. */
  podStartMs: number;
  /** From a container running to its readiness probe passing, in ms. */
  podReadyMs: number;
  /** From a pod's deletion to its disappearance (the grace period its containers take to stop), in ms. */
  podTerminationMs: number;
  /** First crash-loop back-off of a crashing container, in ms; doubles per restart as the kubelet's 10s does. */
  crashBackOffMs: number;
  /**
   * Multiplies every `progressDeadlineSeconds` and `minReadySeconds`, so tests can let a
   * rollout stall in milliseconds (e.g. 0.002 turns the default 600 s deadline into 1.2 s).
   */
  deadlineScale: number;
}

export const DEFAULT_TIMING: ControllerTiming = {
  reconcileIntervalMs: 250,
  podStartMs: 1000,
  podReadyMs: 1000,
  podTerminationMs: 1000,
  crashBackOffMs: 5000,
  deadlineScale: 1,
};

export interface ControllerContext {
  store: ObjectStore;
  timing: ControllerTiming;
  now(): number;
  /** Deterministic pseudo-random source (seeded), for uids and generated names. */
  random(): number;
  /** Whether a container image is one the sandbox makes crash at start-up. */
  isCrashingImage(image: string): boolean;
  recordEvent(
    involved: KubeObject,
    type: 'Normal' | 'Warning',
    reason: string,
    message: string,
    component: string,
  ): void;
  newUid(): string;
}

/** metav1.Time: RFC 3339 with second precision. */
export function timestamp(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000)
    .toISOString()
    .replace('.000Z', 'Z');
}

export function parseTimestamp(value: string | undefined): number {
  return value ? Date.parse(value) : 0;
}

export function controllerOf(object: KubeObject): OwnerReference | undefined {
  return object.metadata.ownerReferences?.find(r => r.controller);
}

export function controllerReference(owner: KubeObject): OwnerReference {
  return {
    apiVersion: owner.apiVersion,
    kind: owner.kind,
    name: owner.metadata.name,
    uid: owner.metadata.uid,
    controller: true,
    blockOwnerDeletion: true,
  };
}

/** The alphabet of k8s.io/apimachinery/pkg/util/rand, which avoids vowels and look-alikes. */
const SAFE_ALPHANUMS = 'bcdfghjklmnpqrstvwxz2456789';

export function safeEncode(text: string): string {
  return [...text]
    .map(c => SAFE_ALPHANUMS[c.charCodeAt(0) % SAFE_ALPHANUMS.length])
    .join('');
}

export function randomSuffix(random: () => number, length = 5): string {
  let suffix = '';
  for (let i = 0; i < length; i++) {
    suffix += SAFE_ALPHANUMS[Math.floor(random() * SAFE_ALPHANUMS.length)];
  }
  return suffix;
}

/** FNV-1a 32-bit, the hash controller.ComputeHash feeds the pod template into. */
export function fnv32a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash >>> 0;
}

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

/** A seeded PRNG (mulberry32) so a seeded world gets the same uids and pod names every run. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function uuidFrom(random: () => number): string {
  const hex = Array.from({ length: 32 }, () =>
    Math.floor(random() * 16).toString(16),
  );
  hex[12] = '4';
  hex[16] = ((parseInt(hex[16], 16) & 0x3) | 0x8).toString(16);
  const s = hex.join('');
  return `${s.slice(0, 8)}-${s.slice(8, 12)}-${s.slice(12, 16)}-${s.slice(
    16,
    20,
  )}-${s.slice(20)}`;
}
