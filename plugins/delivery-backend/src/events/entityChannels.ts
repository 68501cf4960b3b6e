import { AuthService } from '@backstage/backend-plugin-api';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { GITHUB_PROJECT_SLUG_ANNOTATION } from '@internal/plugin-delivery-common';
import { RepositoryRef } from '../github/types';
import { repositoryKey } from './gitHubLiveState';

const REMEMBER_MS = 60_000;
const MAX_REMEMBERED = 5_000;

/**
 * The entities whose pages show a repository: those whose github.com/project-slug names it, as
 * the catalog has them now (read with the plugin's own credentials, reused for a minute). Signals
 * about the repository go to their channels.
 */
export class EntityChannels {
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

  async entitiesOf(repo: RepositoryRef): Promise<string[]> {
    const now = (this.options.now ?? Date.now)();
    const key = repositoryKey(repo);
    const known = this.remembered.get(key);
    if (known && known.until > now) return known.refs;
    const refs = this.lookUp(repo);
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

  private async lookUp(repo: RepositoryRef): Promise<string[]> {
    const { items } = await this.options.catalog.getEntities(
      {
        filter: {
          [`metadata.annotations.${GITHUB_PROJECT_SLUG_ANNOTATION}`]: `${repo.owner}/${repo.name}`,
        },
        fields: ['kind', 'metadata.namespace', 'metadata.name'],
      },
      { credentials: await this.options.auth.getOwnServiceCredentials() },
    );
    return items.map(entity => stringifyEntityRef(entity));
  }
}
