import { GitHubError, validationFailed } from '../errors';
import {
  renderBranchProtection,
  renderCombinedStatus,
  renderContentEntry,
  renderHostedRepository,
  renderPublicUser,
} from '../representations/hostingRepresentations';
import {
  BranchProtectionRecord,
  HostedRepositoryRecord,
} from '../hosting/repositoryStore';
import { RequestContext, Route, jsonBody } from '../routing';

/*
 * Creating repositories and reading what was pushed to them: the calls Backstage's
 * `publish:github` action and GitHub UrlReader make (users lookup, create in an org or for the
 * authenticated user, topics, branch protection, contents, combined status, tarball).
 */

const DOCS = {
  user: 'https://docs.github.com/rest/users/users#get-a-user',
  createInOrg:
    'https://docs.github.com/rest/repos/repos#create-an-organization-repository',
  createForUser:
    'https://docs.github.com/rest/repos/repos#create-a-repository-for-the-authenticated-user',
  contents:
    'https://docs.github.com/rest/repos/contents#get-repository-content',
  status:
    'https://docs.github.com/rest/commits/statuses#get-the-combined-status-for-a-specific-reference',
  tarball:
    'https://docs.github.com/rest/repos/contents#download-a-repository-archive-tar',
  protection:
    'https://docs.github.com/rest/branches/branch-protection#update-branch-protection',
  topics:
    'https://docs.github.com/rest/repos/repos#replace-all-repository-topics',
  refs: 'https://docs.github.com/rest/git/refs#create-a-reference',
};

/** The hosted repository the URL names; 404 for anything else (the seeded repository has no git content). */
function hostedRepository(
  ctx: RequestContext,
  documentationUrl: string,
): HostedRepositoryRecord {
  const record = ctx.repositories.find(ctx.params.owner, ctx.params.repo);
  if (!record) throw new GitHubError(404, 'Not Found', documentationUrl);
  return record;
}

function isSeededRepository(ctx: RequestContext, owner: string, name: string) {
  const seeded = ctx.state.repository;
  return (
    seeded.owner.toLowerCase() === owner.toLowerCase() &&
    seeded.name.toLowerCase() === name.toLowerCase()
  );
}

const REPOSITORY_NAME = /^[A-Za-z0-9._-]{1,100}$/;

/** GitHub's 422 for a repository name it will not create. */
function repositoryNameRefused(
  message: string,
  documentationUrl: string,
): GitHubError {
  return new GitHubError(422, 'Repository creation failed.', documentationUrl, {
    errors: [
      { resource: 'Repository', code: 'custom', field: 'name', message },
    ],
  });
}

async function createRepository(
  ctx: RequestContext,
  owner: string,
  documentationUrl: string,
) {
  const body = jsonBody(ctx, documentationUrl);
  const name = body.name;
  if (typeof name !== 'string' || name.length === 0) {
    throw validationFailed(
      [{ resource: 'Repository', code: 'missing_field', field: 'name' }],
      documentationUrl,
    );
  }
  if (!REPOSITORY_NAME.test(name) || name === '.' || name === '..') {
    throw repositoryNameRefused('name is invalid', documentationUrl);
  }
  if (
    isSeededRepository(ctx, owner, name) ||
    ctx.repositories.find(owner, name)
  ) {
    throw repositoryNameRefused(
      'name already exists on this account',
      documentationUrl,
    );
  }
  const flag = (field: string, fallback: boolean) =>
    typeof body[field] === 'boolean' ? (body[field] as boolean) : fallback;
  const text = (field: string) =>
    typeof body[field] === 'string' ? (body[field] as string) : null;
  // `visibility` (organizations) wins over the older `private` flag.
  let isPrivate = flag('private', false);
  if (body.visibility === 'public') isPrivate = false;
  if (body.visibility === 'private' || body.visibility === 'internal')
    isPrivate = true;
  const record = await ctx.repositories.create({
    owner,
    name,
    description: text('description'),
    homepage: text('homepage'),
    private: isPrivate,
    hasIssues: flag('has_issues', true),
    hasProjects: flag('has_projects', true),
    hasWiki: flag('has_wiki', true),
    allowMergeCommit: flag('allow_merge_commit', true),
    allowSquashMerge: flag('allow_squash_merge', true),
    allowRebaseMerge: flag('allow_rebase_merge', true),
    allowAutoMerge: flag('allow_auto_merge', false),
    allowUpdateBranch: flag('allow_update_branch', false),
    deleteBranchOnMerge: flag('delete_branch_on_merge', false),
  });
  const rendered = renderHostedRepository(
    ctx,
    record,
    ctx.token?.permission ?? null,
  );
  return {
    status: 201,
    body: rendered,
    headers: { location: rendered.url },
  };
}

