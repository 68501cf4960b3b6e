import {
  ANNOTATION_LOCATION,
  ANNOTATION_ORIGIN_LOCATION,
  Entity,
  parseEntityRef,
  parseLocationRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { deliveryError } from '@internal/plugin-delivery-common';
import { RepositoryRef } from '../github/types';
import { ClusterClients, DeploymentLocation } from '../kubernetes/clusters';
import { failedTo } from '../kubernetes/failures';

/** The catalog group that owns a Kubernetes namespace, as an annotation on the Namespace. */
export const NAMESPACE_OWNER_ANNOTATION = 'titanic.io/owner';

/**
 * Which GitHub repositories and Kubernetes namespaces an entity may act on. An entity's
 * annotations are written by whoever registered it, so they are not proof of anything: the
 * repository named by github.com/project-slug must be the one the entity was read from (or the
 * portal's own configuration registered it), and a namespace must carry the entity's owner in its
 * titanic.io/owner annotation — set by the cluster's administrators, not by catalog users.
 */
export class ResourceOwnership {
  private readonly configuredLocations: Set<string>;

  /** `configuredUrlLocations`: the `url:` locations of `catalog.locations`. */
  constructor(configuredUrlLocations: string[]) {
    this.configuredLocations = new Set(configuredUrlLocations);
  }

  /**
   * Throws unless the entity was defined in `repo` itself or registered by the portal's
   * configuration: the catalog accepts only url locations from users, so file locations and the
   * configured url locations are the administrators'.
   */
  assertRepositoryBound(entity: Entity, repo: RepositoryRef): void {
    const reason = this.unboundReason(entity, repo);
    if (reason) throw deliveryError('repository-not-bound', reason);
  }

  /** Why the entity may not act on `repo`; null when it speaks for it. */
  unboundReason(entity: Entity, repo: RepositoryRef): string | null {
    if (this.isRepositoryBound(entity, repo)) return null;
    const location = entity.metadata.annotations?.[ANNOTATION_LOCATION];
    const ref = stringifyEntityRef(entity);
    return `${ref} was read from ${
      location ?? 'an unknown location'
    }, not from its repository ${repo.host}/${repo.owner}/${
      repo.name
    }: the portal acts on a repository only for entities defined in that repository or registered by the portal's configuration`;
  }

  /** Whether the entity speaks for `repo` (see {@link ResourceOwnership.assertRepositoryBound}). */
  isRepositoryBound(entity: Entity, repo: RepositoryRef): boolean {
    const annotations = entity.metadata.annotations ?? {};
    const location = annotations[ANNOTATION_LOCATION];
    const origin = annotations[ANNOTATION_ORIGIN_LOCATION];
    const registeredByConfiguration = [location, origin].some(
      ref =>
        ref !== undefined &&
        (ref.startsWith('file:') || this.configuredLocations.has(ref)),
    );
    if (registeredByConfiguration) return true;
    return Boolean(location && isInRepository(location, repo));
  }

  /** Throws unless the binding's Namespace names the entity's owner in titanic.io/owner. */
  async assertNamespaceBound(
    clients: ClusterClients,
    binding: DeploymentLocation,
    entity: Entity,
  ): Promise<void> {
    const problem = namespaceOwnershipProblem(
      entity,
      binding,
      await readNamespaceOwner(clients, binding),
    );
    if (problem) {
      throw deliveryError('namespace-not-bound', problem);
    }
  }
}

/** The Namespace's titanic.io/owner annotation, as the cluster has it now. */
export async function readNamespaceOwner(
  clients: ClusterClients,
  binding: DeploymentLocation,
): Promise<string | undefined> {
  const namespace = await clients.core
    .readNamespace({ name: binding.namespace })
    .catch(failedTo('get', 'namespaces', binding));
  return namespace.metadata?.annotations?.[NAMESPACE_OWNER_ANNOTATION];
}

function isInRepository(location: string, repo: RepositoryRef): boolean {
  let url: URL;
  try {
    const parsed = parseLocationRef(location);
    if (parsed.type !== 'url') return false;
    url = new URL(parsed.target);
  } catch {
    return false;
  }
  const [owner, name] = url.pathname.split('/').filter(Boolean);
  const same = (a: string | undefined, b: string) =>
    a !== undefined && a.toLowerCase() === b.toLowerCase();
  return (
    same(url.host, repo.host) &&
    same(owner, repo.owner) &&
    same(name?.replace(/\.git$/, ''), repo.name)
  );
}

function ownerRef(value: string, defaultNamespace: string): string | null {
  try {
    return stringifyEntityRef(
      parseEntityRef(value.trim(), { defaultKind: 'group', defaultNamespace }),
    );
  } catch {
    return null;
  }
}

/** Why the entity may not act on the binding's namespace, or null when it may. */
export function namespaceOwnershipProblem(
  entity: Entity,
  binding: DeploymentLocation,
  namespaceOwner: string | undefined,
): string | null {
  const ref = stringifyEntityRef(entity);
  const where = `Namespace ${binding.namespace} in cluster ${binding.cluster}`;
  if (!namespaceOwner) {
    return `${where} names no owner (annotation ${NAMESPACE_OWNER_ANNOTATION}); the portal acts only on namespaces bound to the team that owns the entity`;
  }
  const bound = ownerRef(namespaceOwner, 'default');
  if (!bound) {
    return `${where} has ${NAMESPACE_OWNER_ANNOTATION} "${namespaceOwner}", which is not an entity reference such as group:default/titanic-team`;
  }
  const owner = (entity.spec as { owner?: unknown } | undefined)?.owner;
  const entityOwner =
    typeof owner === 'string'
      ? ownerRef(owner, entity.metadata.namespace ?? 'default')
      : null;
  if (entityOwner !== bound) {
    return `${where} belongs to ${bound}, not to ${
      entityOwner ?? 'nobody'
    } (the owner of ${ref}); only an entity its owner owns may roll it back`;
  }
  return null;
}
