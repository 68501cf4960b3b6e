import { projectJob } from '../../world/jobProjection';
import { JobRecord } from '../../world/records';
import { GitHubError } from '../errors';
import { latestAttemptJobs } from '../representations/actionsRepresentations';
import {
  renderAnnotation,
  renderCheckRun,
} from '../representations/checkRepresentations';
import {
  RequestContext,
  Route,
  integerParam,
  paginate,
  repositoryRecords,
  requireRepository,
} from '../routing';
import {
  findJobById,
  findRunById,
  jobsOfRun,
} from '../../world/repositoryIndex';

const DOCS = 'https://docs.github.com/rest/checks/runs';

/** Every Actions job is a check run with the job's id. */
function findCheckRun(ctx: RequestContext): JobRecord {
  const repository = requireRepository(ctx);
  const id = integerParam(ctx, 'check_run_id');
  const job = findJobById(ctx.state, id);
  if (
    !job ||
    findRunById(ctx.state, job.runId)?.repositoryId !== repository.id ||
    Date.parse(job.createdAt) > ctx.now
  )
    throw new GitHubError(404, 'Not Found', `${DOCS}#get-a-check-run`);
  return projectJob(job, ctx.now);
}

export const checkRoutes: Route[] = [
  {
    method: 'GET',
    path: '/repos/{owner}/{repo}/commits/{ref}/check-runs',
    handler: ctx => {
      const records = repositoryRecords(ctx);
      const ref = ctx.params.ref;
      const commit =
        records.commits.find(c => c.sha === ref) ??
        [...records.commits].reverse().find(c => c.branches.includes(ref));
      if (!commit)
        throw new GitHubError(
          422,
          `No commit found for SHA: ${ref}`,
          `${DOCS}#list-check-runs-for-a-git-reference`,
        );
      const filter = ctx.query.get('filter') ?? 'latest';
      const checkName = ctx.query.get('check_name');
      const status = ctx.query.get('status');
      const runs = records.runs.filter(
        r => r.headSha === commit.sha && Date.parse(r.createdAt) <= ctx.now,
      );
      let jobs: JobRecord[] = [];
      for (const run of runs) {
        jobs.push(
          ...(filter === 'all'
            ? jobsOfRun(ctx.state, run.id).map(j => projectJob(j, ctx.now))
            : latestAttemptJobs(ctx, run)),
        );
      }
      jobs = jobs
        .filter(j => !checkName || j.name === checkName)
        .filter(j => !status || j.status === status)
        .sort((a, b) => b.id - a.id);
      const page = paginate(ctx, jobs);
      return {
        body: {
          total_count: jobs.length,
          check_runs: page.items.map(j => renderCheckRun(ctx, j)),
        },
        headers: page.headers,
      };
    },
  },
  {
    method: 'GET',
    path: '/repos/{owner}/{repo}/check-runs/{check_run_id}',
    handler: ctx => ({ body: renderCheckRun(ctx, findCheckRun(ctx)) }),
  },
  {
    method: 'GET',
    path: '/repos/{owner}/{repo}/check-runs/{check_run_id}/annotations',
    handler: ctx => {
      const job = findCheckRun(ctx);
      const page = paginate(ctx, job.annotations);
      return {
        body: page.items.map(a => renderAnnotation(ctx, job, a)),
        headers: page.headers,
      };
    },
  },
];
