import { parseEntityRef } from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';
import { ScmIntegrationRegistry } from '@backstage/integration';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { githubEnvironmentOf } from '../environmentPruning';
import {
  GitHubRepository,
  GitHubRequestError,
  githubRepository,
} from '../github/githubRepository';
import { ENVIRONMENTS, Environment } from '../serviceParameters';

/*
 * The new repository's GitHub environments, as the pipeline deploys to them and the reference's
 * setup chapter asks: dev open to any branch; staging and production only from protected
 * branches; production behind a required review by the owning team or the portal, which approves
 * on its users' behalf after its own permission check. The portal published the first commit
 * with the same account, so self-review is not prevented: the portal's policy decides who may
 * approve.
 */

interface Reviewer {
  type: 'User' | 'Team';
  id: number;
  name: string;
}

/** The reviewers of production: the portal's own account, and the owning team when the owner is an organization. */
async function productionReviewers(
  github: GitHubRepository,
  owner: string,
): Promise<Reviewer[]> {
  const portal = await github.request<{ login: string; id: number }>(
    'GET',
    '/user',
  );
  const reviewers: Reviewer[] = [
    { type: 'User', id: portal.id, name: portal.login },
  ];
  const account = await github.request<{ type: string }>(
    'GET',
    `/users/${encodeURIComponent(github.owner)}`,
  );
  if (account.type !== 'Organization') return reviewers;
  const slug = parseEntityRef(owner, {
    defaultKind: 'group',
    defaultNamespace: 'default',
  }).name;
  try {
    const team = await github.request<{ id: number; slug: string }>(
      'GET',
      `/orgs/${encodeURIComponent(github.owner)}/teams/${encodeURIComponent(
        slug,
      )}`,
    );
    reviewers.push({ type: 'Team', id: team.id, name: team.slug });
  } catch (error) {
    if (error instanceof GitHubRequestError && error.status === 404)
      throw new InputError(
        `${owner} has no GitHub team "${slug}" in ${github.owner}: production would have no reviewer from the owning team`,
      );
    throw error;
  }
  return reviewers;
}

export function createGithubEnvironmentsAction(options: {
  integrations: ScmIntegrationRegistry;
}) {
  return createTemplateAction({
    id: 'titanic:github:environments',
    description:
      'Creates the GitHub environments the pipeline deploys to, with their protection rules: ' +
      'production requires a review by the owning team or the portal, staging and production ' +
      'deploy only from protected branches.',
    supportsDryRun: true,
    schema: {
      input: {
        repoUrl: z =>
          z
            .string()
            .describe('Repository (RepoUrlPicker: host?owner=…&repo=…)'),
        owner: z =>
          z.string().describe('Owning group, e.g. group:default/titanic-team'),
        environments: z =>
          z
            .array(z.enum(ENVIRONMENTS))
            .describe('Environments the service is delivered to'),
      },
      output: {
        environments: z =>
          z.array(z.string()).describe('The GitHub environments created'),
        reviewers: z =>
          z
            .array(z.string())
            .describe('Who may approve production (users and teams)'),
      },
    },
    async handler(ctx) {
      const environments = ENVIRONMENTS.filter(e =>
        ctx.input.environments.includes(e),
      );
      const names = environments.map(
        (e: Environment) => githubEnvironmentOf[e],
      );
      if (ctx.isDryRun) {
        ctx.logger.info(
          `Dry run: would create the GitHub environments ${names.join(', ')}`,
        );
        ctx.output('environments', names);
        ctx.output('reviewers', []);
        return;
      }
      const github = await githubRepository(
        ctx.input.repoUrl,
        options.integrations,
      );
      const reviewers = environments.includes('prod')
        ? await productionReviewers(github, ctx.input.owner)
        : [];
      const protectedBranches = {
        protected_branches: true,
        custom_branch_policies: false,
      };
      for (const environment of environments) {
        const name = githubEnvironmentOf[environment];
        await ctx.checkpoint({
          key: `titanic.github.environment.${github.owner}.${github.repo}.${name}`,
          fn: async () => {
            await github.request(
              'PUT',
              `/repos/${github.owner}/${github.repo}/environments/${name}`,
              environment === 'prod'
                ? {
                    reviewers: reviewers.map(({ type, id }) => ({ type, id })),
                    prevent_self_review: false,
                    deployment_branch_policy: protectedBranches,
                  }
                : {
                    deployment_branch_policy:
                      environment === 'dev' ? null : protectedBranches,
                  },
            );
          },
        });
        ctx.logger.info(
          environment === 'prod'
            ? `Environment ${name}: required reviewers ${reviewers
                .map(r => r.name)
                .join(', ')}, protected branches only`
            : `Environment ${name}: ${
                environment === 'dev' ? 'any branch' : 'protected branches only'
              }`,
        );
      }
      ctx.output('environments', names);
      ctx.output(
        'reviewers',
        reviewers.map(r => r.name),
      );
    },
  });
}
