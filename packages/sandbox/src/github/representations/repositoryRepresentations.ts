import { createHash } from 'node:crypto';
import { CommitRecord, UserRecord } from '../../world/records';
import { findRepositoryById, recordsOf } from '../../world/repositoryIndex';
import {
  RenderContext,
  WEB,
  nodeId,
  repoApi,
  repoWeb,
  repositoryOf,
} from './renderContext';

/* Users, the repository and its commits (routes/repositoryRoutes.ts). */

export function renderUser(ctx: RenderContext, user: UserRecord) {
  const api = `${ctx.apiUrl}/users/${user.login}`;
  return {
    login: user.login,
    id: user.id,
    node_id: nodeId(user.type === 'Organization' ? 'O' : 'U', user.id),
    avatar_url: `https://avatars.githubusercontent.com/u/${user.id}?v=4`,
    gravatar_id: '',
    url: api,
    html_url: `${WEB}/${user.login}`,
    followers_url: `${api}/followers`,
    following_url: `${api}/following{/other_user}`,
    gists_url: `${api}/gists{/gist_id}`,
    starred_url: `${api}/starred{/owner}{/repo}`,
    subscriptions_url: `${api}/subscriptions`,
    organizations_url: `${api}/orgs`,
    repos_url: `${api}/repos`,
    events_url: `${api}/events{/privacy}`,
    received_events_url: `${api}/received_events`,
    type: user.type,
    user_view_type: 'public',
    site_admin: user.siteAdmin,
  };
}

export function findUser(ctx: RenderContext, login: string): UserRecord {
  return (
    ctx.state.users.find(u => u.login === login) ?? {
      id: 41898282,
      login,
      type: 'Bot',
      name: login,
      email: '',
      siteAdmin: false,
    }
  );
}

export function renderUserByLogin(ctx: RenderContext, login: string) {
  return renderUser(ctx, findUser(ctx, login));
}

export function renderMinimalRepository(ctx: RenderContext) {
  return renderMinimalRepositoryOf(
    ctx,
    repositoryOf(ctx),
    repoApi(ctx),
    repoWeb(ctx),
  );
}

/** GitHub's minimal-repository of any repository the sandbox serves, seeded or created. */
export function renderMinimalRepositoryOf(
  ctx: RenderContext,
  repo: {
    id: number;
    owner: string;
    name: string;
    private: boolean;
    description: string | null;
  },
  api: string,
  web: string,
) {
  return {
    id: repo.id,
    node_id: nodeId('R', repo.id),
    name: repo.name,
    full_name: `${repo.owner}/${repo.name}`,
    private: repo.private,
    owner: renderUserByLogin(ctx, repo.owner),
    html_url: web,
    description: repo.description,
    fork: false,
    url: api,
    archive_url: `${api}/{archive_format}{/ref}`,
    assignees_url: `${api}/assignees{/user}`,
    blobs_url: `${api}/git/blobs{/sha}`,
    branches_url: `${api}/branches{/branch}`,
    collaborators_url: `${api}/collaborators{/collaborator}`,
    comments_url: `${api}/comments{/number}`,
    commits_url: `${api}/commits{/sha}`,
    compare_url: `${api}/compare/{base}...{head}`,
    contents_url: `${api}/contents/{+path}`,
    contributors_url: `${api}/contributors`,
    deployments_url: `${api}/deployments`,
    downloads_url: `${api}/downloads`,
    events_url: `${api}/events`,
    forks_url: `${api}/forks`,
    git_commits_url: `${api}/git/commits{/sha}`,
    git_refs_url: `${api}/git/refs{/sha}`,
    git_tags_url: `${api}/git/tags{/sha}`,
    hooks_url: `${api}/hooks`,
    issue_comment_url: `${api}/issues/comments{/number}`,
    issue_events_url: `${api}/issues/events{/number}`,
    issues_url: `${api}/issues{/number}`,
    keys_url: `${api}/keys{/key_id}`,
    labels_url: `${api}/labels{/name}`,
    languages_url: `${api}/languages`,
    merges_url: `${api}/merges`,
    milestones_url: `${api}/milestones{/number}`,
    notifications_url: `${api}/notifications{?since,all,participating}`,
    pulls_url: `${api}/pulls{/number}`,
    releases_url: `${api}/releases{/id}`,
    stargazers_url: `${api}/stargazers`,
    statuses_url: `${api}/statuses/{sha}`,
    subscribers_url: `${api}/subscribers`,
    subscription_url: `${api}/subscription`,
    tags_url: `${api}/tags`,
    teams_url: `${api}/teams`,
    trees_url: `${api}/git/trees{/sha}`,
  };
}

