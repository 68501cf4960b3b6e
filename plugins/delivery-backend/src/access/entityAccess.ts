import {
  BackstageCredentials,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import {
  CompoundEntityRef,
  Entity,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { NotAllowedError, NotFoundError } from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  AuthorizeResult,
  ResourcePermission,
} from '@backstage/plugin-permission-common';
import {
  deliveryDeploymentApprovePermission,
  deliveryDeploymentRollbackPermission,
  deliveryPipelineRerunPermission,
  deliveryReadPermission,
} from '@internal/plugin-delivery-common';

/** What each delivery permission lets people do, for the refusal's message. */
const ACTIONS: Record<string, string> = {
  [deliveryReadPermission.name]: 'see the delivery data of',
  [deliveryPipelineRerunPermission.name]: 're-run the pipelines of',
  [deliveryDeploymentApprovePermission.name]:
    'approve or reject deployments of',
  [deliveryDeploymentRollbackPermission.name]: 'roll back',
};

/** The entity with the caller's decisions on it. */
export interface EntityDecisions {
  entity: Entity;
  /** The entity's ref as the catalog has it, e.g. component:default/titanic-service. */
  entityRef: string;
  /** The answers to the further permissions asked, in the order asked. */
  allowed: boolean[];
}

/**
 * Who may see and do what with an entity: the entity as the caller may see it (the catalog applies
 * its own read rules), and decisions of the permission framework on it. Identity comes only from
 * the caller's credentials.
 */
export class EntityAccess {
  constructor(
    private readonly options: {
      catalog: CatalogService;
      permissions: PermissionsService;
    },
  ) {}

  /** The entity as the caller may see it; 404 when the catalog has none. */
  async entity(
    entityRef: CompoundEntityRef | string,
    credentials: BackstageCredentials,
  ): Promise<Entity> {
    const entity = await this.options.catalog.getEntityByRef(entityRef, {
      credentials,
    });
    if (!entity) {
      throw new NotFoundError(
        `No entity ${
          typeof entityRef === 'string'
            ? entityRef
            : stringifyEntityRef(entityRef)
        } in the catalog`,
      );
    }
    return entity;
  }

  /**
   * Asks the permission framework about the entity in one round: `required` must be allowed
   * (else 403 naming what the caller may not do and the permission), `further` are answered.
   */
  async authorize(
    entityRef: string,
    credentials: BackstageCredentials,
    required: ResourcePermission,
    further: ResourcePermission[] = [],
  ): Promise<boolean[]> {
    const decisions = await this.options.permissions.authorize(
      [required, ...further].map(permission => ({
        permission,
        resourceRef: entityRef,
      })),
      { credentials },
    );
    if (decisions[0].result !== AuthorizeResult.ALLOW) {
      throw new NotAllowedError(
        `You may not ${
          ACTIONS[required.name] ?? required.name
        } ${entityRef} (permission ${required.name})`,
      );
    }
    return decisions
      .slice(1)
      .map(decision => decision.result === AuthorizeResult.ALLOW);
  }

  /**
   * The entity and the caller's decisions on it, asked side by side. A missing entity is reported
   * before a refusal, so no one learns from a 403 that an entity they may not see exists.
   */
  async resolve(
    entityRef: CompoundEntityRef,
    credentials: BackstageCredentials,
    required: ResourcePermission,
    further: ResourcePermission[] = [],
  ): Promise<EntityDecisions> {
    const decided = this.authorize(
      stringifyEntityRef(entityRef).toLocaleLowerCase('en-US'),
      credentials,
      required,
      further,
    );
    // Awaited after the entity: a refusal must not overtake a missing entity.
    decided.catch(() => undefined);
    const entity = await this.entity(entityRef, credentials);
    return {
      entity,
      entityRef: stringifyEntityRef(entity),
      allowed: await decided,
    };
  }
}