function isRawMediaType(accept: string | string[] | undefined): boolean {
  const value = Array.isArray(accept) ? accept.join(',') : accept ?? '';
  return /application\/vnd\.github(?:\.v3)?\.raw/i.test(value);
}

function parseProtection(ctx: RequestContext): BranchProtectionRecord {
  const body = jsonBody(ctx, DOCS.protection);
  for (const field of [
    'required_status_checks',
    'enforce_admins',
    'required_pull_request_reviews',
    'restrictions',
  ]) {
    if (!(field in body)) {
      throw new GitHubError(
        422,
        `Invalid request.\n\n"${field}" wasn't supplied.`,
        DOCS.protection,
      );
    }
  }
  const checks = body.required_status_checks as {
    strict?: boolean;
    contexts?: string[];
  } | null;
  const reviews = body.required_pull_request_reviews as {
    required_approving_review_count?: number;
    require_code_owner_reviews?: boolean;
    dismiss_stale_reviews?: boolean;
    require_last_push_approval?: boolean;
  } | null;
  return {
    requiredStatusChecks: checks
      ? { strict: Boolean(checks.strict), contexts: checks.contexts ?? [] }
      : null,
    enforceAdmins: Boolean(body.enforce_admins),
    requiredPullRequestReviews: reviews
      ? {
          requiredApprovingReviewCount:
            reviews.required_approving_review_count ?? 1,
          requireCodeOwnerReviews: Boolean(reviews.require_code_owner_reviews),
          dismissStaleReviews: Boolean(reviews.dismiss_stale_reviews),
          requireLastPushApproval: Boolean(reviews.require_last_push_approval),
        }
      : null,
    requiredLinearHistory: Boolean(body.required_linear_history),
    requiredConversationResolution: Boolean(
      body.required_conversation_resolution,
    ),
    allowForcePushes: Boolean(body.allow_force_pushes),
    allowDeletions: Boolean(body.allow_deletions),
    blockCreations: Boolean(body.block_creations),
  };
}

async function protectedBranch(
  ctx: RequestContext,
  record: HostedRepositoryRecord,
): Promise<string> {
  const branch = ctx.params.branch;
  const branches = await ctx.repositories.git(record).branches();
  if (!branches.has(branch))
    throw new GitHubError(404, 'Branch not found', DOCS.protection);
  return branch;
}

