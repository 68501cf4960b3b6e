import { NotFoundError } from '@backstage/errors';
import {
  DeliveryRepository,
  Gate,
  PipelineRun,
  PipelineRunSummary,
  RunStatus,
  deliveryError,
} from '@internal/plugin-delivery-common';
import { DataFreshness, Fetched, freshNow, oldest } from '../cache/freshness';
import { CachedGitHub } from '../github/cachedGitHub';
import {
  GitHubApproval,
  GitHubCheckAnnotation,
  GitHubJob,
  GitHubRepository,
  GitHubRun,
  GitHubRunList,
  RepositoryRef,
} from '../github/types';
import { FailureReason, explainFailure, reasonFromLog } from './failureReasons';
import {
  GateConfig,
  firstFailedGate,
  jobStatus,
  mapJobsToGates,
} from './gateMapping';

export interface PipelineOptions {
  github: CachedGitHub;
  gates: GateConfig[];
  /** Only this workflow file's runs, e.g. titanic-service.yml. */
  workflow?: string;
}

const RUN_STATUSES: RunStatus[] = [
  'queued',
  'in_progress',
  'completed',
  'waiting',
  'requested',
  'pending',
];

function runSeconds(run: GitHubRun): number | null {
  if (run.status !== 'completed') return null;
  const ms =
    Date.parse(run.updated_at) -
    Date.parse(run.run_started_at ?? run.created_at);
  return Number.isFinite(ms) && ms >= 0 ? Math.round(ms / 1000) : null;
}

export function toRunSummary(run: GitHubRun): PipelineRunSummary {
  const status = RUN_STATUSES.includes(run.status as RunStatus)
    ? (run.status as RunStatus)
    : 'queued';
  return {
    id: run.id,
    runNumber: run.run_number,
    runAttempt: run.run_attempt ?? 1,
    name: run.name ?? '',
    workflowPath: run.path ?? '',
    branch: run.head_branch ?? '',
    headSha: run.head_sha,
    title: (run.display_title ?? run.head_commit?.message ?? '').split('\n')[0],
    event: run.event,
    actor: run.actor?.login ?? null,
    status,
    conclusion: status === 'completed' ? run.conclusion : null,
    createdAt: run.created_at,
    updatedAt: run.updated_at,
    durationSeconds: runSeconds(run),
    htmlUrl: run.html_url,
  };
}

/** Re-running failed jobs makes sense once a run is over and did not succeed. */
export function isRerunnable(
  run: Pick<GitHubRun, 'status' | 'conclusion'>,
): boolean {
  return (
    run.status === 'completed' &&
    ['failure', 'cancelled', 'timed_out', 'startup_failure'].includes(
      run.conclusion ?? '',
    )
  );
}

/**
 * GitHub Actions as a pipeline of gates: the entity's repository, its runs, and each run's jobs
 * mapped onto the configured gates with the reason the failing ones failed.
 */
export class GitHubPipelines {
  constructor(private readonly options: PipelineOptions) {}

  async repository(repo: RepositoryRef): Promise<Fetched<DeliveryRepository>> {
    try {
      const fetched = await this.options.github.get<GitHubRepository>(
        repo,
        'GET /repos/{owner}/{repo}',
      );
      const data = fetched.data;
      return {
        data: {
          owner: data.owner.login,
          name: data.name,
          slug: data.full_name,
          htmlUrl: data.html_url,
          defaultBranch: data.default_branch,
        },
        freshness: fetched.freshness,
      };
    } catch (error) {
      if (error instanceof NotFoundError) {
        throw deliveryError(
          'unknown-repository',
          `GitHub has no repository ${repo.owner}/${repo.name} on ${repo.host} (or the backend's credentials cannot see it)`,
        );
      }
      throw error;
    }
  }

  /** The newest runs, newest first (one page of up to 100). */
  async listRuns(
    repo: RepositoryRef,
    options: { branch?: string; limit: number },
  ): Promise<Fetched<{ runs: GitHubRun[]; totalCount: number }>> {
    const params = {
      branch: options.branch,
      per_page: Math.min(100, Math.max(1, options.limit)),
    };
    const fetched = this.options.workflow
      ? await this.options.github.get<GitHubRunList>(
          repo,
          'GET /repos/{owner}/{repo}/actions/workflows/{workflow_id}/runs',
          { ...params, workflow_id: this.options.workflow },
        )
      : await this.options.github.get<GitHubRunList>(
          repo,
          'GET /repos/{owner}/{repo}/actions/runs',
          params,
        );
    return {
      data: {
        runs: fetched.data.workflow_runs.slice(0, options.limit),
        totalCount: fetched.data.total_count,
      },
      freshness: fetched.freshness,
    };
  }

  async getRun(
    repo: RepositoryRef,
    runId: number,
  ): Promise<Fetched<GitHubRun>> {
    try {
      return await this.options.github.get<GitHubRun>(
        repo,
        'GET /repos/{owner}/{repo}/actions/runs/{run_id}',
        { run_id: runId },
      );
    } catch (error) {
      if (error instanceof NotFoundError) {
        throw deliveryError(
          'unknown-run',
          `${repo.owner}/${repo.name} has no workflow run ${runId}`,
        );
      }
      throw error;
    }
  }

  /** The latest attempt's jobs of a run. */
  async jobs(
    repo: RepositoryRef,
    runId: number,
  ): Promise<Fetched<GitHubJob[]>> {
    return this.options.github.getAllPages<GitHubJob>(
      repo,
      'GET /repos/{owner}/{repo}/actions/runs/{run_id}/jobs',
      { run_id: runId, filter: 'latest' },
      'jobs',
    );
  }

