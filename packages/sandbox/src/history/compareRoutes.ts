import { GitHubError } from '../github/errors';
import { renderCommit } from '../github/representations/repositoryRepresentations';
import { repoApi, repoWeb } from '../github/representations/renderContext';
import { Route, paginate, repositoryRecords } from '../github/routing';

/*
 * GET /repos/{owner}/{repo}/compare/{base}...{head}: what head has that base has not. The
 * sandbox's histories are one line of commits, so the merge base is the older of the two.
 */

const DOCS = 'https://docs.github.com/rest/commits/commits#compare-two-commits';

export const compareRoutes: Route[] = [
  {
    method: 'GET',
    path: '/repos/{owner}/{repo}/compare/{basehead}',
    handler: ctx => {
      const { commits } = repositoryRecords(ctx);
      const match = /^(.+?)\.\.\.(.+)$/.exec(ctx.params.basehead);
      if (!match) throw new GitHubError(404, 'Not Found', DOCS);
      const indexOf = (ref: string) =>
        commits.findIndex(
          c => c.sha === ref || (ref.length >= 7 && c.sha.startsWith(ref)),
        );
      const baseIndex = indexOf(match[1]);
      const headIndex = indexOf(match[2]);
      if (baseIndex < 0 || headIndex < 0) {
        throw new GitHubError(404, 'Not Found', DOCS);
      }
      const ahead =
        headIndex > baseIndex
          ? commits.slice(baseIndex + 1, headIndex + 1)
          : [];
      const behindBy = headIndex < baseIndex ? baseIndex - headIndex : 0;
      const mergeBase = commits[Math.min(baseIndex, headIndex)];
      // Without paging GitHub lists up to 250 commits; with it, pages of per_page.
      const paged =
        ctx.query.has('page') || ctx.query.has('per_page')
          ? paginate(ctx, ahead)
          : { items: ahead.slice(0, 250), headers: {} };
      const basehead = `${commits[baseIndex].sha}...${commits[headIndex].sha}`;
      return {
        headers: paged.headers,
        body: {
          url: `${repoApi(ctx)}/compare/${ctx.params.basehead}`,
          html_url: `${repoWeb(ctx)}/compare/${ctx.params.basehead}`,
          permalink_url: `${repoWeb(ctx)}/compare/${basehead}`,
          diff_url: `${repoWeb(ctx)}/compare/${ctx.params.basehead}.diff`,
          patch_url: `${repoWeb(ctx)}/compare/${ctx.params.basehead}.patch`,
          base_commit: renderCommit(ctx, commits[baseIndex], false),
          merge_base_commit: renderCommit(ctx, mergeBase, false),
          status: compareStatus(baseIndex, headIndex),
          ahead_by: ahead.length,
          behind_by: behindBy,
          total_commits: ahead.length,
          commits: paged.items.map(c => renderCommit(ctx, c, false)),
          files: [],
        },
      };
    },
  },
];

function compareStatus(baseIndex: number, headIndex: number): string {
  if (baseIndex === headIndex) return 'identical';
  return headIndex > baseIndex ? 'ahead' : 'behind';
}
