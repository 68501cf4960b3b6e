import {
  BackstageCredentials,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import {
  Entity,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { NotFoundError } from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  GITHUB_PROJECT_SLUG_ANNOTATION,
  deliveryReadPermission,
} from '@internal/plugin-delivery-common';
import { EntityAccess } from '../access/entityAccess';

/*
 * Which components a view counts: one component, the components a group owns, or every
 * component, as the caller may see them in the catalog and may read their delivery data
 * (delivery.read, asked for all of them in one round).
 */

/** A component as the insights read it. */
export interface InsightsComponent {
  entity: Entity;
  entityRef: string;
  title: string;
  /** The owner's full ref, e.g. group:default/titanic-team. */
  owner: string;
  /** owner/name from its github.com/project-slug; null without one. */
  repository: string | null;
}

const FIELDS = [
  'kind',
  'metadata.name',
  'metadata.namespace',
  'metadata.title',
  'metadata.annotations',
  'spec.owner',
  'spec.type',
  'spec.system',
];

function ownerOf(entity: Entity): string {
  const owner = (entity.spec as { owner?: unknown } | undefined)?.owner;
  if (typeof owner !== 'string' || owner === '') return '';
  try {
    return stringifyEntityRef(
      parseEntityRef(owner, {
        defaultKind: 'group',
        defaultNamespace: entity.metadata.namespace ?? 'default',
      }),
    ).toLocaleLowerCase('en-US');
  } catch {
    return owner;
  }
}

function repositoryOf(entity: Entity): string | null {
  const slug = entity.metadata.annotations?.[GITHUB_PROJECT_SLUG_ANNOTATION];
  const match = /^([A-Za-z0-9-_.]+)\/([A-Za-z0-9-_.]+)$/.exec(
    slug?.trim() ?? '',
  );
  return match ? `${match[1]}/${match[2]}`.toLocaleLowerCase('en-US') : null;
}

export function toInsightsComponent(entity: Entity): InsightsComponent {
  return {
    entity,
    entityRef: stringifyEntityRef(entity),
    title: entity.metadata.title ?? entity.metadata.name,
    owner: ownerOf(entity),
    repository: repositoryOf(entity),
  };
}

/** What an entity's summary depends on: its identity, title, owner and repository annotation. */
function componentKey(entity: Entity): string {
  const { kind, metadata, spec } = entity;
  return [
    kind,
    metadata.namespace ?? 'default',
    metadata.name,
    metadata.title ?? '',
    (spec as { owner?: unknown } | undefined)?.owner ?? '',
    metadata.annotations?.[GITHUB_PROJECT_SLUG_ANNOTATION] ?? '',
  ].join('\u0000');
}

const REMEMBERED_COMPONENTS = 20_000;

export class ComponentDirectory {
  /** Components already parsed, by what they were parsed from: listing 1,000 parses none again. */
  private readonly parsed = new Map<string, InsightsComponent>();

  constructor(
    private readonly options: {
      catalog: CatalogService;
      permissions: PermissionsService;
      access: EntityAccess;
    },
  ) {}

  /** One component the caller may read: 404 when unknown, 403 without delivery.read. */
  async component(
    entityRef: string,
    credentials: BackstageCredentials,
  ): Promise<InsightsComponent> {
    const { entity } = await this.options.access.resolve(
      parseEntityRef(entityRef),
      credentials,
      deliveryReadPermission,
    );
    return toInsightsComponent(entity);
  }

  /** The components the group owns (404 for an unknown group) that the caller may read. */
  async ownedBy(
    groupRef: string,
    credentials: BackstageCredentials,
  ): Promise<InsightsComponent[]> {
    const group = await this.options.catalog.getEntityByRef(groupRef, {
      credentials,
    });
    if (!group) throw new NotFoundError(`No group ${groupRef} in the catalog`);
    const ref = stringifyEntityRef(group).toLocaleLowerCase('en-US');
    return (await this.all(credentials)).filter(c => c.owner === ref);
  }

  /** Every component the caller may see and read. */
  async all(credentials: BackstageCredentials): Promise<InsightsComponent[]> {
    return this.readable({ kind: 'component' }, credentials);
  }

  /** The components of these repositories (owner/name) the caller may see and read. */
  async ofRepositories(
    repositories: string[],
    credentials: BackstageCredentials,
  ): Promise<InsightsComponent[]> {
    if (repositories.length === 0) return [];
    const wanted = new Set(repositories.map(r => r.toLocaleLowerCase('en-US')));
    const components = await this.readable(
      {
        kind: 'component',
        [`metadata.annotations.${GITHUB_PROJECT_SLUG_ANNOTATION}`]: [...wanted],
      },
      credentials,
    );
    // The catalog matches any case and spacing; the repository must be exactly one of them.
    return components.filter(c => c.repository && wanted.has(c.repository));
  }

  private async readable(
    filter: Record<string, string | string[]>,
    credentials: BackstageCredentials,
  ): Promise<InsightsComponent[]> {
    const { items } = await this.options.catalog.getEntities(
      { filter, fields: FIELDS },
      { credentials },
    );
    const components = items.map(entity => this.parse(entity));
    if (components.length === 0) return [];
    const decisions = await this.options.permissions.authorize(
      components.map(c => ({
        permission: deliveryReadPermission,
        resourceRef: c.entityRef.toLocaleLowerCase('en-US'),
      })),
      { credentials },
    );
    return components.filter(
      (_, index) => decisions[index].result === AuthorizeResult.ALLOW,
    );
  }

  /** The groups a user belongs to (their catalog entity's memberOf), as full refs. */
  private parse(entity: Entity): InsightsComponent {
    const key = componentKey(entity);
    const known = this.parsed.get(key);
    if (known) return { ...known, entity };
    const component = toInsightsComponent(entity);
    if (this.parsed.size >= REMEMBERED_COMPONENTS) this.parsed.clear();
    this.parsed.set(key, component);
    return component;
  }

  async groupsOf(
    userEntityRef: string,
    credentials: BackstageCredentials,
  ): Promise<string[]> {
    const user = await this.options.catalog.getEntityByRef(userEntityRef, {
      credentials,
    });
    if (!user) return [];
    const fromRelations = (user.relations ?? [])
      .filter(r => r.type === 'memberOf')
      .map(r => r.targetRef);
    const fromSpec = (
      ((user.spec as { memberOf?: unknown })?.memberOf as unknown[]) ?? []
    )
      .filter((m): m is string => typeof m === 'string')
      .map(m =>
        stringifyEntityRef(
          parseEntityRef(m, {
            defaultKind: 'group',
            defaultNamespace: user.metadata.namespace ?? 'default',
          }),
        ),
      );
    return [
      ...new Set(
        [...fromRelations, ...fromSpec].map(r => r.toLocaleLowerCase('en-US')),
      ),
    ];
  }
}
