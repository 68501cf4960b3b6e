/*
 * What the simulated control plane (deployment controller, replica set controller, kubelet,
 * event recorder) shares: the store, a clock, timing knobs and a deterministic random source.
 */

import { KubeObject } from '../apimachinery/objects';
import { ObjectStore } from '../store/objectStore';

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

/**
 * The kubelet as the controllers see it: it learns of new pods, knows since when a pod is
 * ready, and deletes pods gracefully.
 */
export interface NodeAgent {
  podCreated(pod: KubeObject, at: number): void;
  readySince(pod: KubeObject): number | undefined;
  terminate(
    pod: KubeObject,
    gracePeriodSeconds?: number,
  ): KubeObject | undefined;
}
