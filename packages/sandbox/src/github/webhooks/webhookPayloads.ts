import {
  AlertRecord,
  ApprovalRecord,
  DeploymentRecord,
  DeploymentStatusRecord,
  HookRecord,
  JobRecord,
  RunRecord,
} from '../../world/records';
import { findRepositoryById, recordsOf } from '../../world/repositoryIndex';
import { CommitInfo } from '../hosting/bareRepository';
import { RepositoryStore } from '../hosting/repositoryStore';
import {
  renderJob,
  renderRun,
  renderWorkflow,
} from '../representations/actionsRepresentations';
import { renderAlert } from '../representations/codeScanningRepresentations';
import {
  renderDeployment,
  renderDeploymentStatus,
} from '../representations/deploymentRepresentations';
import {
  hostedRepositoryScope,
  renderHostedRepository,
} from '../representations/hostingRepresentations';
import { renderTeamOrganization } from '../representations/organizationRepresentations';
import {
  RenderContext,
  worldRepositoryScope,
} from '../representations/renderContext';
import {
  findUser,
  renderFullRepository,
  renderUserByLogin,
} from '../representations/repositoryRepresentations';
import { WebhookEvent } from './webhookSender';
import { inWebhookShape } from './webhookSchemas';

/*
 * GitHub's webhook payloads, built from the same records and REST representations the API
 * answers with (a run in workflow_run is the run GET /actions/runs/{id} returns at that moment),
 * each with the repository, its organisation and the sender, in the shape of its schema.
 */

type Json = Record<string, unknown>;

/** Where payloads are rendered: the world at one instant, and the repositories created through the API. */
export interface PayloadContext {
  state: RenderContext['state'];
  apiUrl: string;
  now: number;
  repositories: RepositoryStore;
}

/** A render context for the repository `repositoryId`, with its full representation. */
export function repositoryContext(
  base: PayloadContext,
  repositoryId: number,
): { ctx: RenderContext; repository: Json; owner: string } | undefined {
  const ctx: RenderContext = {
    state: base.state,
    apiUrl: base.apiUrl,
    now: base.now,
  };
  const held = findRepositoryById(base.state, repositoryId);
  if (held) {
    ctx.repository = worldRepositoryScope(ctx, held);
    return {
      ctx,
      repository: renderFullRepository(ctx, null),
      owner: held.owner,
    };
  }
  const hosted = base.repositories
    .list()
    .find(record => record.id === repositoryId);
  if (!hosted) return undefined;
  ctx.repository = hostedRepositoryScope(ctx, hosted);
  return {
    ctx,
    repository: renderHostedRepository(ctx, hosted, null),
    owner: hosted.owner,
  };
}

type Scoped = NonNullable<ReturnType<typeof repositoryContext>>;

/** GitHub itself, the sender of what code scanning does on its own (an alert created or fixed). */
const GITHUB_ITSELF = {
  login: 'github',
  id: 9919,
  node_id: 'MDEyOk9yZ2FuaXphdGlvbjk5MTk=',
  name: 'GitHub',
  avatar_url: 'https://avatars.githubusercontent.com/u/9919?v=4',
  gravatar_id: '',
  url: 'https://api.github.com/users/github',
  html_url: 'https://github.com/github',
  followers_url: 'https://api.github.com/users/github/followers',
  following_url: 'https://api.github.com/users/github/following{/other_user}',
  gists_url: 'https://api.github.com/users/github/gists{/gist_id}',
  starred_url: 'https://api.github.com/users/github/starred{/owner}{/repo}',
  subscriptions_url: 'https://api.github.com/users/github/subscriptions',
  organizations_url: 'https://api.github.com/users/github/orgs',
  repos_url: 'https://api.github.com/users/github/repos',
  events_url: 'https://api.github.com/users/github/events{/privacy}',
  received_events_url: 'https://api.github.com/users/github/received_events',
  type: 'Organization',
  site_admin: false,
};

function event(
  scoped: Scoped,
  name: string,
  sender: string | Json,
  fields: Json,
): WebhookEvent {
  const { ctx, owner } = scoped;
  const isOrganization = findUser(ctx, owner).type === 'Organization';
  const organization = isOrganization
    ? { organization: renderTeamOrganization(ctx, owner) }
    : {};
  const payload = inWebhookShape(name, {
    ...fields,
    // Webhooks name a repository's organisation by its login.
    repository: {
      ...scoped.repository,
      organization: isOrganization ? owner : undefined,
      custom_properties: {},
    },
    ...organization,
    sender:
      typeof sender === 'string' ? renderUserByLogin(ctx, sender) : sender,
  });
  return {
    name,
    repositoryId: ctx.repository!.id,
    organization: owner,
    payload,
  };
}

