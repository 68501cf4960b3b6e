import { projectJob } from '../../world/jobProjection';
import {
  ArtifactRecord,
  JobRecord,
  RunRecord,
  WorkflowRecord,
} from '../../world/records';
import { findRunById, jobsOfRun, recordsOf } from '../../world/repositoryIndex';
import {
  RenderContext,
  nodeId,
  repoApi,
  repoWeb,
  repositoryOf,
} from './renderContext';
import {
  commitBySha,
  renderMinimalRepository,
  renderSimpleCommit,
  renderUserByLogin,
} from './repositoryRepresentations';

/* GitHub Actions: workflows, runs, jobs and artifacts (routes/actionsRoutes.ts). */

/** The jobs of a run's latest attempt (jobs kept from earlier attempts included), projected to now. */
export function latestAttemptJobs(
  ctx: RenderContext,
  run: RunRecord,
): JobRecord[] {
  const byName = new Map<string, JobRecord>();
  for (const job of jobsOfRun(ctx.state, run.id)) {
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

export function renderRun(ctx: RenderContext, run: RunRecord) {
  const api = repoApi(ctx);
  const repo = repositoryOf(ctx);
  const records = recordsOf(ctx.state, run.repositoryId);
  const workflow = records.workflows.find(w => w.id === run.workflowId)!;
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
              sha: records.commits[0].sha,
              repo: { id: repo.id, url: api, name: repo.name },
            },
          },
        ]
      : [],
    created_at: run.createdAt,
    updated_at: projected.updatedAt,
    actor: renderUserByLogin(ctx, run.actorLogin),
    run_attempt: run.runAttempt,
    referenced_workflows: run.referencedWorkflows.map(file => ({
      path: `${repo.owner}/${repo.name}/${file}@${run.headSha}`,
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
  const run = findRunById(ctx.state, job.runId)!;
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

export function renderArtifact(ctx: RenderContext, artifact: ArtifactRecord) {
  const api = repoApi(ctx);
  const run = findRunById(ctx.state, artifact.runId)!;
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
      repository_id: artifact.repositoryId,
      head_repository_id: artifact.repositoryId,
      head_branch: run.branch,
      head_sha: run.headSha,
    },
  };
}

export function renderWorkflow(ctx: RenderContext, workflow: WorkflowRecord) {
  const repo = repositoryOf(ctx);
  return {
    id: workflow.id,
    node_id: nodeId('W', workflow.id),
    name: workflow.name,
    path: workflow.path,
    state: 'active',
    created_at: workflow.createdAt,
    updated_at: workflow.updatedAt,
    url: `${repoApi(ctx)}/actions/workflows/${workflow.id}`,
    html_url: `${repoWeb(ctx)}/blob/${repo.defaultBranch}/${workflow.path}`,
    badge_url: `${repoWeb(ctx)}/workflows/${encodeURIComponent(
      workflow.name,
    )}/badge.svg`,
  };
}