export const hostingRoutes: Route[] = [
  {
    method: 'GET',
    path: '/users/{username}',
    handler: ctx => {
      const user = ctx.state.users.find(
        u => u.login.toLowerCase() === ctx.params.username.toLowerCase(),
      );
      if (!user) throw new GitHubError(404, 'Not Found', DOCS.user);
      return { body: renderPublicUser(ctx, user.login) };
    },
  },
  {
    method: 'POST',
    path: '/orgs/{org}/repos',
    write: true,
    handler: ctx => {
      const org = ctx.state.users.find(
        u =>
          u.type === 'Organization' &&
          u.login.toLowerCase() === ctx.params.org.toLowerCase(),
      );
      if (!org) throw new GitHubError(404, 'Not Found', DOCS.createInOrg);
      return createRepository(ctx, org.login, DOCS.createInOrg);
    },
  },
  {
    method: 'POST',
    path: '/user/repos',
    write: true,
    handler: ctx => {
      if (!ctx.user) {
        throw new GitHubError(
          401,
          'Requires authentication',
          DOCS.createForUser,
        );
      }
      return createRepository(ctx, ctx.user.login, DOCS.createForUser);
    },
  },
  {
    method: 'GET',
    path: '/repos/{owner}/{repo}/contents/{path}',
    handler: async ctx => {
      const record = hostedRepository(ctx, DOCS.contents);
      const git = ctx.repositories.git(record);
      if ((await git.branches()).size === 0)
        throw new GitHubError(404, 'This repository is empty.', DOCS.contents);
      const ref = ctx.query.get('ref') || record.defaultBranch;
      const sha = await git.resolveCommit(ref);
      if (!sha)
        throw new GitHubError(
          404,
          `No commit found for the ref ${ref}`,
          DOCS.contents,
        );
      const entry = await git.entry(sha, ctx.params.path ?? '');
      if (!entry) throw new GitHubError(404, 'Not Found', DOCS.contents);
      if (entry.type === 'tree') {
        const entries = await git.list(entry.sha, entry.path);
        return {
          body: entries.map(e => renderContentEntry(ctx, record, e, ref)),
        };
      }
      if (entry.type === 'commit') {
        throw new GitHubError(404, 'Not Found', DOCS.contents);
      }
      const data = await git.blob(entry.sha);
      if (isRawMediaType(ctx.headers.accept)) {
        return {
          raw: { data, contentType: 'application/vnd.github.raw' },
          headers: { 'x-github-media-type': 'github.v3; param=raw' },
        };
      }
      return { body: renderContentEntry(ctx, record, entry, ref, data) };
    },
  },
  {
    method: 'GET',
    path: '/repos/{owner}/{repo}/commits/{ref}/status',
    handler: async ctx => {
      const record = hostedRepository(ctx, DOCS.status);
      const git = ctx.repositories.git(record);
      const sha = await git.resolveCommit(ctx.params.ref);
      if (!sha)
        throw new GitHubError(
          404,
          `No commit found for SHA: ${ctx.params.ref}`,
          DOCS.status,
        );
      return { body: renderCombinedStatus(ctx, record, await git.commit(sha)) };
    },
  },
  {
    method: 'GET',
    path: '/repos/{owner}/{repo}/tarball/{ref}',
    handler: async ctx => {
      const record = hostedRepository(ctx, DOCS.tarball);
      const sha = await ctx.repositories
        .git(record)
        .resolveCommit(ctx.params.ref);
      if (!sha) throw new GitHubError(404, 'Not Found', DOCS.tarball);
      return {
        status: 302,
        headers: {
          location: ctx.signDownload(
            `/_sandbox/downloads/tarballs/${record.owner}/${record.name}/${sha}`,
          ),
        },
      };
    },
  },
  {
    method: 'GET',
    path: '/repos/{owner}/{repo}/branches/{branch}/protection',
    handler: async ctx => {
      const record = hostedRepository(ctx, DOCS.protection);
      const branch = await protectedBranch(ctx, record);
      const protection = record.branchProtection[branch];
      if (!protection)
        throw new GitHubError(404, 'Branch not protected', DOCS.protection);
      return {
        body: renderBranchProtection(ctx, record, branch, protection),
      };
    },
  },
  {
    method: 'PUT',
    path: '/repos/{owner}/{repo}/branches/{branch}/protection',
    write: true,
    handler: async ctx => {
      const record = hostedRepository(ctx, DOCS.protection);
      const branch = await protectedBranch(ctx, record);
      const protection = parseProtection(ctx);
      record.branchProtection[branch] = protection;
      return {
        body: renderBranchProtection(ctx, record, branch, protection),
      };
    },
  },
  {
    method: 'POST',
    path: '/repos/{owner}/{repo}/git/refs',
    write: true,
    handler: createReference,
  },
  {
    method: 'GET',
    path: '/repos/{owner}/{repo}/topics',
    handler: ctx => {
      if (isSeededRepository(ctx, ctx.params.owner, ctx.params.repo))
        return { body: { names: ctx.state.repository.topics } };
      return { body: { names: hostedRepository(ctx, DOCS.topics).topics } };
    },
  },
  {
    method: 'PUT',
    path: '/repos/{owner}/{repo}/topics',
    write: true,
    handler: ctx => {
      const record = hostedRepository(ctx, DOCS.topics);
      const names = jsonBody(ctx, DOCS.topics).names;
      if (
        !Array.isArray(names) ||
        names.some(
          name =>
            typeof name !== 'string' || !/^[a-z0-9][a-z0-9-]{0,49}$/.test(name),
        )
      ) {
        // This operation documents its 422 errors as plain strings.
        throw new GitHubError(422, 'Validation Failed', DOCS.topics, {
          errors: [
            'Topics must start with a lowercase letter or number, consist of 50 characters or less, and can include hyphens.',
          ],
        });
      }
      record.topics = [...new Set(names as string[])];
      return { body: { names: record.topics } };
    },
  },
];

