import { createHash } from 'node:crypto';
import { projectJob } from '../world/jobProjection';
import {
  AlertRecord,
  AnnotationRecord,
  ArtifactRecord,
  CommitRecord,
  DeploymentRecord,
  DeploymentStatusRecord,
  EnvironmentRecord,
  JobRecord,
  RunRecord,
  TeamRecord,
  UserRecord,
  WorldState,
} from '../world/records';

/*
 * World records rendered as GitHub REST API JSON (api.github.com, version 2022-11-28).
 * API URLs point at the sandbox's own base URL so clients that follow them stay local;
 * html_url fields point at github.com as they would for the real repository.
 */

export interface RenderContext {
  state: WorldState;
  apiUrl: string;
  now: number;
}

const WEB = 'https://github.com';

export function nodeId(prefix: string, id: number | string): string {
  return `${prefix}_${Buffer.from(`${prefix}:${id}`)
    .toString('base64')
    .replace(/=+$/, '')}`;
}

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

export function renderTeam(ctx: RenderContext, team: TeamRecord) {
  const org = ctx.state.repository.owner;
  return {
    id: team.id,
    node_id: nodeId('T', team.id),
    url: `${ctx.apiUrl}/organizations/98765432/team/${team.id}`,
    html_url: `${WEB}/orgs/${org}/teams/${team.slug}`,
    name: team.name,
    slug: team.slug,
    description: team.description,
    privacy: 'closed',
    notification_setting: 'notifications_enabled',
    permission: 'push',
    members_url: `${ctx.apiUrl}/organizations/98765432/team/${team.id}/members{/member}`,
    repositories_url: `${ctx.apiUrl}/organizations/98765432/team/${team.id}/repos`,
    parent: null,
    type: 'organization',
    organization_id: 98765432,
  };
}

function repoApi(ctx: RenderContext): string {
  const repo = ctx.state.repository;
  return `${ctx.apiUrl}/repos/${repo.owner}/${repo.name}`;
}

function repoWeb(ctx: RenderContext): string {
  const repo = ctx.state.repository;
  return `${WEB}/${repo.owner}/${repo.name}`;
}

