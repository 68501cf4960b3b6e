import { CommitInfo, TreeEntry } from '../hosting/bareRepository';
import {
  BranchProtectionRecord,
  HostedRepositoryRecord,
} from '../hosting/repositoryStore';
import { UserRecord } from '../../world/records';
import { iso } from '../../world/timestamps';
import { RenderContext, RepositoryScope } from './renderContext';
import {
  findUser,
  renderCommitView,
  renderMinimalRepositoryOf,
  renderUser,
} from './repositoryRepresentations';

/*
 * Hosted repositories as GitHub REST JSON. Unlike the seeded repository (whose web pages live on
 * github.com), their web and clone URLs are the sandbox's own: `http://localhost:<port>/owner/repo`
 * is what a Backstage GitHub integration with `host: localhost:<port>` recognises, and
 * `clone_url` is where git pushes.
 */

/** The sandbox as a web host: loopback addresses become `localhost`, the port stays. */
export function webBaseUrl(apiUrl: string): string {
  const url = new URL(apiUrl);
  if (
    ['127.0.0.1', '0.0.0.0', '[::1]', '[::]', 'localhost'].includes(
      url.hostname,
    )
  )
    url.hostname = 'localhost';
  return url.origin;
}

export function hostedWebUrl(
  ctx: Pick<RenderContext, 'apiUrl'>,
  record: HostedRepositoryRecord,
): string {
  return `${webBaseUrl(ctx.apiUrl)}/${record.owner}/${record.name}`;
}

export function hostedApiUrl(
  ctx: RenderContext,
  record: HostedRepositoryRecord,
): string {
  return `${ctx.apiUrl}/repos/${record.owner}/${record.name}`;
}

/** The scope a request about a created repository renders in (its API and web addresses). */
export function hostedRepositoryScope(
  ctx: RenderContext,
  record: HostedRepositoryRecord,
): RepositoryScope {
  return {
    id: record.id,
    owner: record.owner,
    name: record.name,
    description: record.description,
    private: record.private,
    defaultBranch: record.defaultBranch,
    api: hostedApiUrl(ctx, record),
    web: hostedWebUrl(ctx, record),
  };
}

export function renderHostedMinimalRepository(
  ctx: RenderContext,
  record: HostedRepositoryRecord,
) {
  return renderMinimalRepositoryOf(
    ctx,
    record,
    hostedApiUrl(ctx, record),
    hostedWebUrl(ctx, record),
  );
}

export function renderHostedRepository(
  ctx: RenderContext,
  record: HostedRepositoryRecord,
  permission: 'read' | 'write' | null,
) {
  const web = hostedWebUrl(ctx, record);
  const owner = findUser(ctx, record.owner);
  return {
    ...renderHostedMinimalRepository(ctx, record),
    git_url: `${web.replace(/^http/, 'git')}.git`,
    ssh_url: `git@${new URL(web).hostname}:${record.owner}/${record.name}.git`,
    clone_url: `${web}.git`,
    svn_url: web,
    mirror_url: null,
    homepage: record.homepage,
    language: null,
    forks_count: 0,
    forks: 0,
    stargazers_count: 0,
    watchers_count: 0,
    watchers: 0,
    size: 0,
    default_branch: record.defaultBranch,
    open_issues_count: 0,
    open_issues: 0,
    is_template: false,
    topics: record.topics,
    has_issues: record.hasIssues,
    has_projects: record.hasProjects,
    has_wiki: record.hasWiki,
    has_pages: false,
    has_downloads: true,
    has_discussions: false,
    archived: false,
    disabled: false,
    visibility: record.private ? 'private' : 'public',
    pushed_at: record.pushedAt ?? record.createdAt,
    created_at: record.createdAt,
    updated_at: record.updatedAt,
    permissions: {
      admin: permission === 'write',
      maintain: permission === 'write',
      push: permission === 'write',
      triage: permission === 'write',
      pull: true,
    },
    allow_rebase_merge: record.allowRebaseMerge,
    allow_squash_merge: record.allowSquashMerge,
    allow_merge_commit: record.allowMergeCommit,
    allow_auto_merge: record.allowAutoMerge,
    delete_branch_on_merge: record.deleteBranchOnMerge,
    allow_update_branch: record.allowUpdateBranch,
    allow_forking: false,
    web_commit_signoff_required: false,
    license: null,
    ...(owner.type === 'Organization'
      ? { organization: renderUser(ctx, owner) }
      : {}),
    network_count: 0,
    subscribers_count: 1,
    security_and_analysis: null,
  };
}

const CONTENT_TYPES = {
  tree: 'dir',
  blob: 'file',
  commit: 'submodule',
} as const;

