import { Entity } from '@backstage/catalog-model';

/** The annotation naming an entity's GitHub repository (`owner/name`); the backend reads the same. */
export const GITHUB_PROJECT_SLUG_ANNOTATION = 'github.com/project-slug';

/** Whether the delivery cards and tabs have anything to show for an entity. */
export function isDeliveryAvailable(entity: Entity): boolean {
  return Boolean(
    entity.metadata.annotations?.[GITHUB_PROJECT_SLUG_ANNOTATION]?.trim(),
  );
}
