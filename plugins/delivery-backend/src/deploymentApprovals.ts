import {
  ConflictError,
  InputError,
  NotAllowedError,
  ServiceUnavailableError,
} from '@backstage/errors';
import {
  EnvironmentErrorDetails,
  GitHubDeploymentSummary,
  PendingApproval,
  ReviewDecision,
} from '@internal/plugin-delivery-common';
import { CachedGitHub } from './cachedGitHub';
import { EnvironmentBinding } from './environmentBindings';
import { RepositoryRef } from './githubClient';
import { GitHubRun } from './githubTypes';

/* The parts of GitHub's deployment and pending-deployment answers read here. */
interface GitHubPendingDeployment {
  environment: { id: number; name: string };
  wait_timer: number;
  wait_timer_started_at: string | null;
  current_user_can_approve: boolean;
  reviewers: Array<{
    type: 'User' | 'Team';
    reviewer: { login?: string; slug?: string; name?: string };
  }>;
}

interface GitHubDeployment {
  id: number;
  sha: string;
  ref: string;
  environment: string;
  description: string | null;
  creator: { login: string } | null;
  created_at: string;
}

interface GitHubDeploymentStatus {
  state: string;
  description: string | null;
  environment_url?: string | null;
  log_url?: string | null;
  creator: { login: string } | null;
  created_at: string;
}

interface HttpErrorLike {
  status?: number;
  message?: string;
}

const DEPLOYMENTS_SHOWN = 10;
const WAITING_RUNS_READ = 20;

function withDetails<E extends Error>(
  error: E,
  details: EnvironmentErrorDetails,
): E {
  return Object.assign(error, { details });
}

/** GitHub's side of environments: deployments with statuses, runs waiting for review, and reviews. */
export class DeploymentApprovals {
  constructor(private readonly github: CachedGitHub) {}

  /** Runs of the repository waiting for a review, newest first, with their pending environments. */
  async waitingRuns(
    repo: RepositoryRef,
    bindings: EnvironmentBinding[],
  ): Promise<PendingApproval[]> {
    const runs = await this.github.get<{ workflow_runs: GitHubRun[] }>(
      repo,
      'GET /repos/{owner}/{repo}/actions/runs',
      { status: 'waiting', per_page: WAITING_RUNS_READ },
    );
    const approvals = await Promise.all(
      runs.data.workflow_runs.map(async run => {
        const pending = await this.github.get<GitHubPendingDeployment[]>(
          repo,
          'GET /repos/{owner}/{repo}/actions/runs/{run_id}/pending_deployments',
          { run_id: run.id },
        );
        return toPendingApproval(run, pending.data, bindings);
      }),
    );
    return approvals
      .filter(approval => approval.environments.length > 0)
      .sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  }

  /** The newest deployments to a GitHub environment, each with its statuses (newest first). */
  async deployments(
    repo: RepositoryRef,
    githubEnvironment: string,
  ): Promise<GitHubDeploymentSummary[]> {
    const deployments = await this.github.get<GitHubDeployment[]>(
      repo,
      'GET /repos/{owner}/{repo}/deployments',
      { environment: githubEnvironment, per_page: DEPLOYMENTS_SHOWN },
    );
    return Promise.all(
      deployments.data.slice(0, DEPLOYMENTS_SHOWN).map(async deployment => {
        const statuses = await this.github.get<GitHubDeploymentStatus[]>(
          repo,
          'GET /repos/{owner}/{repo}/deployments/{deployment_id}/statuses',
          { deployment_id: deployment.id, per_page: 10 },
        );
        const summaries = statuses.data.map(status => ({
          state: status.state,
          description: status.description ?? null,
          environmentUrl: status.environment_url || null,
          logUrl: status.log_url || null,
          creator: status.creator?.login ?? null,
          createdAt: status.created_at,
        }));
        return {
          id: deployment.id,
          sha: deployment.sha,
          ref: deployment.ref,
          environment: deployment.environment,
          description: deployment.description ?? null,
          creator: deployment.creator?.login ?? null,
          createdAt: deployment.created_at,
          state: summaries[0]?.state ?? null,
          statuses: summaries,
        };
      }),
    );
  }

