import { DeliveryError, deliveryError } from '@internal/plugin-delivery-common';
import { ApiException } from '@kubernetes/client-node';

/* A cluster's refusals, as errors people can act on. */

/** What the backend was doing when the cluster answered, for messages people can act on. */
export interface KubernetesAction {
  /** RBAC verb: get, list, patch. */
  verb: string;
  /** e.g. deployments, replicasets, pods */
  resource: string;
  namespace: string;
  cluster: string;
}

/** The Status object's message from a client-node ApiException body (a string or parsed JSON). */
export function kubernetesStatusMessage(error: unknown): string {
  if (!(error instanceof ApiException)) {
    return error instanceof Error ? error.message : String(error);
  }
  let body: unknown = error.body;
  if (typeof body === 'string') {
    const text = body;
    try {
      body = JSON.parse(text);
    } catch {
      return text || `HTTP ${error.code}`;
    }
  }
  const message = (body as { message?: unknown } | undefined)?.message;
  return typeof message === 'string' ? message : `HTTP ${error.code}`;
}

/**
 * Turns a cluster's refusal into a @backstage/errors error that names what the portal tried,
 * where, and quotes the cluster: a 403 is the portal's RBAC, not the user's permission.
 */
export function kubernetesFailure(
  error: unknown,
  action: KubernetesAction,
): DeliveryError {
  const where = `${action.namespace} (cluster ${action.cluster})`;
  const quoted = kubernetesStatusMessage(error);
  if (!(error instanceof ApiException)) {
    return deliveryError(
      'kubernetes-unreachable',
      `Could not reach Kubernetes cluster ${action.cluster} to ${action.verb} ${action.resource} in ${action.namespace}: ${quoted}`,
    );
  }
  switch (error.code) {
    case 401:
      return deliveryError(
        'kubernetes-forbidden',
        `Kubernetes cluster ${action.cluster} rejected the portal's credentials (401): check delivery.kubernetes.clusters serviceAccountToken`,
      );
    case 403:
      return deliveryError(
        'kubernetes-forbidden',
        `the portal's Kubernetes credentials may not ${action.verb} ${action.resource} in ${where}: ${quoted}`,
      );
    case 404:
      return deliveryError(
        'deployment-not-found',
        `Not found in ${where}: ${quoted}`,
      );
    case 409:
    case 422:
      return deliveryError(
        'concurrent-change',
        `The Deployment in ${where} changed while the portal was updating it; reload and try again (${quoted})`,
      );
    default:
      return deliveryError(
        'kubernetes-unreachable',
        `Kubernetes cluster ${action.cluster} failed to ${action.verb} ${action.resource} in ${action.namespace} (HTTP ${error.code}): ${quoted}`,
      );
  }
}

/** A `.catch` handler throwing the cluster's refusal to `verb` `resource` as a {@link kubernetesFailure}. */
export function failedTo(
  verb: string,
  resource: string,
  where: { namespace: string; cluster: string },
): (error: unknown) => never {
  return error => {
    throw kubernetesFailure(error, {
      verb,
      resource,
      namespace: where.namespace,
      cluster: where.cluster,
    });
  };
}