export function renderMinimalRepository(ctx: RenderContext) {
  return renderMinimalRepositoryOf(
    ctx,
    ctx.state.repository,
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
  const repo = ctx.state.repository;
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
  return ctx.state.commits.find(c => c.sha === sha);
}

export function renderCommit(
  ctx: RenderContext,
  commit: CommitRecord,
  detailed: boolean,
) {
  const api = repoApi(ctx);
  const author = findUser(ctx, commit.authorLogin);
  const person = { name: author.name, email: author.email, date: commit.date };
  const rendered: Record<string, unknown> = {
    sha: commit.sha,
    node_id: nodeId('C', commit.sha),
    commit: {
      author: person,
      committer: {
        name: 'GitHub',
        email: 'noreply@github.com',
        date: commit.date,
      },
      message: commit.message,
      tree: { sha: commit.treeSha, url: `${api}/git/trees/${commit.treeSha}` },
      url: `${api}/git/commits/${commit.sha}`,
      comment_count: 0,
      verification: {
        verified: true,
        reason: 'valid',
        signature: null,
        payload: null,
        verified_at: commit.date,
      },
    },
    url: `${api}/commits/${commit.sha}`,
    html_url: `${repoWeb(ctx)}/commit/${commit.sha}`,
    comments_url: `${api}/commits/${commit.sha}/comments`,
    author: renderUser(ctx, author),
    committer: renderUser(ctx, {
      id: 19864447,
      login: 'web-flow',
      type: 'User',
      name: 'GitHub',
      email: 'noreply@github.com',
      siteAdmin: false,
    }),
    parents: commit.parents.map(sha => ({
      sha,
      url: `${api}/commits/${sha}`,
      html_url: `${repoWeb(ctx)}/commit/${sha}`,
    })),
  };
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

/** The jobs of a run's latest attempt (jobs kept from earlier attempts included), projected to now. */
export function latestAttemptJobs(
  ctx: RenderContext,
  run: RunRecord,
): JobRecord[] {
  const byName = new Map<string, JobRecord>();
  for (const job of ctx.state.jobs) {
    if (job.runId !== run.id) continue;
    const existing = byName.get(job.name);
    if (!existing || job.runAttempt >= existing.runAttempt)
      byName.set(job.name, job);
  }
  return [...byName.values()]
    .sort((a, b) => a.id - b.id)
    .map(job => projectJob(job, ctx.now));
}

/** The run's status and conclusion at `now`, from its latest attempt's jobs. */
export function projectRun(
  ctx: RenderContext,
  run: RunRecord,
): Pick<RunRecord, 'status' | 'conclusion' | 'updatedAt'> {
  const jobs = latestAttemptJobs(ctx, run);
  if (jobs.some(job => job.status === 'waiting')) {
    return { status: 'waiting', conclusion: null, updatedAt: run.updatedAt };
  }
  const unfinished = jobs.filter(job => job.status !== 'completed');
  if (unfinished.length > 0) {
    const started = jobs.some(
      job => job.status === 'in_progress' || job.status === 'completed',
    );
    return {
      status: started ? 'in_progress' : 'queued',
      conclusion: null,
      updatedAt: new Date(Math.min(ctx.now, Date.parse(run.updatedAt)))
        .toISOString()
        .replace(/\.\d{3}Z$/, 'Z'),
    };
  }
  return {
    status: run.status === 'waiting' ? 'completed' : run.status,
    conclusion: run.conclusion,
    updatedAt: run.updatedAt,
  };
}

const REUSABLE_WORKFLOWS = [
  'reusable-gitleaks.yml',
  'reusable-checkov.yml',
  'reusable-sonarcloud.yml',
  'reusable-trivy.yml',
];

export function renderRun(ctx: RenderContext, run: RunRecord) {
  const api = repoApi(ctx);
  const repo = ctx.state.repository;
  const workflow = ctx.state.workflows.find(w => w.id === run.workflowId)!;
  const commit = commitBySha(ctx, run.headSha)!;
  const projected = projectRun(ctx, run);
  const runApi = `${api}/actions/runs/${run.id}`;
  return {
    id: run.id,
    name: run.name,
    node_id: nodeId('WFR', run.id),
    head_branch: run.branch,
    head_sha: run.headSha,
    path: workflow.path,
    display_title: run.displayTitle,
    run_number: run.runNumber,
    event: run.event,
    status: projected.status,
    conclusion: projected.conclusion,
    workflow_id: run.workflowId,
    check_suite_id: run.checkSuiteId,
    check_suite_node_id: nodeId('CS', run.checkSuiteId),
    url: runApi,
    html_url: `${repoWeb(ctx)}/actions/runs/${run.id}`,
    pull_requests: run.pullRequestNumber
      ? [
          {
            id: 2_300_000_000 + run.pullRequestNumber,
            number: run.pullRequestNumber,
            url: `${api}/pulls/${run.pullRequestNumber}`,
            head: {
              ref: run.branch,
              sha: run.headSha,
              repo: { id: repo.id, url: api, name: repo.name },
            },
            base: {
              ref: repo.defaultBranch,
              sha: ctx.state.commits[0].sha,
              repo: { id: repo.id, url: api, name: repo.name },
            },
          },
        ]
      : [],
    created_at: run.createdAt,
    updated_at: projected.updatedAt,
    actor: renderUserByLogin(ctx, run.actorLogin),
    run_attempt: run.runAttempt,
    referenced_workflows: REUSABLE_WORKFLOWS.map(file => ({
      path: `${repo.owner}/${repo.name}/.github/workflows/${file}@${run.headSha}`,
      sha: run.headSha,
      ref: `refs/heads/${run.branch}`,
    })),
    run_started_at: run.runStartedAt,
    triggering_actor: renderUserByLogin(ctx, run.triggeringActorLogin),
    jobs_url: `${runApi}/jobs`,
    logs_url: `${runApi}/logs`,
    check_suite_url: `${api}/check-suites/${run.checkSuiteId}`,
    artifacts_url: `${runApi}/artifacts`,
    cancel_url: `${runApi}/cancel`,
    rerun_url: `${runApi}/rerun`,
    previous_attempt_url:
      run.runAttempt > 1 ? `${runApi}/attempts/${run.runAttempt - 1}` : null,
    workflow_url: `${api}/actions/workflows/${run.workflowId}`,
    head_commit: renderSimpleCommit(ctx, commit),
    repository: renderMinimalRepository(ctx),
    head_repository: renderMinimalRepository(ctx),
  };
}

export function renderJob(ctx: RenderContext, job: JobRecord) {
  const api = repoApi(ctx);
  const run = ctx.state.runs.find(r => r.id === job.runId)!;
  return {
    id: job.id,
    run_id: job.runId,
    workflow_name: run.name,
    head_branch: run.branch,
    run_url: `${api}/actions/runs/${job.runId}`,
    run_attempt: job.runAttempt,
    node_id: nodeId('CR', job.id),
    head_sha: run.headSha,
    url: `${api}/actions/jobs/${job.id}`,
    html_url: `${repoWeb(ctx)}/actions/runs/${job.runId}/job/${job.id}`,
    status: job.status,
    conclusion: job.conclusion,
    created_at: job.createdAt,
    started_at: job.startedAt,
    completed_at: job.completedAt,
    name: job.name,
    steps: job.steps.map(step => ({
      name: step.name,
      status: step.status,
      conclusion: step.conclusion,
      number: step.number,
      started_at: step.startedAt,
      completed_at: step.completedAt,
    })),
    check_run_url: `${api}/check-runs/${job.id}`,
    labels: ['ubuntu-latest'],
    runner_id: job.runnerId,
    runner_name: job.runnerName,
    runner_group_id: job.runnerId === null ? null : 0,
    runner_group_name: job.runnerId === null ? null : 'GitHub Actions',
  };
}

const GITHUB_ACTIONS_APP = {
  id: 15368,
  slug: 'github-actions',
  node_id: 'MDM6QXBwMTUzNjg=',
  name: 'GitHub Actions',
  description: 'Automate your workflow from idea to production',
  external_url: 'https://help.github.com/en/actions',
  html_url: 'https://github.com/apps/github-actions',
  created_at: '2018-07-30T09:30:17Z',
  updated_at: '2024-04-10T20:33:16Z',
  permissions: {
    actions: 'write',
    checks: 'write',
    contents: 'write',
    deployments: 'write',
    metadata: 'read',
    security_events: 'write',
    statuses: 'write',
  },
  events: [
    'check_run',
    'check_suite',
    'deployment',
    'deployment_status',
    'push',
    'workflow_dispatch',
    'workflow_run',
  ],
};

export function renderCheckRun(ctx: RenderContext, job: JobRecord) {
  const api = repoApi(ctx);
  const run = ctx.state.runs.find(r => r.id === job.runId)!;
  const deployment = job.environment
    ? ctx.state.deployments.find(
        d => d.runId === run.id && d.environment === job.environment,
      )
    : undefined;
  return {
    id: job.id,
    name: job.name,
    node_id: nodeId('CR', job.id),
    head_sha: run.headSha,
    external_id: createHash('md5')
      .update(`job ${job.id}`)
      .digest('hex')
      .replace(/^(.{8})(.{4})(.{4})(.{4})(.{12})$/, '$1-$2-$3-$4-$5'),
    url: `${api}/check-runs/${job.id}`,
    html_url: `${repoWeb(ctx)}/actions/runs/${job.runId}/job/${job.id}`,
    details_url: `${repoWeb(ctx)}/actions/runs/${job.runId}/job/${job.id}`,
    status:
      job.status === 'completed' ||
      job.status === 'in_progress' ||
      job.status === 'queued'
        ? job.status
        : 'waiting',
    conclusion: job.conclusion,
    started_at: job.startedAt,
    completed_at: job.completedAt,
    output: {
      title: null,
      summary: null,
      text: null,
      annotations_count: job.annotations.length,
      annotations_url: `${api}/check-runs/${job.id}/annotations`,
    },
    check_suite: { id: run.checkSuiteId },
    app: { ...GITHUB_ACTIONS_APP, owner: renderUserByLogin(ctx, 'github') },
    pull_requests: [],
    ...(deployment
      ? { deployment: renderDeploymentSimple(ctx, deployment) }
      : {}),
  };
}

export function renderAnnotation(
  ctx: RenderContext,
  job: JobRecord,
  annotation: AnnotationRecord,
) {
  const run = ctx.state.runs.find(r => r.id === job.runId)!;
  return {
    path: annotation.path,
    blob_href: `${repoWeb(ctx)}/blob/${run.headSha}/${annotation.path}`,
    start_line: annotation.startLine,
    end_line: annotation.endLine,
    start_column: annotation.startColumn,
    end_column: annotation.endColumn,
    annotation_level: annotation.level,
    title: annotation.title,
    message: annotation.message,
    raw_details: annotation.rawDetails,
  };
}

export function renderArtifact(ctx: RenderContext, artifact: ArtifactRecord) {
  const api = repoApi(ctx);
  const run = ctx.state.runs.find(r => r.id === artifact.runId)!;
  return {
    id: artifact.id,
    node_id: nodeId('MDg6QXJ0aWZhY3Q', artifact.id),
    name: artifact.name,
    size_in_bytes: artifact.sizeInBytes,
    url: `${api}/actions/artifacts/${artifact.id}`,
    archive_download_url: `${api}/actions/artifacts/${artifact.id}/zip`,
    expired: Date.parse(artifact.expiresAt) <= ctx.now,
    created_at: artifact.createdAt,
    updated_at: artifact.createdAt,
    expires_at: artifact.expiresAt,
    digest: artifact.digest,
    workflow_run: {
      id: run.id,
      repository_id: ctx.state.repository.id,
      head_repository_id: ctx.state.repository.id,
      head_branch: run.branch,
      head_sha: run.headSha,
    },
  };
}

export function renderEnvironmentSummary(
  ctx: RenderContext,
  environment: EnvironmentRecord,
) {
  return {
    id: environment.id,
    node_id: nodeId('EN', environment.id),
    name: environment.name,
    url: `${repoApi(ctx)}/environments/${environment.name}`,
    html_url: `${repoWeb(ctx)}/deployments/activity_log?environments_filter=${
      environment.name
    }`,
  };
}

export function renderReviewer(
  ctx: RenderContext,
  reviewer: EnvironmentRecord['reviewers'][number],
) {
  if (reviewer.type === 'Team') {
    const team = ctx.state.teams.find(t => t.slug === reviewer.name)!;
    return { type: 'Team' as const, reviewer: renderTeam(ctx, team) };
  }
  return {
    type: 'User' as const,
    reviewer: renderUserByLogin(ctx, reviewer.name),
  };
}

export function renderEnvironment(
  ctx: RenderContext,
  environment: EnvironmentRecord,
) {
  const rules: Array<Record<string, unknown>> = [];
  if (environment.reviewers.length > 0) {
    rules.push({
      id: environment.id * 10 + 1,
      node_id: nodeId('GA', environment.id * 10 + 1),
      prevent_self_review: environment.preventSelfReview,
      type: 'required_reviewers',
      reviewers: environment.reviewers.map(reviewer =>
        renderReviewer(ctx, reviewer),
      ),
    });
  }
  if (environment.waitTimer > 0) {
    rules.push({
      id: environment.id * 10 + 2,
      node_id: nodeId('GA', environment.id * 10 + 2),
      type: 'wait_timer',
      wait_timer: environment.waitTimer,
    });
  }
  if (environment.protectedBranchesOnly) {
    rules.push({
      id: environment.id * 10 + 3,
      node_id: nodeId('GA', environment.id * 10 + 3),
      type: 'branch_policy',
    });
  }
  return {
    ...renderEnvironmentSummary(ctx, environment),
    created_at: environment.createdAt,
    updated_at: environment.updatedAt,
    protection_rules: rules,
    deployment_branch_policy: environment.protectedBranchesOnly
      ? { protected_branches: true, custom_branch_policies: false }
      : null,
  };
}

function deploymentUrls(ctx: RenderContext, deployment: DeploymentRecord) {
  const api = repoApi(ctx);
  return {
    url: `${api}/deployments/${deployment.id}`,
    statuses_url: `${api}/deployments/${deployment.id}/statuses`,
    repository_url: api,
  };
}

export function renderDeploymentSimple(
  ctx: RenderContext,
  deployment: DeploymentRecord,
) {
  return {
    ...deploymentUrls(ctx, deployment),
    id: deployment.id,
    node_id: nodeId('DE', deployment.id),
    task: deployment.task,
    original_environment: deployment.environment,
    environment: deployment.environment,
    description: deployment.description,
    created_at: deployment.createdAt,
    updated_at: deployment.updatedAt,
    transient_environment: false,
    production_environment: deployment.productionEnvironment,
    performed_via_github_app: null,
  };
}

export function renderDeployment(
  ctx: RenderContext,
  deployment: DeploymentRecord,
) {
  return {
    ...deploymentUrls(ctx, deployment),
    id: deployment.id,
    node_id: nodeId('DE', deployment.id),
    sha: deployment.sha,
    ref: deployment.ref,
    task: deployment.task,
    payload: deployment.payload,
    original_environment: deployment.environment,
    environment: deployment.environment,
    description: deployment.description,
    creator: renderUserByLogin(ctx, deployment.creatorLogin),
    created_at: deployment.createdAt,
    updated_at:
      visibleStatuses(ctx, deployment).at(-1)?.createdAt ??
      deployment.createdAt,
    transient_environment: false,
    production_environment: deployment.productionEnvironment,
    performed_via_github_app: null,
  };
}

/** Statuses that already happened (live deployments record their future progress up front). */
export function visibleStatuses(
  ctx: RenderContext,
  deployment: DeploymentRecord,
): DeploymentStatusRecord[] {
  return deployment.statuses.filter(
    status => Date.parse(status.createdAt) <= ctx.now,
  );
}

export function renderDeploymentStatus(
  ctx: RenderContext,
  deployment: DeploymentRecord,
  status: DeploymentStatusRecord,
) {
  const api = repoApi(ctx);
  return {
    url: `${api}/deployments/${deployment.id}/statuses/${status.id}`,
    id: status.id,
    node_id: nodeId('DES', status.id),
    // GitHub reports deployments awaiting review as `waiting`, a state its OpenAPI description
    // does not list; the sandbox answers `pending` so clients generated from the schema accept it.
    state: status.state === 'waiting' ? 'pending' : status.state,
    creator: renderUserByLogin(ctx, status.creatorLogin),
    description: status.description,
    environment: deployment.environment,
    target_url: status.logUrl,
    created_at: status.createdAt,
    updated_at: status.createdAt,
    deployment_url: `${api}/deployments/${deployment.id}`,
    repository_url: api,
    ...(status.environmentUrl
      ? { environment_url: status.environmentUrl }
      : {}),
    log_url: status.logUrl,
    performed_via_github_app: null,
  };
}

export type AlertState = 'open' | 'dismissed' | 'fixed';

/** The alert's instance on `ref` (or the default branch, else the most recent one). */
export function alertInstance(
  ctx: RenderContext,
  alert: AlertRecord,
  ref: string | null,
) {
  const defaultRef = `refs/heads/${ctx.state.repository.defaultBranch}`;
  if (ref) return alert.instances.find(i => i.ref === ref);
  return (
    alert.instances.find(i => i.ref === defaultRef) ??
    [...alert.instances]
      .sort((a, b) => a.updatedAt.localeCompare(b.updatedAt))
      .at(-1)
  );
}

export function alertState(
  ctx: RenderContext,
  alert: AlertRecord,
  ref: string | null,
): AlertState {
  if (alert.dismissed) return 'dismissed';
  const instance = alertInstance(ctx, alert, ref);
  return instance?.state === 'open' ? 'open' : 'fixed';
}

export function renderAlert(
  ctx: RenderContext,
  alert: AlertRecord,
  ref: string | null,
  detailed: boolean,
) {
  const api = repoApi(ctx);
  const instance = alertInstance(ctx, alert, ref)!;
  const state = alertState(ctx, alert, ref);
  const rule: Record<string, unknown> = {
    id: alert.rule.id,
    severity: alert.rule.severity,
    description: alert.rule.description,
    name: alert.rule.name,
    tags: alert.rule.tags,
    security_severity_level: alert.rule.securitySeverityLevel,
  };
  if (detailed) {
    rule.full_description = alert.rule.fullDescription;
    rule.help = alert.rule.help;
    rule.help_uri = alert.rule.helpUri;
  }
  return {
    number: alert.number,
    created_at: alert.createdAt,
    updated_at: alert.updatedAt,
    url: `${api}/code-scanning/alerts/${alert.number}`,
    html_url: `${repoWeb(ctx)}/security/code-scanning/${alert.number}`,
    instances_url: `${api}/code-scanning/alerts/${alert.number}/instances`,
    state,
    fixed_at: state === 'fixed' ? instance.fixedAt : null,
    dismissed_by: alert.dismissed
      ? renderUserByLogin(ctx, alert.dismissed.byLogin)
      : null,
    dismissed_at: alert.dismissed?.at ?? null,
    dismissed_reason: alert.dismissed?.reason ?? null,
    dismissed_comment: alert.dismissed?.comment ?? null,
    rule,
    tool: {
      name: alert.toolName,
      guid: alert.toolGuid,
      version: alert.toolVersion,
    },
    most_recent_instance: {
      ref: instance.ref,
      analysis_key: instance.analysisKey,
      environment: '{}',
      category: instance.category,
      state: alert.dismissed ? 'dismissed' : instance.state,
      commit_sha: instance.commitSha,
      message: { text: instance.message },
      location: {
        path: instance.location.path,
        start_line: instance.location.startLine,
        end_line: instance.location.endLine,
        start_column: instance.location.startColumn,
        end_column: instance.location.endColumn,
      },
      classifications: [],
    },
    assignees: [],
  };
}
