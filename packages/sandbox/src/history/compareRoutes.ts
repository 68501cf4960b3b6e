import { GitHubError } from '../github/errors';
import { HostedRepositoryRecord } from '../github/hosting/repositoryStore';
import { renderHostedCommit } from '../github/representations/hostingRepresentations';
import { renderCommit } from '../github/representations/repositoryRepresentations';
import { repoApi, repoWeb } from '../github/representations/renderContext';
import {
  RequestContext,
  Route,
  RouteResult,
  paginate,
  repositoryRecords,
  requireRepository,
} from '../github/routing';

/*
 * GET /repos/{owner}/{repo}/compare/{base}...{head}: what head has that base has not. A created
 * repository answers from its git history; the seeded histories are one line of commits, so
 * there the merge base is the older of the two.
 */

const DOCS = 'https://docs.github.com/rest/commits/commits#compare-two-commits';

/** Two commits compared, whichever history they come from; `render` gives a commit's REST shape. */
interface Comparison<Commit extends { sha: string }> {
  base: Commit;
  head: Commit;
  mergeBase: Commit;
  /** Reachable from head and not from base, oldest first. */
  ahead: Commit[];
  behindBy: number;
  render(commit: Commit): unknown;
}

export const compareRoutes: Route[] = [
  {
    method: 'GET',
    path: '/repos/{owner}/{repo}/compare/{basehead}',
    handler: async ctx => {
      const match = /^(.+?)\.\.\.(.+)$/.exec(ctx.params.basehead);
      if (!match) throw new GitHubError(404, 'Not Found', DOCS);
      const [, base, head] = match;
      const hosted = ctx.repositories.find(ctx.params.owner, ctx.params.repo);
      return hosted
        ? answer(ctx, await compareHosted(ctx, hosted, base, head))
        : answer(ctx, compareRecorded(ctx, base, head));
    },
  },
];

function compareRecorded(ctx: RequestContext, base: string, head: string) {
  const { commits } = repositoryRecords(ctx);
  const indexOf = (ref: string) =>
    commits.findIndex(
      c => c.sha === ref || (ref.length >= 7 && c.sha.startsWith(ref)),
    );
  const baseIndex = indexOf(base);
  const headIndex = indexOf(head);
  if (baseIndex < 0 || headIndex < 0) {
    throw new GitHubError(404, 'Not Found', DOCS);
  }
  return {
    base: commits[baseIndex],
    head: commits[headIndex],
    mergeBase: commits[Math.min(baseIndex, headIndex)],
    ahead:
      headIndex > baseIndex ? commits.slice(baseIndex + 1, headIndex + 1) : [],
    behindBy: headIndex < baseIndex ? baseIndex - headIndex : 0,
    render: commit => renderCommit(ctx, commit, false),
  } satisfies Comparison<(typeof commits)[number]>;
}

async function compareHosted(
  ctx: RequestContext,
  record: HostedRepositoryRecord,
  base: string,
  head: string,
) {
  requireRepository(ctx);
  const git = ctx.repositories.git(record);
  const [baseSha, headSha] = await Promise.all([
    git.resolveCommit(base),
    git.resolveCommit(head),
  ]);
  if (!baseSha || !headSha) throw new GitHubError(404, 'Not Found', DOCS);
  const mergeBase = await git.mergeBase(baseSha, headSha);
  if (!mergeBase) {
    throw new GitHubError(
      404,
      `No common ancestor between ${base} and ${head}.`,
      DOCS,
    );
  }
  const [baseCommit, headCommit, mergeBaseCommit, ahead, behindBy] =
    await Promise.all([
      git.commit(baseSha),
      git.commit(headSha),
      git.commit(mergeBase),
      git.history(headSha, baseSha),
      git.countReachable(baseSha, headSha),
    ]);
  return {
    base: baseCommit,
    head: headCommit,
    mergeBase: mergeBaseCommit,
    ahead: ahead.reverse(),
    behindBy,
    render: commit => renderHostedCommit(ctx, commit),
  } satisfies Comparison<(typeof ahead)[number]>;
}

function answer<Commit extends { sha: string }>(
  ctx: RequestContext,
  comparison: Comparison<Commit>,
): RouteResult {
  const { ahead, behindBy, render } = comparison;
  // Without paging GitHub lists up to 250 commits; with it, pages of per_page.
  const paged =
    ctx.query.has('page') || ctx.query.has('per_page')
      ? paginate(ctx, ahead)
      : { items: ahead.slice(0, 250), headers: {} };
  const basehead = ctx.params.basehead;
  const permalink = `${comparison.base.sha}...${comparison.head.sha}`;
  return {
    headers: paged.headers,
    body: {
      url: `${repoApi(ctx)}/compare/${basehead}`,
      html_url: `${repoWeb(ctx)}/compare/${basehead}`,
      permalink_url: `${repoWeb(ctx)}/compare/${permalink}`,
      diff_url: `${repoWeb(ctx)}/compare/${basehead}.diff`,
      patch_url: `${repoWeb(ctx)}/compare/${basehead}.patch`,
      base_commit: render(comparison.base),
      merge_base_commit: render(comparison.mergeBase),
      status: compareStatus(ahead.length, behindBy),
      ahead_by: ahead.length,
      behind_by: behindBy,
      total_commits: ahead.length,
      commits: paged.items.map(render),
      files: [],
    },
  };
}

function compareStatus(aheadBy: number, behindBy: number): string {
  if (aheadBy === 0) return behindBy === 0 ? 'identical' : 'behind';
  return behindBy === 0 ? 'ahead' : 'diverged';
}
