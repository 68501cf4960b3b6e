import { BackstageCredentials } from '@backstage/backend-plugin-api';
import {
  CompoundEntityRef,
  Entity,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { InputError, NotFoundError } from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { deliveryError } from './errors';
import { RepositoryRef } from './githubClient';

export const PROJECT_SLUG_ANNOTATION = 'github.com/project-slug';

/** `owner/name` from the entity's github.com/project-slug annotation. */
export function repositoryOfEntity(
  entity: Entity,
  host: string,
): RepositoryRef {
  const ref = stringifyEntityRef(entity);
  const slug = entity.metadata.annotations?.[PROJECT_SLUG_ANNOTATION];
  if (!slug) {
    throw deliveryError(
      InputError,
      `${ref} has no ${PROJECT_SLUG_ANNOTATION} annotation naming its GitHub repository (owner/name)`,
      { reason: 'missing-annotation' },
    );
  }
  const match = /^([A-Za-z0-9-_.]+)\/([A-Za-z0-9-_.]+)$/.exec(slug.trim());
  if (!match) {
    throw deliveryError(
      InputError,
      `${ref} has ${PROJECT_SLUG_ANNOTATION} "${slug}", which is not owner/name`,
      { reason: 'invalid-annotation' },
    );
  }
  return { host, owner: match[1], name: match[2] };
}

/** The entity as the caller may see it; the catalog applies its own read permissions. */
export async function loadEntity(
  catalog: CatalogService,
  entityRef: CompoundEntityRef,
  credentials: BackstageCredentials,
): Promise<Entity> {
  const entity = await catalog.getEntityByRef(entityRef, { credentials });
  if (!entity) {
    throw new NotFoundError(
      `No entity ${stringifyEntityRef(entityRef)} in the catalog`,
    );
  }
  return entity;
}
