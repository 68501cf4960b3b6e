import { RunRecord } from '../../world/records';
import { GitHubError, validationFailed } from '../errors';
import {
  latestAttemptJobs,
  projectRun,
  renderArtifact,
  renderJob,
  renderRun,
  renderWorkflow,
} from '../representations/actionsRepresentations';
import {
  RequestContext,
  Route,
  integerParam,
  jsonBody,
  paginate,
  repositoryRecords,
  requireRepository,
} from '../routing';
import { projectJob } from '../../world/jobProjection';
import {
  findArtifactById,
  findJobById,
  findRunById,
  jobsOfRun,
} from '../../world/repositoryIndex';
import { zipArchive } from '../zipArchive';

export const DOCS = 'https://docs.github.com/rest/actions';
const RUN_STATUSES = [
  'completed',
  'action_required',
  'cancelled',
  'failure',
  'neutral',
  'skipped',
  'stale',
  'success',
  'timed_out',
  'in_progress',
  'queued',
  'requested',
  'waiting',
  'pending',
];

export function findRun(ctx: RequestContext): RunRecord {
  const repository = requireRepository(ctx);
  const id = integerParam(ctx, 'run_id');
  const run = findRunById(ctx.state, id);
  if (!run || run.repositoryId !== repository.id)
    throw new GitHubError(
      404,
      'Not Found',
      `${DOCS}/workflow-runs#get-a-workflow-run`,
    );
  return run;
}

function findJob(ctx: RequestContext) {
  const repository = requireRepository(ctx);
  const id = integerParam(ctx, 'job_id');
  const job = findJobById(ctx.state, id);
  if (!job || findRunById(ctx.state, job.runId)?.repositoryId !== repository.id)
    throw new GitHubError(
      404,
      'Not Found',
      `${DOCS}/workflow-jobs#get-a-job-for-a-workflow-run`,
    );
  return projectJob(job, ctx.now);
}

function listRuns(ctx: RequestContext, workflowId: number | null) {
  const branch = ctx.query.get('branch');
  const event = ctx.query.get('event');
  const status = ctx.query.get('status');
  const actor = ctx.query.get('actor');
  const headSha = ctx.query.get('head_sha');
  const excludePullRequests = ctx.query.get('exclude_pull_requests') === 'true';
  if (status && !RUN_STATUSES.includes(status)) {
    throw validationFailed(
      [{ resource: 'WorkflowRun', field: 'status', code: 'invalid' }],
      `${DOCS}/workflow-runs#list-workflow-runs-for-a-repository`,
    );
  }
  const runs = repositoryRecords(ctx)
    .runs.filter(run => Date.parse(run.createdAt) <= ctx.now)
    .filter(run => workflowId === null || run.workflowId === workflowId)
    .filter(run => !branch || run.branch === branch)
    .filter(run => !event || run.event === event)
    .filter(run => !actor || run.actorLogin === actor)
    .filter(run => !headSha || run.headSha === headSha)
    .filter(run => !excludePullRequests || run.pullRequestNumber === null)
    .filter(run => {
      if (!status) return true;
      const projected = projectRun(ctx, run);
      return projected.status === status || projected.conclusion === status;
    })
    .sort((a, b) => b.createdAt.localeCompare(a.createdAt) || b.id - a.id);
  const page = paginate(ctx, runs);
  return {
    body: {
      total_count: runs.length,
      workflow_runs: page.items.map(run => renderRun(ctx, run)),
    },
    headers: page.headers,
  };
}

function findWorkflow(ctx: RequestContext) {
  const key = ctx.params.workflow_id;
  const workflow = repositoryRecords(ctx).workflows.find(
    w => String(w.id) === key || w.path.endsWith(`/${key}`),
  );
  if (!workflow)
    throw new GitHubError(404, 'Not Found', `${DOCS}/workflows#get-a-workflow`);
  return workflow;
}

function findArtifact(ctx: RequestContext) {
  const repository = requireRepository(ctx);
  const artifact = findArtifactById(
    ctx.state,
    integerParam(ctx, 'artifact_id'),
  );
  return artifact?.repositoryId === repository.id ? artifact : undefined;
}

function logFileName(index: number, name: string): string {
  return `${index}_${name.replace(/[/\\:*?"<>|]/g, '_')}.txt`;
}

