import { InputError } from '@backstage/errors';
import { ScmIntegrationRegistry } from '@backstage/integration';
import { parseRepoUrl } from '@backstage/plugin-scaffolder-node';

/** The GitHub owner and name of the repository a template publishes to. */
export function repositoryOf(
  repoUrl: string,
  integrations: ScmIntegrationRegistry,
): { organization: string; repository: string } {
  let parsed: ReturnType<typeof parseRepoUrl>;
  try {
    parsed = parseRepoUrl(repoUrl, integrations);
  } catch (error) {
    throw new InputError(`repoUrl is not a repository URL: ${error}`);
  }
  if (!parsed.owner) {
    throw new InputError(`repoUrl must name the repository owner: ${repoUrl}`);
  }
  return { organization: parsed.owner, repository: parsed.repo };
}
