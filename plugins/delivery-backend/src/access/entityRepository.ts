import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import {
  GITHUB_PROJECT_SLUG_ANNOTATION,
  deliveryError,
} from '@internal/plugin-delivery-common';
import { RepositoryRef } from '../github/types';

/** `owner/name` from the entity's github.com/project-slug annotation. */
export function repositoryOfEntity(
  entity: Entity,
  host: string,
): RepositoryRef {
  const ref = stringifyEntityRef(entity);
  const slug = entity.metadata.annotations?.[GITHUB_PROJECT_SLUG_ANNOTATION];
  if (!slug) {
    throw deliveryError(
      'missing-annotation',
      `${ref} has no ${GITHUB_PROJECT_SLUG_ANNOTATION} annotation naming its GitHub repository (owner/name)`,
    );
  }
  const match = /^([A-Za-z0-9-_.]+)\/([A-Za-z0-9-_.]+)$/.exec(slug.trim());
  if (!match) {
    throw deliveryError(
      'invalid-annotation',
      `${ref} has ${GITHUB_PROJECT_SLUG_ANNOTATION} "${slug}", which is not owner/name`,
    );
  }
  return { host, owner: match[1], name: match[2] };
}
