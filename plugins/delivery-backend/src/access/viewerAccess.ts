import { BackstageCredentials } from '@backstage/backend-plugin-api';
import {
  CompoundEntityRef,
  Entity,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import {
  deliveryPipelineRerunPermission,
  deliveryReadPermission,
} from '@internal/plugin-delivery-common';
import { RepositoryRef } from '../github/types';
import { EntityAccess } from './entityAccess';
import { repositoryOfEntity } from './entityRepository';

/** What a viewer of an entity's pipelines and findings may see and do. */
export interface ViewerAccess {
  entity: Entity;
  entityRef: string;
  repo: RepositoryRef;
  /** Shown as the re-run button; the re-run itself asks again. */
  canRerun: boolean;
}

/** Who is asking, for per-caller reuse. */
function principalKey(credentials: BackstageCredentials): string {
  const principal = credentials.principal as {
    type?: string;
    userEntityRef?: string;
    subject?: string;
  };
  return `${principal.type}:${
    principal.userEntityRef ?? principal.subject ?? ''
  }`;
}

const MAX_REMEMBERED = 5000;

/**
 * The read side of the pipeline and findings routes: the entity as the caller sees it, its
 * repository, and whether they may read (else 403) and re-run. The answer is reused for
 * `accessSeconds` per caller and entity, so a page's parallel requests and a busy page cost one
 * catalog lookup and one permission round. Writes never use this: they always ask afresh.
 */
export class ViewerAccesses {
  private readonly remembered = new Map<
    string,
    { access: Promise<ViewerAccess>; until: number }
  >();

  constructor(
    private readonly options: {
      access: EntityAccess;
      /** The integrations.github host the entities' repositories live on. */
      githubHost: string;
      /** Seconds an answer is reused (0: never). */
      accessSeconds: number;
    },
  ) {}

  async of(
    entityRef: CompoundEntityRef,
    credentials: BackstageCredentials,
  ): Promise<ViewerAccess> {
    const key = `${principalKey(credentials)}|${stringifyEntityRef(
      entityRef,
    ).toLocaleLowerCase('en-US')}`;
    const now = Date.now();
    const known = this.remembered.get(key);
    if (known && known.until > now) {
      return known.access;
    }
    const access = this.check(entityRef, credentials);
    const ttl = this.options.accessSeconds * 1000;
    if (ttl > 0) {
      this.remembered.set(key, { access, until: now + ttl });
      access.catch(() => this.remembered.delete(key));
      if (this.remembered.size > MAX_REMEMBERED) {
        for (const [k, v] of this.remembered)
          if (v.until <= now) this.remembered.delete(k);
      }
    }
    return access;
  }

  private async check(
    entityRef: CompoundEntityRef,
    credentials: BackstageCredentials,
  ): Promise<ViewerAccess> {
    const {
      entity,
      entityRef: ref,
      allowed,
    } = await this.options.access.resolve(
      entityRef,
      credentials,
      deliveryReadPermission,
      [deliveryPipelineRerunPermission],
    );
    return {
      entity,
      entityRef: ref,
      repo: repositoryOfEntity(entity, this.options.githubHost),
      canRerun: allowed[0],
    };
  }
}
