import { AuthService } from '@backstage/backend-plugin-api';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { CatalogService } from '@backstage/plugin-catalog-node';

const REMEMBER_MS = 60_000;
const MAX_REMEMBERED = 5_000;

/**
 * The entities whose annotation has a value — the components of a repository
 * (github.com/project-slug), the people of a GitHub login (github.com/user-login) — as the
 * catalog has them now, read with the plugin's own credentials and reused for a minute.
 */
export class AnnotatedEntities {
  private readonly remembered = new Map<
    string,
    { refs: Promise<string[]>; until: number }
  >();

  constructor(
    private readonly options: {
      catalog: CatalogService;
      auth: AuthService;
      now?: () => number;
    },
  ) {}

  /** Refs of the entities (of `kind`, if given) whose `annotation` is `value` (any case). */
  async refs(
    annotation: string,
    value: string,
    kind?: string,
  ): Promise<string[]> {
    const now = (this.options.now ?? Date.now)();
    const key = `${kind ?? '*'}|${annotation}|${value.toLowerCase()}`;
    const known = this.remembered.get(key);
    if (known && known.until > now) return known.refs;
    const refs = this.lookUp(annotation, value, kind);
    this.remembered.set(key, { refs, until: now + REMEMBER_MS });
    refs.catch(() => this.remembered.delete(key));
    if (this.remembered.size > MAX_REMEMBERED) {
      for (const [k, v] of this.remembered) {
        if (v.until <= now || this.remembered.size > MAX_REMEMBERED) {
          this.remembered.delete(k);
        }
      }
    }
    return refs;
  }

  private async lookUp(
    annotation: string,
    value: string,
    kind: string | undefined,
  ): Promise<string[]> {
    const { items } = await this.options.catalog.getEntities(
      {
        filter: {
          [`metadata.annotations.${annotation}`]: value,
          ...(kind ? { kind } : {}),
        },
        fields: ['kind', 'metadata.namespace', 'metadata.name'],
      },
      { credentials: await this.options.auth.getOwnServiceCredentials() },
    );
    return items.map(entity => stringifyEntityRef(entity));
  }
}
