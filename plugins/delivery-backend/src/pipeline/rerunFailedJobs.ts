import { RerunResponse, deliveryError } from '@internal/plugin-delivery-common';
import { CachedGitHub } from '../github/cachedGitHub';
import { rateLimitOf, rateLimitedError } from '../github/rateLimits';
import { RepositoryRef } from '../github/types';
import { jobStatus } from './gateMapping';
import { GitHubPipelines, isRerunnable } from './githubPipelines';

/** 503 while GitHub rate-limits the portal, saying when a re-run can be tried again. */
function rateLimited(retryAt: number): Error {
  return rateLimitedError(
    retryAt,
    Date.now(),
    seconds => `GitHub rate-limits the portal; re-run in ${seconds} s`,
  );
}

/**
 * Asks GitHub to re-run a run's failed jobs (and the jobs that depend on them). The run is
 * read fresh, not from the cache: a run someone already re-ran must not be re-run twice.
 */
export async function rerunFailedJobs(options: {
  github: CachedGitHub;
  pipelines: GitHubPipelines;
  repo: RepositoryRef;
  runId: number;
}): Promise<RerunResponse> {
  const { github, pipelines, repo, runId } = options;
  const limit = github.rateLimit(repo);
  if (limit) throw rateLimited(limit.retryAt);
  const octokit = github.octokit(repo);
  const call = async <T>(request: () => Promise<{ data: T }>): Promise<T> => {
    try {
      return (await request()).data;
    } catch (error) {
      const status = (error as { status?: number }).status;
      const rateLimit = rateLimitOf(error, Date.now());
      if (rateLimit) {
        github.noteRateLimit(repo, rateLimit);
        throw rateLimited(rateLimit.retryAt);
      }
      if (status === 404) {
        // Resolve through the pipelines for the same "unknown run" answer as reads.
        await pipelines.getRun(repo, runId);
      }
      if (status === 403) {
        throw deliveryError(
          'upstream-unavailable',
          `GitHub refused the re-run: the portal's credentials lack actions:write on ${repo.owner}/${repo.name}`,
        );
      }
      throw error;
    }
  };

  const params = { owner: repo.owner, repo: repo.name, run_id: runId };
  const run = await call(() => octokit.rest.actions.getWorkflowRun(params));
  if (!isRerunnable(run)) {
    throw deliveryError(
      'not-rerunnable',
      run.status === 'completed'
        ? `Run ${run.run_number} ended with ${run.conclusion}: there are no failed jobs to re-run`
        : `Run ${run.run_number} is ${run.status}: wait until it ends to re-run its failed jobs`,
    );
  }
  const jobs = await call(() =>
    octokit.rest.actions.listJobsForWorkflowRun({
      ...params,
      filter: 'latest',
      per_page: 100,
    }),
  );
  await call(() => octokit.rest.actions.reRunWorkflowFailedJobs(params));
  github.expire(repo);
  return {
    runId,
    runAttempt: (run.run_attempt ?? 1) + 1,
    jobs: jobs.jobs
      .filter(job => ['failure', 'cancelled'].includes(jobStatus(job)))
      .map(job => job.name),
    htmlUrl: run.html_url,
  };
}