function workflowOf(scoped: Scoped, run: RunRecord) {
  const workflow = recordsOf(scoped.ctx.state, run.repositoryId).workflows.find(
    w => w.id === run.workflowId,
  );
  return workflow ? renderWorkflow(scoped.ctx, workflow) : null;
}

export function workflowRunEvent(
  scoped: Scoped,
  action: 'requested' | 'in_progress' | 'completed',
  run: RunRecord,
): WebhookEvent {
  return event(scoped, 'workflow_run', run.triggeringActorLogin, {
    action,
    workflow: workflowOf(scoped, run),
    workflow_run: renderRun(scoped.ctx, run),
  });
}

export function workflowJobEvent(
  scoped: Scoped,
  action: 'queued' | 'in_progress' | 'waiting' | 'completed',
  run: RunRecord,
  job: JobRecord,
): WebhookEvent {
  const rendered = renderJob(scoped.ctx, job);
  return event(scoped, 'workflow_job', run.triggeringActorLogin, {
    action,
    workflow_job: {
      ...rendered,
      // Webhooks name the job's check run and its runner labels as the REST job does, and
      // report a waiting job as waiting; a queued one has no step yet.
      status: action,
      // The steps so far: a queued or waiting job has none, a running one those that started.
      steps:
        action === 'queued' || action === 'waiting'
          ? []
          : rendered.steps.filter(step => step.started_at !== null),
    },
  });
}

/**
 * The run a deployment belongs to, as deployment webhooks carry it: a run waiting for a review
 * is in progress there (their schema knows no waiting run).
 */
function deploymentRun(scoped: Scoped, run: RunRecord) {
  const rendered = renderRun(scoped.ctx, run);
  return rendered.status === 'waiting'
    ? { ...rendered, status: 'in_progress' }
    : rendered;
}

function runOf(scoped: Scoped, id: number | null): RunRecord | undefined {
  if (id === null) return undefined;
  return recordsOf(scoped.ctx.state, scoped.ctx.repository!.id).runs.find(
    run => run.id === id,
  );
}

export function deploymentEvent(
  scoped: Scoped,
  deployment: DeploymentRecord,
): WebhookEvent {
  const run = runOf(scoped, deployment.runId);
  return event(scoped, 'deployment', deployment.creatorLogin, {
    action: 'created',
    deployment: renderDeployment(scoped.ctx, deployment),
    workflow: run ? workflowOf(scoped, run) : null,
    workflow_run: run ? deploymentRun(scoped, run) : null,
  });
}

export function deploymentStatusEvent(
  scoped: Scoped,
  deployment: DeploymentRecord,
  status: DeploymentStatusRecord,
): WebhookEvent {
  const run = runOf(scoped, deployment.runId);
  return event(scoped, 'deployment_status', status.creatorLogin, {
    action: 'created',
    deployment_status: renderDeploymentStatus(scoped.ctx, deployment, status),
    deployment: renderDeployment(scoped.ctx, deployment),
    ...(run
      ? {
          workflow: workflowOf(scoped, run),
          workflow_run: deploymentRun(scoped, run),
        }
      : {}),
  });
}

export function deploymentReviewEvent(
  scoped: Scoped,
  approval: ApprovalRecord,
  run: RunRecord,
  jobs: readonly JobRecord[],
): WebhookEvent {
  const reviewed = jobs.filter(
    job =>
      job.environment && approval.environmentNames.includes(job.environment),
  );
  const jobRuns = reviewed.map(job => {
    const rendered = renderJob(scoped.ctx, job);
    return {
      id: job.id,
      name: job.name,
      status: rendered.status,
      conclusion: rendered.conclusion,
      html_url: rendered.html_url,
      created_at: job.createdAt,
      updated_at: job.completedAt ?? job.startedAt ?? job.createdAt,
      environment: job.environment!,
    };
  });
  return event(scoped, 'deployment_review', approval.userLogin, {
    action: approval.state,
    workflow_run: renderRun(scoped.ctx, run),
    since: approval.createdAt,
    ...(jobRuns.length > 0
      ? { workflow_job_run: jobRuns[0], workflow_job_runs: jobRuns }
      : {}),
    approver: renderUserByLogin(scoped.ctx, approval.userLogin),
    comment: approval.comment,
  });
}

/**
 * What GitHub sends a GitHub App whose custom deployment protection rule gates an environment a
 * job waits for: where to answer (deployment_callback_url) and the deployment it would make.
 */