  /**
   * The run's gate chain. A completed attempt never changes, so its gates are computed once
   * (keyed by run, attempt and update time); runs in progress are re-read as they move.
   */
  async gates(repo: RepositoryRef, run: GitHubRun): Promise<Fetched<Gate[]>> {
    let freshness: DataFreshness = freshNow();
    const compute = async () => {
      const jobs = await this.jobs(repo, run.id);
      freshness = jobs.freshness;
      const reasons = new Map<number, FailureReason>();
      await Promise.all(
        jobs.data
          .filter(job => jobStatus(job) === 'failure')
          .map(async job =>
            reasons.set(job.id, await this.failureReason(repo, job)),
          ),
      );
      const gates = mapJobsToGates(
        this.options.gates,
        jobs.data,
        reasons,
        run.html_url,
      );
      const final =
        run.status === 'completed' &&
        !jobs.freshness.stale &&
        jobs.data.every(job => job.status === 'completed');
      return { value: gates, final };
    };
    if (run.status !== 'completed') {
      const { value } = await compute();
      return { data: value, freshness };
    }
    const key = `gates:${repo.host}/${repo.owner}/${repo.name}/${run.id}/${
      run.run_attempt ?? 1
    }/${run.updated_at}/${gatesSignature(this.options.gates)}`;
    const data = await this.options.github.remember(key, compute);
    return { data, freshness };
  }

  async pipelineRun(
    repo: RepositoryRef,
    run: GitHubRun,
  ): Promise<Fetched<PipelineRun>> {
    const gates = await this.gates(repo, run);
    return {
      data: {
        ...toRunSummary(run),
        gates: gates.data,
        failedGateId: firstFailedGate(gates.data),
        rerunnable: isRerunnable(run),
      },
      freshness: gates.freshness,
    };
  }

  async pipelineRuns(
    repo: RepositoryRef,
    runs: GitHubRun[],
  ): Promise<Fetched<PipelineRun[]>> {
    const all = await Promise.all(runs.map(run => this.pipelineRun(repo, run)));
    return {
      data: all.map(r => r.data),
      freshness: all.length ? oldest(...all.map(r => r.freshness)) : freshNow(),
    };
  }

  /**
   * Why a completed job failed, from its log (the tools' own words), its check run's
   * annotations, or — for a deployment with no steps — the environment's rejected review.
   * Computed once per job; if GitHub cannot be read now, a plain answer is given uncached.
   */
  async failureReason(
    repo: RepositoryRef,
    job: GitHubJob,
  ): Promise<FailureReason> {
    const key = `reason:${repo.host}/${repo.owner}/${repo.name}/${job.id}/${job.completed_at}`;
    try {
      return await this.options.github.remember(key, async () => ({
        value: await this.readFailure(repo, job),
        final: true,
      }));
    } catch {
      return explainFailure({ steps: job.steps, conclusion: job.conclusion });
    }
  }

  private async readFailure(
    repo: RepositoryRef,
    job: GitHubJob,
  ): Promise<FailureReason> {
    if ((job.steps ?? []).length === 0) {
      const rejected = await this.rejection(repo, job);
      if (rejected) return { reason: rejected, source: 'conclusion' };
    }
    // The log carries the tools' own words; annotations are read only when it does not.
    const log = await this.downloadLog(repo, job.id);
    if (log && reasonFromLog(log)) {
      return explainFailure({ log });
    }
    const annotations = await this.options.github
      .get<GitHubCheckAnnotation[]>(
        repo,
        'GET /repos/{owner}/{repo}/check-runs/{check_run_id}/annotations',
        { check_run_id: job.id, per_page: 50 },
      )
      .then(a => a.data)
      .catch(error => {
        if (error instanceof NotFoundError) return [];
        throw error;
      });
    return explainFailure({
      log,
      annotations,
      steps: job.steps,
      conclusion: job.conclusion,
    });
  }

  private async downloadLog(
    repo: RepositoryRef,
    jobId: number,
  ): Promise<string | null> {
    const octokit = this.options.github.octokit(repo);
    try {
      const response = await octokit.rest.actions.downloadJobLogsForWorkflowRun(
        {
          owner: repo.owner,
          repo: repo.name,
          job_id: jobId,
        },
      );
      const data = response.data as unknown;
      if (typeof data === 'string') return data;
      if (data instanceof ArrayBuffer)
        return Buffer.from(data).toString('utf8');
      return data ? String(data) : null;
    } catch (error) {
      const status = (error as { status?: number }).status;
      // Logs expire (410) or were never written (404): the annotations must do.
      if (status === 404 || status === 410) return null;
      throw error;
    }
  }

  private async rejection(
    repo: RepositoryRef,
    job: GitHubJob,
  ): Promise<string | null> {
    const approvals = await this.options.github.get<GitHubApproval[]>(
      repo,
      'GET /repos/{owner}/{repo}/actions/runs/{run_id}/approvals',
      { run_id: job.run_id },
    );
    const environment = /^Deploy (\S+)$/i.exec(job.name)?.[1]?.toLowerCase();
    const rejected = approvals.data.find(
      approval =>
        approval.state === 'rejected' &&
        (!environment ||
          approval.environments.some(
            e => e.name?.toLowerCase() === environment,
          )),
    );
    if (!rejected) return null;
    const where = rejected.environments.map(e => e.name).join(', ');
    return `deployment to ${where} rejected by ${
      rejected.user?.login ?? 'a reviewer'
    }${rejected.comment ? `: ${rejected.comment}` : ''}`;
  }
}

/** Changing the gate configuration must not serve gates computed under the old one. */
function gatesSignature(gates: GateConfig[]): string {
  const text = JSON.stringify(gates);
  let hash = 0;
  for (let i = 0; i < text.length; i++) {
    hash = (hash * 31 + text.charCodeAt(i)) | 0;
  }
  return (hash >>> 0).toString(36);
}