/** One item of the contents API: a file (with its content when `withContent`), directory or submodule. */
export function renderContentEntry(
  ctx: RenderContext,
  record: HostedRepositoryRecord,
  entry: TreeEntry,
  ref: string,
  content?: Buffer,
) {
  const api = hostedApiUrl(ctx, record);
  const web = hostedWebUrl(ctx, record);
  const encodedPath = entry.path.split('/').map(encodeURIComponent).join('/');
  const self = `${api}/contents/${encodedPath}?ref=${encodeURIComponent(ref)}`;
  const isDirectory = entry.type === 'tree';
  const html = `${web}/${isDirectory ? 'tree' : 'blob'}/${ref}/${encodedPath}`;
  const git = `${api}/git/${isDirectory ? 'trees' : 'blobs'}/${entry.sha}`;
  const type = CONTENT_TYPES[entry.type];
  return {
    type,
    ...(content !== undefined
      ? { encoding: 'base64', content: content.toString('base64') }
      : {}),
    size: entry.size,
    name: entry.name,
    path: entry.path,
    sha: entry.sha,
    url: self,
    git_url: entry.type === 'commit' ? null : git,
    html_url: html,
    download_url: type === 'file' ? `${web}/raw/${ref}/${encodedPath}` : null,
    _links: { self, git: entry.type === 'commit' ? null : git, html },
  };
}

/** The account GitHub links a commit's author or committer to: the user with that email. */
function accountByEmail(ctx: RenderContext, email: string): UserRecord | null {
  const wanted = email.toLowerCase();
  return (
    ctx.state.users.find(
      user => user.email && user.email.toLowerCase() === wanted,
    ) ?? null
  );
}

/** A pushed commit, as the commits routes and compare answer it (ctx.repository names its repository). */
export function renderHostedCommit(ctx: RenderContext, commit: CommitInfo) {
  return renderCommitView(ctx, {
    sha: commit.sha,
    treeSha: commit.treeSha,
    parents: commit.parents,
    message: commit.message,
    // GitHub shows git's dates in UTC.
    author: {
      name: commit.authorName,
      email: commit.authorEmail,
      date: iso(Date.parse(commit.authorDate)),
    },
    committer: {
      name: commit.committerName,
      email: commit.committerEmail,
      date: iso(Date.parse(commit.committerDate)),
    },
    authorUser: accountByEmail(ctx, commit.authorEmail),
    committerUser: accountByEmail(ctx, commit.committerEmail),
    // Pushed commits carry no signature the sandbox could verify.
    verifiedAt: null,
  });
}

export function renderCombinedStatus(
  ctx: RenderContext,
  record: HostedRepositoryRecord,
  commit: CommitInfo,
) {
  const api = hostedApiUrl(ctx, record);
  return {
    // No status contexts were ever reported; GitHub calls that `pending`.
    state: 'pending',
    statuses: [],
    sha: commit.sha,
    total_count: 0,
    repository: renderHostedMinimalRepository(ctx, record),
    commit_url: `${api}/commits/${commit.sha}`,
    url: `${api}/commits/${commit.sha}/status`,
  };
}

export function renderBranchProtection(
  ctx: RenderContext,
  record: HostedRepositoryRecord,
  branch: string,
  protection: BranchProtectionRecord,
) {
  const url = `${hostedApiUrl(ctx, record)}/branches/${encodeURIComponent(
    branch,
  )}/protection`;
  const flag = (name: string, enabled: boolean) => ({
    [name]: { enabled },
  });
  return {
    url,
    ...(protection.requiredStatusChecks
      ? {
          required_status_checks: {
            url: `${url}/required_status_checks`,
            strict: protection.requiredStatusChecks.strict,
            contexts: protection.requiredStatusChecks.contexts,
            contexts_url: `${url}/required_status_checks/contexts`,
            checks: protection.requiredStatusChecks.contexts.map(context => ({
              context,
              app_id: null,
            })),
          },
        }
      : {}),
    ...(protection.requiredPullRequestReviews
      ? {
          required_pull_request_reviews: {
            url: `${url}/required_pull_request_reviews`,
            dismiss_stale_reviews:
              protection.requiredPullRequestReviews.dismissStaleReviews,
            require_code_owner_reviews:
              protection.requiredPullRequestReviews.requireCodeOwnerReviews,
            required_approving_review_count:
              protection.requiredPullRequestReviews
                .requiredApprovingReviewCount,
            require_last_push_approval:
              protection.requiredPullRequestReviews.requireLastPushApproval,
          },
        }
      : {}),
    enforce_admins: {
      url: `${url}/enforce_admins`,
      enabled: protection.enforceAdmins,
    },
    required_signatures: {
      url: `${url}/required_signatures`,
      enabled: false,
    },
    ...flag('required_linear_history', protection.requiredLinearHistory),
    ...flag('allow_force_pushes', protection.allowForcePushes),
    ...flag('allow_deletions', protection.allowDeletions),
    ...flag('block_creations', protection.blockCreations),
    ...flag(
      'required_conversation_resolution',
      protection.requiredConversationResolution,
    ),
    ...flag('lock_branch', false),
    ...flag('allow_fork_syncing', false),
  };
}

/** GET /users/{username} for a user or organization of the world. */
export function renderPublicUser(ctx: RenderContext, login: string) {
  const user = findUser(ctx, login);
  return {
    ...renderUser(ctx, user),
    name: user.name,
    company: user.type === 'Organization' ? null : 'ACME Corp',
    blog: '',
    location: null,
    email: user.email || null,
    hireable: null,
    bio: null,
    twitter_username: null,
    public_repos: 0,
    public_gists: 0,
    followers: 0,
    following: 0,
    created_at: '2026-09-01T08:00:00Z',
    updated_at: '2026-09-01T08:00:00Z',
  };
}
