import { GITHUB_PROJECT_SLUG_ANNOTATION } from '@internal/plugin-delivery-common';
import { AnnotatedEntities } from '../access/annotatedEntities';
import { RepositoryRef } from '../github/types';

/**
 * The entities whose pages show a repository: those whose github.com/project-slug names it.
 * Signals about the repository go to their channels.
 */
export class EntityChannels {
  constructor(private readonly entities: AnnotatedEntities) {}

  entitiesOf(repo: RepositoryRef): Promise<string[]> {
    return this.entities.refs(
      GITHUB_PROJECT_SLUG_ANNOTATION,
      `${repo.owner}/${repo.name}`,
    );
  }
}