export const actionsRoutes: Route[] = [
  {
    method: 'GET',
    path: '/repos/{owner}/{repo}/actions/workflows',
    handler: ctx => {
      const { workflows } = repositoryRecords(ctx);
      const page = paginate(ctx, workflows);
      return {
        body: {
          total_count: workflows.length,
          workflows: page.items.map(w => renderWorkflow(ctx, w)),
        },
        headers: page.headers,
      };
    },
  },
  {
    method: 'GET',
    path: '/repos/{owner}/{repo}/actions/workflows/{workflow_id}',
    handler: ctx => ({ body: renderWorkflow(ctx, findWorkflow(ctx)) }),
  },
  {
    method: 'GET',
    path: '/repos/{owner}/{repo}/actions/workflows/{workflow_id}/runs',
    handler: ctx => listRuns(ctx, findWorkflow(ctx).id),
  },
  {
    method: 'GET',
    path: '/repos/{owner}/{repo}/actions/runs',
    handler: ctx => listRuns(ctx, null),
  },
  {
    method: 'GET',
    path: '/repos/{owner}/{repo}/actions/runs/{run_id}',
    handler: ctx => ({ body: renderRun(ctx, findRun(ctx)) }),
  },
  {
    method: 'GET',
    path: '/repos/{owner}/{repo}/actions/runs/{run_id}/jobs',
    handler: ctx => {
      const run = findRun(ctx);
      const filter = ctx.query.get('filter') ?? 'latest';
      if (filter !== 'latest' && filter !== 'all') {
        throw validationFailed(
          [{ resource: 'WorkflowJob', field: 'filter', code: 'invalid' }],
          `${DOCS}/workflow-jobs#list-jobs-for-a-workflow-run`,
        );
      }
      const jobs =
        filter === 'latest'
          ? latestAttemptJobs(ctx, run)
          : [...jobsOfRun(ctx.state, run.id)]
              .sort((a, b) => a.id - b.id)
              .map(job => projectJob(job, ctx.now));
      const page = paginate(ctx, jobs);
      return {
        body: {
          total_count: jobs.length,
          jobs: page.items.map(job => renderJob(ctx, job)),
        },
        headers: page.headers,
      };
    },
  },
  {
    method: 'GET',
    path: '/repos/{owner}/{repo}/actions/runs/{run_id}/attempts/{attempt_number}/jobs',
    handler: ctx => {
      const run = findRun(ctx);
      const attempt = integerParam(ctx, 'attempt_number');
      if (attempt < 1 || attempt > run.runAttempt)
        throw new GitHubError(404, 'Not Found');
      const jobs = jobsOfRun(ctx.state, run.id)
        .filter(job => job.runAttempt === attempt)
        .map(job => projectJob(job, ctx.now));
      const page = paginate(ctx, jobs);
      return {
        body: {
          total_count: jobs.length,
          jobs: page.items.map(job => renderJob(ctx, job)),
        },
        headers: page.headers,
      };
    },
  },
  {
    method: 'GET',
    path: '/repos/{owner}/{repo}/actions/jobs/{job_id}',
    handler: ctx => ({ body: renderJob(ctx, findJob(ctx)) }),
  },
  {
    method: 'GET',
    path: '/repos/{owner}/{repo}/actions/jobs/{job_id}/logs',
    handler: ctx => {
      const job = findJob(ctx);
      if (job.status !== 'completed' && job.status !== 'in_progress') {
        throw new GitHubError(
          404,
          'Not Found',
          `${DOCS}/workflow-jobs#download-job-logs-for-a-workflow-run`,
        );
      }
      return {
        status: 302,
        headers: {
          location: ctx.signDownload(`/_sandbox/downloads/job-logs/${job.id}`),
        },
      };
    },
  },
  {
    method: 'GET',
    path: '/repos/{owner}/{repo}/actions/runs/{run_id}/logs',
    handler: ctx => {
      const run = findRun(ctx);
      if (projectRun(ctx, run).status !== 'completed') {
        throw new GitHubError(
          404,
          'Not Found',
          `${DOCS}/workflow-runs#download-workflow-run-logs`,
        );
      }
      return {
        status: 302,
        headers: {
          location: ctx.signDownload(`/_sandbox/downloads/run-logs/${run.id}`),
        },
      };
    },
  },
  {
    method: 'GET',
    path: '/repos/{owner}/{repo}/actions/runs/{run_id}/artifacts',
    handler: ctx => {
      const run = findRun(ctx);
      const name = ctx.query.get('name');
      const artifacts = repositoryRecords(ctx)
        .artifacts.filter(
          a =>
            a.runId === run.id &&
            (!name || a.name === name) &&
            Date.parse(a.createdAt) <= ctx.now,
        )
        .sort((a, b) => b.id - a.id);
      const page = paginate(ctx, artifacts);
      return {
        body: {
          total_count: artifacts.length,
          artifacts: page.items.map(a => renderArtifact(ctx, a)),
        },
        headers: page.headers,
      };
    },
  },
  {
    method: 'GET',
    path: '/repos/{owner}/{repo}/actions/artifacts',
    handler: ctx => {
      const name = ctx.query.get('name');
      const artifacts = repositoryRecords(ctx)
        .artifacts.filter(
          a => (!name || a.name === name) && Date.parse(a.createdAt) <= ctx.now,
        )
        .sort((a, b) => b.id - a.id);
      const page = paginate(ctx, artifacts);
      return {
        body: {
          total_count: artifacts.length,
          artifacts: page.items.map(a => renderArtifact(ctx, a)),
        },
        headers: page.headers,
      };
    },
  },
  {
    method: 'GET',
    path: '/repos/{owner}/{repo}/actions/artifacts/{artifact_id}',
    handler: ctx => {
      const artifact = findArtifact(ctx);
      if (!artifact)
        throw new GitHubError(
          404,
          'Not Found',
          `${DOCS}/artifacts#get-an-artifact`,
        );
      return { body: renderArtifact(ctx, artifact) };
    },
  },
  {
    method: 'GET',
    path: '/repos/{owner}/{repo}/actions/artifacts/{artifact_id}/{archive_format}',
    handler: ctx => {
      const artifact = findArtifact(ctx);
      if (!artifact || ctx.params.archive_format !== 'zip') {
        throw new GitHubError(
          404,
          'Not Found',
          `${DOCS}/artifacts#download-an-artifact`,
        );
      }
      if (Date.parse(artifact.expiresAt) <= ctx.now) {
        throw new GitHubError(
          410,
          'Artifact has expired',
          `${DOCS}/artifacts#download-an-artifact`,
        );
      }
      return {
        status: 302,
        headers: {
          location: ctx.signDownload(
            `/_sandbox/downloads/artifacts/${artifact.id}`,
          ),
        },
      };
    },
  },
  {
    method: 'POST',
    path: '/repos/{owner}/{repo}/actions/runs/{run_id}/rerun',
    write: true,
    handler: ctx => {
      const run = findRun(ctx);
      jsonBody(ctx, `${DOCS}/workflow-runs#re-run-a-workflow`);
      ctx.engine.rerun(run, ctx.user!, false, ctx.now);
      return { status: 201, body: {} };
    },
  },
  {
    method: 'POST',
    path: '/repos/{owner}/{repo}/actions/runs/{run_id}/rerun-failed-jobs',
    write: true,
    handler: ctx => {
      const run = findRun(ctx);
      jsonBody(
        ctx,
        `${DOCS}/workflow-runs#re-run-failed-jobs-from-a-workflow-run`,
      );
      ctx.engine.rerun(run, ctx.user!, true, ctx.now);
      return { status: 201, body: {} };
    },
  },
  {
    method: 'POST',
    path: '/repos/{owner}/{repo}/actions/runs/{run_id}/cancel',
    write: true,
    handler: ctx => {
      const run = findRun(ctx);
      ctx.engine.cancel(run, ctx.now);
      return { status: 202, body: {} };
    },
  },
];

