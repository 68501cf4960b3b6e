import { GitHubError } from '../errors';
import {
  renderCommit,
  renderFullRepository,
  renderUser,
} from '../representations/repositoryRepresentations';
import { repositoryOf } from '../representations/renderContext';
import { findRepositoryById } from '../../world/repositoryIndex';
import {
  renderHostedCommit,
  renderHostedRepository,
} from '../representations/hostingRepresentations';
import { HostedRepositoryRecord } from '../hosting/repositoryStore';
import {
  RequestContext,
  Route,
  paginate,
  repositoryRecords,
  requireRepository,
} from '../routing';

const DOCS = {
  listCommits: 'https://docs.github.com/rest/commits/commits#list-commits',
  getCommit: 'https://docs.github.com/rest/commits/commits#get-a-commit',
};

export const repositoryRoutes: Route[] = [
  {
    method: 'GET',
    path: '/rate_limit',
    handler: ctx => {
      const core = ctx.rateLimit;
      const other = (limit: number) => ({
        limit,
        remaining: limit,
        reset: core.reset,
        used: 0,
      });
      return {
        body: {
          resources: {
            core,
            search: other(30),
            graphql: other(5000),
            code_search: other(10),
            integration_manifest: other(5000),
            code_scanning_upload: other(1000),
          },
          rate: core,
        },
      };
    },
  },
  {
    method: 'GET',
    path: '/user',
    handler: ctx => {
      if (!ctx.user) {
        throw new GitHubError(
          401,
          'Requires authentication',
          'https://docs.github.com/rest/users/users#get-the-authenticated-user',
        );
      }
      return {
        body: {
          ...renderUser(ctx, ctx.user),
          name: ctx.user.name,
          company: 'ACME Corp',
          blog: '',
          location: null,
          email: ctx.user.email,
          hireable: null,
          bio: null,
          twitter_username: null,
          public_repos: 0,
          public_gists: 0,
          followers: 0,
          following: 0,
          created_at: '2026-09-01T08:00:00Z',
          updated_at: '2026-09-01T08:00:00Z',
        },
      };
    },
  },
  {
    method: 'GET',
    path: '/user/emails',
    handler: ctx => {
      if (!ctx.user) {
        throw new GitHubError(
          401,
          'Requires authentication',
          'https://docs.github.com/rest/users/emails#list-email-addresses-for-the-authenticated-user',
        );
      }
      return {
        body: ctx.user.email
          ? [
              {
                email: ctx.user.email,
                primary: true,
                verified: true,
                visibility: 'private',
              },
            ]
          : [],
      };
    },
  },
  {
    method: 'GET',
    path: '/repos/{owner}/{repo}',
    handler: ctx => {
      const hosted = ctx.repositories.find(ctx.params.owner, ctx.params.repo);
      if (hosted) {
        return {
          body: renderHostedRepository(
            ctx,
            hosted,
            ctx.token?.permission ?? null,
          ),
        };
      }
      requireRepository(ctx);
      return { body: renderFullRepository(ctx, ctx.token?.permission ?? null) };
    },
  },
  {
    method: 'GET',
    path: '/repos/{owner}/{repo}/commits',
    handler: ctx => {
      const hosted = ctx.repositories.find(ctx.params.owner, ctx.params.repo);
      if (hosted) return listHostedCommits(ctx, hosted);
      const { commits: recorded } = repositoryRecords(ctx);
      const repository =
        findRepositoryById(ctx.state, repositoryOf(ctx).id) ??
        ctx.state.repository;
      const ref = ctx.query.get('sha') ?? repository.defaultBranch;
      const since = ctx.query.get('since');
      const until = ctx.query.get('until');
      const author = ctx.query.get('author');
      const fromSha = recorded.find(
        c => c.sha === ref || c.sha.startsWith(ref),
      );
      const commits = [...recorded]
        .filter(c =>
          fromSha
            ? c.date <= fromSha.date
            : c.branches.includes(ref) || ref === repository.defaultBranch,
        )
        .filter(c => !since || c.date >= since)
        .filter(c => !until || c.date <= until)
        .filter(c => !author || c.authorLogin === author)
        .sort((a, b) => b.date.localeCompare(a.date));
      if (!fromSha && !repository.branches.includes(ref)) {
        throw new GitHubError(
          404,
          `No commit found for SHA: ${ref}`,
          DOCS.listCommits,
        );
      }
      const page = paginate(ctx, commits);
      return {
        body: page.items.map(c => renderCommit(ctx, c, false)),
        headers: page.headers,
      };
    },
  },
  {
    method: 'GET',
    path: '/repos/{owner}/{repo}/commits/{ref}',
    handler: ctx => {
      const hosted = ctx.repositories.find(ctx.params.owner, ctx.params.repo);
      if (hosted) return getHostedCommit(ctx, hosted);
      const { commits: recorded } = repositoryRecords(ctx);
      const ref = ctx.params.ref;
      const commit =
        recorded.find(
          c => c.sha === ref || (ref.length >= 7 && c.sha.startsWith(ref)),
        ) ?? [...recorded].reverse().find(c => c.branches.includes(ref));
      if (!commit) {
        throw new GitHubError(
          422,
          `No commit found for SHA: ${ref}`,
          DOCS.getCommit,
        );
      }
      return { body: renderCommit(ctx, commit, true) };
    },
  },
];

