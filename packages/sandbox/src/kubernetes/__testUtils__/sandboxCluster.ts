/*
 * Starts the Kubernetes sandbox for a test on an ephemeral port with fast controllers, checks
 * every document it answers against the Kubernetes schemas, and builds @kubernetes/client-node
 * clients for a token.
 */

import * as k8s from '@kubernetes/client-node';
import {
  ADMIN_TOKEN,
  KubernetesSandbox,
  kubeconfigText,
  startKubernetesServer,
} from '../index';
import { ControllerTiming } from '../controllers/controllerContext';
import { validateKubernetesDocument } from './schemas';

/** Fast enough for tests, slow enough that rollouts pass through every intermediate state. */
export const FAST_TIMING: Partial<ControllerTiming> = {
  reconcileIntervalMs: 20,
  podStartMs: 60,
  podReadyMs: 80,
  podTerminationMs: 40,
  crashBackOffMs: 60,
  deadlineScale: 0.002,
};

export interface TestSandbox extends KubernetesSandbox {
  /** Documents that failed schema validation (tests assert it stays empty). */
  schemaViolations: string[];
  documentsValidated(): number;
  clients(token?: string): {
    apps: k8s.AppsV1Api;
    core: k8s.CoreV1Api;
    kubeConfig: k8s.KubeConfig;
  };
}

export async function startTestSandbox(
  options: { seed?: boolean; timing?: Partial<ControllerTiming> } = {},
): Promise<TestSandbox> {
  const schemaViolations: string[] = [];
  let validated = 0;
  const sandbox = await startKubernetesServer({
    port: 0,
    seed: options.seed ?? true,
    timing: { ...FAST_TIMING, ...options.timing },
    onResponseDocument: document => {
      validated++;
      try {
        validateKubernetesDocument(document);
      } catch (error) {
        schemaViolations.push((error as Error).message);
      }
    },
  });
  return {
    ...sandbox,
    schemaViolations,
    documentsValidated: () => validated,
    clients(token = ADMIN_TOKEN) {
      const kubeConfig = new k8s.KubeConfig();
      kubeConfig.loadFromString(
        kubeconfigText({ server: sandbox.server, token }),
      );
      return {
        apps: kubeConfig.makeApiClient(k8s.AppsV1Api),
        core: kubeConfig.makeApiClient(k8s.CoreV1Api),
        kubeConfig,
      };
    },
  };
}

/** Polls `probe` until it returns a value other than undefined/false. */
export async function eventually<T>(
  probe: () => Promise<T | undefined | false>,
  timeoutMs = 10000,
  what = 'condition',
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined && value !== false) return value as T;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) {
      throw new Error(
        `timed out waiting for ${what}${last ? `: ${last}` : ''}`,
      );
    }
    await new Promise(resolve => setTimeout(resolve, 25));
  }
}