/** A branch or tag made through the API: a push like any other, so workflows run for it. */
async function createReference(ctx: RequestContext) {
  const record = hostedRepository(ctx, DOCS.refs);
  const body = jsonBody(ctx, DOCS.refs);
  const ref = body.ref;
  const sha = body.sha;
  if (typeof ref !== 'string' || !/^refs\/[^/]+\/.+/.test(ref))
    throw new GitHubError(
      422,
      "Reference name must start with 'refs/' and have at least two slashes.",
      DOCS.refs,
    );
  if (typeof sha !== 'string' || !/^[0-9a-f]{40}$/.test(sha))
    throw new GitHubError(422, 'Object does not exist', DOCS.refs);
  const git = ctx.repositories.git(record);
  if ((await git.resolveCommit(sha)) !== sha)
    throw new GitHubError(422, 'Object does not exist', DOCS.refs);
  const before = await git.branches();
  if (!(await git.createRef(ref.slice('refs/'.length), sha)))
    throw new GitHubError(422, 'Reference already exists', DOCS.refs);
  await ctx.repositories.recordPush(record, before, ctx.user!.login);
  const api = `${ctx.apiUrl}/repos/${record.owner}/${record.name}`;
  return {
    status: 201,
    headers: { location: `${api}/git/${ref}` },
    body: {
      ref,
      node_id: Buffer.from(`REF:${record.id}:${ref}`).toString('base64'),
      url: `${api}/git/${ref}`,
      object: { type: 'commit', sha, url: `${api}/git/commits/${sha}` },
    },
  };
}

/** The signed tarball downloads GET …/tarball/{ref} redirects to, like codeload.github.com. */
export const hostingDownloadRoutes: Route[] = [
  {
    method: 'GET',
    path: '/_sandbox/downloads/tarballs/{owner}/{repo}/{sha}',
    public: true,
    handler: async ctx => {
      const record = hostedRepository(ctx, DOCS.tarball);
      const git = ctx.repositories.git(record);
      const sha = await git.resolveCommit(ctx.params.sha);
      if (!sha) throw new GitHubError(404, 'Not Found', DOCS.tarball);
      const prefix = `${record.owner}-${record.name}-${sha.slice(0, 7)}`;
      return {
        raw: {
          data: await git.tarball(sha, prefix),
          contentType: 'application/x-gzip',
        },
        headers: {
          'content-disposition': `attachment; filename=${prefix}.tar.gz`,
        },
      };
    },
  },
];
