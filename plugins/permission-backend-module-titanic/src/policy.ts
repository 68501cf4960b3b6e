import { UserInfoService } from '@backstage/backend-plugin-api';
import {
  catalogConditions,
  createCatalogConditionalDecision,
} from '@backstage/plugin-catalog-backend/alpha';
import {
  catalogEntityDeletePermission,
  catalogLocationDeletePermission,
} from '@backstage/plugin-catalog-common/alpha';
import {
  deliveryDeploymentApprovePermission,
  deliveryDeploymentRollbackPermission,
  deliveryPipelineRerunPermission,
} from '@internal/plugin-delivery-common';
import {
  AuthorizeResult,
  PolicyDecision,
  isPermission,
} from '@backstage/plugin-permission-common';
import {
  PermissionPolicy,
  PolicyQuery,
  PolicyQueryUser,
} from '@backstage/plugin-permission-node';

export interface TitanicPolicyOptions {
  /** Members of these groups administer the portal. */
  platformGroups: string[];
  /** Resolves a caller's ownership claims (their own ref and their groups'). */
  userInfo: UserInfoService;
}

/**
 * Reads are open to every signed-in person; destructive catalog changes belong to an entity's
 * owners and to the platform team. Permissions not named here are allowed, so that adding a plugin
 * does not lock people out until its rules are written down here.
 */
export class TitanicPermissionPolicy implements PermissionPolicy {
  private readonly platformGroups: Set<string>;
  private readonly userInfo: UserInfoService;

  constructor(options: TitanicPolicyOptions) {
    this.userInfo = options.userInfo;
    this.platformGroups = new Set(
      options.platformGroups.map(ref => ref.toLocaleLowerCase('en-US')),
    );
  }

  async handle(
    request: PolicyQuery,
    user?: PolicyQueryUser,
  ): Promise<PolicyDecision> {
    const ownership = user
      ? (await this.userInfo.getUserInfo(user.credentials)).ownershipEntityRefs
      : [];

    if (isPermission(request.permission, catalogEntityDeletePermission)) {
      if (this.isPlatformEngineer(ownership)) {
        return { result: AuthorizeResult.ALLOW };
      }
      return createCatalogConditionalDecision(
        request.permission,
        catalogConditions.isEntityOwner({ claims: ownership }),
      );
    }

    // Re-running a pipeline spends CI minutes and can redeploy: the entity's owners decide,
    // and the platform team for everyone.
    if (isPermission(request.permission, deliveryPipelineRerunPermission)) {
      if (this.isPlatformEngineer(ownership)) {
        return { result: AuthorizeResult.ALLOW };
      }
      return createCatalogConditionalDecision(
        request.permission,
        catalogConditions.isEntityOwner({ claims: ownership }),
      );
    }

    // Approving a production deployment or rolling an environment back changes what runs in
    // production: only the entity's owners, and the platform team for everyone.
    if (
      isPermission(request.permission, deliveryDeploymentApprovePermission) ||
      isPermission(request.permission, deliveryDeploymentRollbackPermission)
    ) {
      if (this.isPlatformEngineer(ownership)) {
        return { result: AuthorizeResult.ALLOW };
      }
      return createCatalogConditionalDecision(
        request.permission,
        catalogConditions.isEntityOwner({ claims: ownership }),
      );
    }

    if (isPermission(request.permission, catalogLocationDeletePermission)) {
      return {
        result: this.isPlatformEngineer(ownership)
          ? AuthorizeResult.ALLOW
          : AuthorizeResult.DENY,
      };
    }

    return { result: AuthorizeResult.ALLOW };
  }

  private isPlatformEngineer(ownershipEntityRefs: string[]): boolean {
    return ownershipEntityRefs.some(ref =>
      this.platformGroups.has(ref.toLocaleLowerCase('en-US')),
    );
  }
}