export function deploymentProtectionRuleEvent(
  scoped: Scoped,
  request: {
    environment: string;
    run: RunRecord;
    deployment: DeploymentRecord;
    installation: { id: number; nodeId: string };
  },
): WebhookEvent {
  const { ctx } = scoped;
  return event(
    scoped,
    'deployment_protection_rule',
    request.run.triggeringActorLogin,
    {
      action: 'requested',
      environment: request.environment,
      event: request.run.event,
      deployment_callback_url: `${ctx.repository!.api}/actions/runs/${
        request.run.id
      }/deployment_protection_rule`,
      deployment: renderDeployment(ctx, request.deployment),
      installation: {
        id: request.installation.id,
        node_id: request.installation.nodeId,
      },
    },
  );
}

export type AlertAction = 'created' | 'fixed' | 'reopened' | 'closed_by_user';

/** An alert's change; GitHub sends those code scanning makes itself, people those they make. */
export function codeScanningAlertEvent(
  scoped: Scoped,
  action: AlertAction,
  alert: AlertRecord,
): WebhookEvent {
  const sender =
    action === 'closed_by_user' && alert.dismissed
      ? alert.dismissed.byLogin
      : GITHUB_ITSELF;
  const rendered = renderAlert(scoped.ctx, alert, null, false) as Json & {
    most_recent_instance: { ref: string; commit_sha: string };
    rule: Json;
  };
  return event(scoped, 'code_scanning_alert', sender, {
    action,
    alert: {
      ...rendered,
      instances: [rendered.most_recent_instance],
      // Webhooks carry a rule without its tags and help.
      rule: { ...rendered.rule, tags: null, help: null },
    },
    ref: rendered.most_recent_instance.ref,
    commit_oid: rendered.most_recent_instance.commit_sha,
  });
}

export function pushEvent(
  scoped: Scoped,
  push: {
    branch: string;
    before: string | null;
    after: string | null;
    pusher: string;
  },
  commits: readonly CommitInfo[],
): WebhookEvent {
  const zero = '0'.repeat(40);
  const web = scoped.ctx.repository!.web;
  const pusher = findUser(scoped.ctx, push.pusher);
  const commit = (info: CommitInfo) => ({
    id: info.sha,
    tree_id: info.treeSha,
    distinct: true,
    message: info.message,
    timestamp: info.committerDate,
    url: `${web}/commit/${info.sha}`,
    author: { name: info.authorName, email: info.authorEmail },
    committer: { name: info.committerName, email: info.committerEmail },
    added: [],
    removed: [],
    modified: [],
  });
  const head = commits.find(info => info.sha === push.after);
  return event(scoped, 'push', push.pusher, {
    ref: `refs/heads/${push.branch}`,
    before: push.before ?? zero,
    after: push.after ?? zero,
    created: push.before === null,
    deleted: push.after === null,
    forced: false,
    base_ref: null,
    compare: `${web}/compare/${(push.before ?? zero).slice(0, 12)}...${(
      push.after ?? zero
    ).slice(0, 12)}`,
    commits: commits.map(commit),
    head_commit: head ? commit(head) : null,
    pusher: { name: pusher.login, email: pusher.email || null },
  });
}

/** The hook as GET …/hooks/{id} answers it. */
export function renderHook(hook: HookRecord, base: string) {
  const url = `${base}/hooks/${hook.id}`;
  return {
    type: 'repositoryId' in hook.scope ? 'Repository' : 'Organization',
    id: hook.id,
    name: 'web',
    active: hook.active,
    events: hook.events,
    config: {
      content_type: hook.contentType,
      insecure_ssl: hook.insecureSsl,
      url: hook.url,
      ...(hook.secret ? { secret: '********' } : {}),
    },
    updated_at: hook.updatedAt,
    created_at: hook.createdAt,
    url,
    ...('repositoryId' in hook.scope ? { test_url: `${url}/test` } : {}),
    ping_url: `${url}/pings`,
    deliveries_url: `${url}/deliveries`,
    ...('repositoryId' in hook.scope
      ? { last_response: hook.lastResponse }
      : {}),
  };
}

/** The ping GitHub sends when a hook is created, and on POST …/pings. */
export function pingEvent(
  scoped: Scoped | undefined,
  organization: { ctx: RenderContext; login: string } | undefined,
  hook: HookRecord,
  rendered: Json,
  senderLogin: string,
): WebhookEvent {
  const fields = {
    zen: 'Design for failure.',
    hook_id: hook.id,
    // A ping names the hook's last answer by its status alone.
    hook:
      'last_response' in rendered
        ? {
            ...rendered,
            last_response: {
              code: null,
              status: hook.lastResponse.status,
              message: null,
            },
          }
        : rendered,
  };
  if (scoped) return event(scoped, 'ping', senderLogin, fields);
  const { ctx, login } = organization!;
  return {
    name: 'ping',
    repositoryId: null,
    organization: login,
    payload: inWebhookShape('ping', {
      ...fields,
      organization: renderTeamOrganization(ctx, login),
      sender: renderUserByLogin(ctx, senderLogin),
    }),
  };
}