/** The short-lived download URLs GitHub redirects to; they need no token, only a valid signature. */
export const downloadRoutes: Route[] = [
  {
    method: 'GET',
    path: '/_sandbox/downloads/job-logs/{job_id}',
    public: true,
    handler: ctx => {
      const job = findJobById(ctx.state, integerParam(ctx, 'job_id'));
      if (!job) throw new GitHubError(404, 'Not Found');
      return {
        raw: {
          data: projectJob(job, ctx.now).log,
          contentType: 'text/plain; charset=utf-8',
        },
      };
    },
  },
  {
    method: 'GET',
    path: '/_sandbox/downloads/run-logs/{run_id}',
    public: true,
    handler: ctx => {
      const run = findRunById(ctx.state, integerParam(ctx, 'run_id'));
      if (!run) throw new GitHubError(404, 'Not Found');
      const jobs = latestAttemptJobs(ctx, run).filter(job => job.log);
      const files = jobs.map((job, index) => ({
        name: logFileName(index, job.name),
        content: job.log,
        date: new Date(job.completedAt ?? job.startedAt),
      }));
      return {
        raw: { data: zipArchive(files), contentType: 'application/zip' },
      };
    },
  },
  {
    method: 'GET',
    path: '/_sandbox/downloads/artifacts/{artifact_id}',
    public: true,
    handler: ctx => {
      const artifact = findArtifactById(
        ctx.state,
        integerParam(ctx, 'artifact_id'),
      );
      if (!artifact) throw new GitHubError(404, 'Not Found');
      return {
        raw: {
          data: zipArchive(
            artifact.files.map(file => ({
              ...file,
              date: new Date(artifact.createdAt),
            })),
          ),
          contentType: 'application/zip',
        },
      };
    },
  },
];