export function renderFullRepository(
  ctx: RenderContext,
  permission: 'read' | 'write' | null,
) {
  const repo =
    findRepositoryById(ctx.state, repositoryOf(ctx).id) ?? ctx.state.repository;
  const minimal = renderMinimalRepository(ctx);
  const openAlerts = 0;
  return {
    ...minimal,
    git_url: `git://github.com/${repo.owner}/${repo.name}.git`,
    ssh_url: `git@github.com:${repo.owner}/${repo.name}.git`,
    clone_url: `${WEB}/${repo.owner}/${repo.name}.git`,
    svn_url: `${WEB}/${repo.owner}/${repo.name}`,
    mirror_url: null,
    homepage: 'https://titanic-prod.acme-corp.example',
    language: repo.language,
    forks_count: 0,
    forks: 0,
    stargazers_count: 4,
    watchers_count: 4,
    watchers: 4,
    size: 1843,
    default_branch: repo.defaultBranch,
    open_issues_count: openAlerts,
    open_issues: openAlerts,
    is_template: false,
    topics: repo.topics,
    has_issues: true,
    has_projects: false,
    has_wiki: false,
    has_pages: false,
    has_downloads: true,
    has_discussions: false,
    archived: false,
    disabled: false,
    visibility: repo.private ? 'private' : 'public',
    pushed_at: repo.pushedAt,
    created_at: repo.createdAt,
    updated_at: repo.updatedAt,
    permissions: {
      admin: false,
      maintain: false,
      push: permission === 'write',
      triage: permission === 'write',
      pull: true,
    },
    allow_rebase_merge: true,
    allow_squash_merge: true,
    allow_merge_commit: true,
    allow_auto_merge: false,
    delete_branch_on_merge: true,
    allow_update_branch: false,
    allow_forking: false,
    web_commit_signoff_required: false,
    license: null,
    organization: renderUserByLogin(ctx, repo.owner),
    network_count: 0,
    subscribers_count: 3,
    security_and_analysis: null,
  };
}

export function renderSimpleCommit(ctx: RenderContext, commit: CommitRecord) {
  const author = findUser(ctx, commit.authorLogin);
  const person = { name: author.name, email: author.email };
  return {
    id: commit.sha,
    tree_id: commit.treeSha,
    message: commit.message,
    timestamp: commit.date,
    author: person,
    committer: { name: 'GitHub', email: 'noreply@github.com' },
  };
}

export function commitBySha(
  ctx: RenderContext,
  sha: string,
): CommitRecord | undefined {
  return recordsOf(ctx.state, repositoryOf(ctx).id).commits.find(
    c => c.sha === sha,
  );
}

/** A commit as GitHub's REST API describes it, whichever store it came from. */
export interface CommitView {
  sha: string;
  treeSha: string;
  parents: readonly string[];
  message: string;
  author: { name: string; email: string; date: string };
  committer: { name: string; email: string; date: string };
  /** The GitHub accounts of author and committer; null when no account has their email. */
  authorUser: UserRecord | null;
  committerUser: UserRecord | null;
  /** When GitHub verified the commit's signature; null for an unsigned commit. */
  verifiedAt: string | null;
}

const WEB_FLOW: UserRecord = {
  id: 19864447,
  login: 'web-flow',
  type: 'User',
  name: 'GitHub',
  email: 'noreply@github.com',
  siteAdmin: false,
};

/** GitHub's `commit` of the commits routes and compare, without stats and files. */
export function renderCommitView(ctx: RenderContext, commit: CommitView) {
  const api = repoApi(ctx);
  return {
    sha: commit.sha,
    node_id: nodeId('C', commit.sha),
    commit: {
      author: commit.author,
      committer: commit.committer,
      message: commit.message,
      tree: { sha: commit.treeSha, url: `${api}/git/trees/${commit.treeSha}` },
      url: `${api}/git/commits/${commit.sha}`,
      comment_count: 0,
      verification: commit.verifiedAt
        ? {
            verified: true,
            reason: 'valid',
            signature: null,
            payload: null,
            verified_at: commit.verifiedAt,
          }
        : {
            verified: false,
            reason: 'unsigned',
            signature: null,
            payload: null,
            verified_at: null,
          },
    },
    url: `${api}/commits/${commit.sha}`,
    html_url: `${repoWeb(ctx)}/commit/${commit.sha}`,
    comments_url: `${api}/commits/${commit.sha}/comments`,
    author: commit.authorUser ? renderUser(ctx, commit.authorUser) : null,
    committer: commit.committerUser
      ? renderUser(ctx, commit.committerUser)
      : null,
    parents: commit.parents.map(sha => ({
      sha,
      url: `${api}/commits/${sha}`,
      html_url: `${repoWeb(ctx)}/commit/${sha}`,
    })),
  };
}

/** A recorded commit: made on GitHub's web (committed and signed by web-flow) by its author. */
export function renderCommit(
  ctx: RenderContext,
  commit: CommitRecord,
  detailed: boolean,
) {
  const api = repoApi(ctx);
  const author = findUser(ctx, commit.authorLogin);
  const rendered: Record<string, unknown> = renderCommitView(ctx, {
    sha: commit.sha,
    treeSha: commit.treeSha,
    parents: commit.parents,
    message: commit.message,
    author: { name: author.name, email: author.email, date: commit.date },
    committer: {
      name: WEB_FLOW.name,
      email: WEB_FLOW.email,
      date: commit.date,
    },
    authorUser: author,
    committerUser: WEB_FLOW,
    verifiedAt: commit.date,
  });
  if (detailed) {
    rendered.stats = { total: 42, additions: 31, deletions: 11 };
    rendered.files = [
      {
        sha: createHash('sha1').update(`blob ${commit.sha}`).digest('hex'),
        filename: 'src/app.ts',
        status: 'modified',
        additions: 31,
        deletions: 11,
        changes: 42,
        blob_url: `${repoWeb(ctx)}/blob/${commit.sha}/src/app.ts`,
        raw_url: `${repoWeb(ctx)}/raw/${commit.sha}/src/app.ts`,
        contents_url: `${api}/contents/src/app.ts?ref=${commit.sha}`,
      },
    ];
  }
  return rendered;
}