  /**
   * Approves or rejects the run's pending deployments through GitHub's
   * review-pending-deployments API. Reads the pending list uncached first: a run that no longer
   * waits (someone reviewed it, it was cancelled) answers 409 rather than a GitHub 422.
   */
  async review(
    repo: RepositoryRef,
    runId: number,
    options: {
      decision: ReviewDecision;
      /** GitHub environment names; undefined for every pending one. */
      environments?: string[];
      comment: string;
    },
  ): Promise<{ environments: string[]; runStatus: string }> {
    const octokit = this.github.octokit(repo);
    const params = { owner: repo.owner, repo: repo.name, run_id: runId };
    const pending = await octokit
      .request(
        'GET /repos/{owner}/{repo}/actions/runs/{run_id}/pending_deployments',
        params,
      )
      .then(r => r.data as unknown as GitHubPendingDeployment[])
      .catch(error => {
        throw githubFailure(
          error,
          `read the pending deployments of run ${runId}`,
        );
      });
    const chosen = options.environments
      ? pending.filter(p => options.environments!.includes(p.environment.name))
      : pending;
    if (
      chosen.length === 0 ||
      (options.environments && chosen.length < options.environments.length)
    ) {
      const waiting = pending.map(p => p.environment.name);
      throw withDetails(
        new ConflictError(
          waiting.length === 0
            ? `Run ${runId} is no longer waiting for approval`
            : `Run ${runId} waits only for ${waiting.join(
                ', ',
              )}, not ${options.environments
                ?.filter(e => !waiting.includes(e))
                .join(', ')}`,
        ),
        { reason: 'not-waiting' },
      );
    }
    try {
      await octokit.request(
        'POST /repos/{owner}/{repo}/actions/runs/{run_id}/pending_deployments',
        {
          ...params,
          environment_ids: chosen.map(p => p.environment.id),
          state: options.decision === 'approve' ? 'approved' : 'rejected',
          comment: options.comment,
        },
      );
    } catch (error) {
      throw githubFailure(error, `${options.decision} run ${runId}`);
    } finally {
      // Whatever happened, the next environments view must ask GitHub again.
      this.github.expire(repo);
    }
    const run = await octokit
      .request('GET /repos/{owner}/{repo}/actions/runs/{run_id}', params)
      .then(r => r.data as unknown as GitHubRun)
      .catch(() => undefined);
    return {
      environments: chosen.map(p => p.environment.name),
      runStatus: run?.status ?? 'unknown',
    };
  }
}

function toPendingApproval(
  run: GitHubRun,
  pending: GitHubPendingDeployment[],
  bindings: EnvironmentBinding[],
): PendingApproval {
  return {
    runId: run.id,
    runNumber: run.run_number,
    runName: run.name ?? run.display_title ?? `Run ${run.run_number}`,
    headSha: run.head_sha,
    branch: run.head_branch ?? '',
    htmlUrl: run.html_url,
    createdAt: run.created_at,
    environments: pending.map(p => ({
      githubEnvironment: p.environment.name,
      environment:
        bindings.find(b => b.githubEnvironment === p.environment.name)?.name ??
        null,
      githubEnvironmentId: p.environment.id,
      waitTimerMinutes: p.wait_timer ?? 0,
      waitTimerStartedAt: p.wait_timer_started_at ?? null,
      reviewers: (p.reviewers ?? []).map(r => ({
        type: r.type,
        name: r.reviewer.login ?? r.reviewer.slug ?? r.reviewer.name ?? '',
      })),
      portalCanReview: Boolean(p.current_user_can_approve),
    })),
  };
}

/** GitHub's refusal as our error: "no pending deployment" is 409, "not a reviewer" is the portal's identity. */
function githubFailure(error: unknown, what: string): Error {
  const { status, message = String(error) } = (error ?? {}) as HttpErrorLike;
  if (status === 422 && /no pending deployment/i.test(message)) {
    return withDetails(
      new ConflictError(
        `Could not ${what}: it is no longer waiting (${message})`,
      ),
      {
        reason: 'not-waiting',
      },
    );
  }
  if (status === 404) {
    return withDetails(
      new ConflictError(
        `Could not ${what}: GitHub does not know it (${message})`,
      ),
      {
        reason: 'not-waiting',
      },
    );
  }
  if (
    status === 401 ||
    status === 403 ||
    (status === 422 && /reviewer/i.test(message))
  ) {
    return withDetails(
      new NotAllowedError(
        `GitHub does not let the portal's GitHub identity ${what}: ${message}`,
      ),
      { reason: 'github-forbidden' },
    );
  }
  if (status === 400 || status === 422) {
    return withDetails(
      new InputError(`GitHub refused to ${what}: ${message}`),
      { reason: 'invalid-request' },
    );
  }
  return withDetails(
    new ServiceUnavailableError(
      `GitHub failed to ${what} (${status ?? 'no answer'}): ${message}`,
    ),
    { reason: 'github-unavailable' },
  );
}