/** A time filter of the commits list; GitHub filters on the committer's date. */
function timeParam(ctx: RequestContext, name: string): number | null {
  const value = ctx.query.get(name);
  if (!value) return null;
  const time = Date.parse(value);
  if (Number.isNaN(time)) {
    throw new GitHubError(
      400,
      `Invalid ${name}: ${value} is not an ISO 8601 timestamp`,
      DOCS.listCommits,
    );
  }
  return time;
}

/** GET …/commits of a created repository: `git log` of `sha` (a branch, tag or commit), newest first. */
async function listHostedCommits(
  ctx: RequestContext,
  record: HostedRepositoryRecord,
) {
  requireRepository(ctx);
  const git = ctx.repositories.git(record);
  if ((await git.branches()).size === 0)
    throw new GitHubError(409, 'Git Repository is empty.', DOCS.listCommits);
  const ref = ctx.query.get('sha') || record.defaultBranch;
  const sha = await git.resolveCommit(ref);
  if (!sha) {
    throw new GitHubError(
      404,
      `No commit found for SHA: ${ref}`,
      DOCS.listCommits,
    );
  }
  const since = timeParam(ctx, 'since');
  const until = timeParam(ctx, 'until');
  const author = ctx.query.get('author')?.toLowerCase();
  // The author is named by login or by email.
  const authorEmail = author?.includes('@')
    ? author
    : ctx.state.users
        .find(u => u.login.toLowerCase() === author)
        ?.email.toLowerCase();
  const commits = (await git.history(sha)).filter(commit => {
    const committed = Date.parse(commit.committerDate);
    return (
      (since === null || committed >= since) &&
      (until === null || committed <= until) &&
      (!author || commit.authorEmail.toLowerCase() === authorEmail)
    );
  });
  const page = paginate(ctx, commits);
  return {
    body: page.items.map(commit => renderHostedCommit(ctx, commit)),
    headers: page.headers,
  };
}

/** GET …/commits/{ref} of a created repository. */
async function getHostedCommit(
  ctx: RequestContext,
  record: HostedRepositoryRecord,
) {
  requireRepository(ctx);
  const git = ctx.repositories.git(record);
  const sha = await git.resolveCommit(ctx.params.ref);
  if (!sha) {
    throw new GitHubError(
      422,
      `No commit found for SHA: ${ctx.params.ref}`,
      DOCS.getCommit,
    );
  }
  return { body: renderHostedCommit(ctx, await git.commit(sha)) };
}
