import { InputError } from '@backstage/errors';
import { ScmIntegrationRegistry } from '@backstage/integration';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import {
  GitHubRequestError,
  githubRepository,
} from '../github/githubRepository';

/*
 * A branch of the new repository at a commit, through GitHub's git references API — e.g.
 * develop at the published commit, so the pipeline's develop → dev deploy runs from the start.
 * Like a push, creating it runs the workflows that push to that branch triggers.
 */

export function createBranchAction(options: {
  integrations: ScmIntegrationRegistry;
}) {
  return createTemplateAction({
    id: 'titanic:github:branch',
    description:
      'Creates a branch of the repository at a commit (e.g. develop at the published commit); ' +
      'like a push, it starts the workflows that run on that branch.',
    supportsDryRun: true,
    schema: {
      input: {
        repoUrl: z =>
          z
            .string()
            .describe('Repository (RepoUrlPicker: host?owner=…&repo=…)'),
        branch: z =>
          z
            .string()
            .regex(/^(?!-)[A-Za-z0-9._/-]+$/)
            .describe('Branch to create, e.g. develop'),
        // Checked by the handler: in a dry run publish:github is skipped and gives no commit.
        commit: z =>
          z
            .string()
            .describe('Commit sha, e.g. steps.publish.output.commitHash'),
      },
    },
    async handler(ctx) {
      if (ctx.isDryRun) {
        ctx.logger.info(
          `Dry run: would create branch ${ctx.input.branch} at ${ctx.input.commit}`,
        );
        return;
      }
      if (!/^[0-9a-f]{40}$/.test(ctx.input.commit))
        throw new InputError(
          `commit must be a 40-character commit sha; got "${ctx.input.commit}"`,
        );
      const github = await githubRepository(
        ctx.input.repoUrl,
        options.integrations,
      );
      await ctx.checkpoint({
        key: `titanic.github.branch.${github.owner}.${github.repo}.${ctx.input.branch}`,
        fn: async () => {
          try {
            await github.request(
              'POST',
              `/repos/${github.owner}/${github.repo}/git/refs`,
              {
                ref: `refs/heads/${ctx.input.branch}`,
                sha: ctx.input.commit,
              },
            );
          } catch (error) {
            // A retried task finds the branch it made before.
            if (
              !(
                error instanceof GitHubRequestError &&
                /already exists/.test(error.message)
              )
            )
              throw error;
          }
        },
      });
      ctx.logger.info(
        `Branch ${ctx.input.branch} created at ${ctx.input.commit.slice(0, 7)}`,
      );
    },
  });
}
