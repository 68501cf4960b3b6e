import { Entity } from '@backstage/catalog-model';
import { GITHUB_PROJECT_SLUG_ANNOTATION } from '@internal/plugin-delivery-common';

export { GITHUB_PROJECT_SLUG_ANNOTATION };

/** Whether the delivery cards and tabs have anything to show for an entity. */
export function isDeliveryAvailable(entity: Entity): boolean {
  return Boolean(
    entity.metadata.annotations?.[GITHUB_PROJECT_SLUG_ANNOTATION]?.trim(),
  );
}
