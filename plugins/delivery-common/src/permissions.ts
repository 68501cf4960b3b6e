import { RESOURCE_TYPE_CATALOG_ENTITY } from '@backstage/plugin-catalog-common/alpha';
import { createPermission } from '@backstage/plugin-permission-common';

/*
 * Every delivery permission is about one catalog entity, so policies can decide with the
 * catalog's rules (e.g. isEntityOwner) and the frontend can ask with the entity's ref.
 */

/** See an entity's pipeline gates, runs, scan findings and SonarCloud report. */
export const deliveryReadPermission = createPermission({
  name: 'delivery.read',
  attributes: { action: 'read' },
  resourceType: RESOURCE_TYPE_CATALOG_ENTITY,
});

/** Re-run the failed jobs of one of the entity's pipeline runs. */
export const deliveryPipelineRerunPermission = createPermission({
  name: 'delivery.pipeline.rerun',
  attributes: {},
  resourceType: RESOURCE_TYPE_CATALOG_ENTITY,
});

/** Approve or reject a deployment of the entity waiting for review. */
export const deliveryDeploymentApprovePermission = createPermission({
  name: 'delivery.deployment.approve',
  attributes: { action: 'update' },
  resourceType: RESOURCE_TYPE_CATALOG_ENTITY,
});

/** Roll one of the entity's environments back to an earlier revision. */
export const deliveryDeploymentRollbackPermission = createPermission({
  name: 'delivery.deployment.rollback',
  attributes: { action: 'update' },
  resourceType: RESOURCE_TYPE_CATALOG_ENTITY,
});

/** All delivery permissions, for the backend's permission integration and for policies. */
export const deliveryPermissions = [
  deliveryReadPermission,
  deliveryPipelineRerunPermission,
  deliveryDeploymentApprovePermission,
  deliveryDeploymentRollbackPermission,
];
