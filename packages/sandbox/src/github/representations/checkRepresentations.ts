import { createHash } from 'node:crypto';
import { AnnotationRecord, JobRecord } from '../../world/records';
import { renderDeploymentSimple } from './deploymentRepresentations';
import { findRunById, recordsOf } from '../../world/repositoryIndex';
import { RenderContext, nodeId, repoApi, repoWeb } from './renderContext';
import { renderUserByLogin } from './repositoryRepresentations';

/* Check runs and their annotations: every Actions job is a check run (routes/checkRoutes.ts). */

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
  const run = findRunById(ctx.state, job.runId)!;
  const deployment = job.environment
    ? recordsOf(ctx.state, run.repositoryId).deployments.find(
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
  const run = findRunById(ctx.state, job.runId)!;
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
