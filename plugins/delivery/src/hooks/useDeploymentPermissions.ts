import { stringifyEntityRef } from '@backstage/catalog-model';
import { useEntity } from '@backstage/plugin-catalog-react';
import { usePermission } from '@backstage/plugin-permission-react';
import {
  deliveryDeploymentApprovePermission,
  deliveryDeploymentRollbackPermission,
} from '@internal/plugin-delivery-common';

export interface ActionPermission {
  loading: boolean;
  allowed: boolean;
  /** Why the action is unavailable, for the disabled button; undefined when allowed. */
  deniedReason?: string;
}

function ownerOf(spec: unknown): string | undefined {
  const owner = (spec as { owner?: unknown } | undefined)?.owner;
  return typeof owner === 'string' ? owner : undefined;
}

/**
 * Whether the signed-in user may approve/reject deployments of the entity and roll its
 * environments back, asked of the permission framework with the entity as the resource (the
 * backend asks again on every write).
 */
export function useDeploymentPermissions(): {
  approve: ActionPermission;
  rollback: ActionPermission;
} {
  const { entity } = useEntity();
  const resourceRef = stringifyEntityRef(entity);
  const approve = usePermission({
    permission: deliveryDeploymentApprovePermission,
    resourceRef,
  });
  const rollback = usePermission({
    permission: deliveryDeploymentRollbackPermission,
    resourceRef,
  });
  const owner = ownerOf(entity.spec);
  const ask = owner ? ` Ask its owner (${owner}) or the platform team.` : '';
  const reason = (action: string, permission: string) =>
    `You may not ${action} ${entity.metadata.name}: the permission policy denies you ${permission} on this entity.${ask}`;
  return {
    approve: {
      loading: approve.loading,
      allowed: approve.allowed,
      deniedReason:
        approve.loading || approve.allowed
          ? undefined
          : reason(
              'approve or reject deployments of',
              deliveryDeploymentApprovePermission.name,
            ),
    },
    rollback: {
      loading: rollback.loading,
      allowed: rollback.allowed,
      deniedReason:
        rollback.loading || rollback.allowed
          ? undefined
          : reason('roll back', deliveryDeploymentRollbackPermission.name),
    },
  };
}

/**
 * The permission as far as the resource allows: a permitted action stays unavailable when the
 * backend reports the entity is not bound to the repository or namespace it would change.
 */
export function boundPermission(
  permission: ActionPermission,
  blockedReason: string | null | undefined,
): ActionPermission {
  if (!blockedReason || permission.loading || !permission.allowed) {
    return permission;
  }
  return { loading: false, allowed: false, deniedReason: blockedReason };
}
