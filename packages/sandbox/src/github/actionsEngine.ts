import { executeJob } from '../world/jobExecution';
import { projectJob } from '../world/jobProjection';
import { gateDefinition } from '../world/pipeline';
import {
  addStatus,
  attemptConclusion,
  jobHtmlUrl,
  recordDeploymentProgress,
  scheduleAttempt,
} from '../world/pipelineRuns';
import {
  DeploymentRecord,
  EnvironmentRecord,
  JobRecord,
  RunRecord,
  UserRecord,
  WorldState,
} from '../world/records';
import {
  jobsOfRun,
  recordsOf,
  removeDeployments,
} from '../world/repositoryIndex';
import { GitHubError } from './errors';

/*
 * What GitHub Actions does when someone reviews a pending deployment, re-runs or cancels a
 * run. Live jobs are recorded with their (near) future times and become visible as time passes,
 * so an approval "resumes the run into its deploy job over a few seconds".
 */

function iso(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** A deploy job run live: at `at` it sets the image of titanic-service in `environment`. */
export interface LiveDeployJob {
  /** GitHub Actions environment: dev, staging or production. */
  environment: string;
  imageTag: string;
  at: number;
  runId: number;
  jobId: number;
}

export interface PendingDeployment {
  environment: EnvironmentRecord;
  job: JobRecord;
  waitTimerStartedAt: string;
}

/**
 * Runs the sandbox executes step by step as they happen (the workflows of repositories created
 * through the API): reviews, re-runs and cancellations of those are theirs to carry out.
 */
export interface LiveRuns {
  owns(run: RunRecord): boolean;
  review(
    run: RunRecord,
    pending: readonly PendingDeployment[],
    decision: 'approved' | 'rejected',
    user: UserRecord,
    now: number,
  ): DeploymentRecord[];
  rerun(
    run: RunRecord,
    user: UserRecord,
    onlyFailed: boolean,
    now: number,
  ): void;
  cancel(run: RunRecord, now: number): void;
}

export class ActionsEngine {
  private liveRuns: LiveRuns | undefined;

  constructor(
    private readonly state: () => WorldState,
    private readonly options: {
      timeScale: number;
      /** Told about every deploy job the sandbox runs live, so a cluster can follow it. */
      onDeployJob?: (deploy: LiveDeployJob) => void;
    },
  ) {}

  /** Hands the runs `live` owns over to it. */
  attachLiveRuns(live: LiveRuns): void {
    this.liveRuns = live;
  }

  private live(run: RunRecord): LiveRuns | undefined {
    return this.liveRuns?.owns(run) ? this.liveRuns : undefined;
  }

  private announceDeploys(run: RunRecord, jobs: readonly JobRecord[]): void {
    for (const job of jobs) {
      if (
        !job.environment ||
        job.status !== 'completed' ||
        job.conclusion === 'skipped'
      )
        continue;
      const setImage = job.steps.find(
        step => step.name === 'Set image' && step.conclusion === 'success',
      );
      if (!setImage?.startedAt) continue;
      this.options.onDeployJob?.({
        environment: job.environment,
        imageTag: run.context.imageTag,
        at: Date.parse(setImage.startedAt),
        runId: run.id,
        jobId: job.id,
      });
    }
  }

  latestJobs(run: RunRecord, now: number): JobRecord[] {
    const byName = new Map<string, JobRecord>();
    for (const job of jobsOfRun(this.state(), run.id)) {
      const existing = byName.get(job.name);
      if (!existing || job.runAttempt >= existing.runAttempt)
        byName.set(job.name, job);
    }
    return [...byName.values()].map(job => projectJob(job, now));
  }

  /**
   * The environments whose required reviewers a run waits for. A job that also waits for an
   * App's custom rule keeps waiting after its reviewers approved, but no longer for them.
   */
  pendingDeployments(run: RunRecord, now: number): PendingDeployment[] {
    const state = this.state();
    const { environments } = recordsOf(state, run.repositoryId);
    const reviewed = (job: JobRecord) =>
      state.approvals.some(
        approval =>
          approval.runId === run.id &&
          approval.state === 'approved' &&
          approval.environmentNames.includes(job.environment!) &&
          approval.createdAt >= job.createdAt,
      );
    return this.latestJobs(run, now)
      .filter(job => job.status === 'waiting' && job.environment)
      .map(job => ({
        environment: environments.find(e => e.name === job.environment)!,
        job,
        waitTimerStartedAt: job.createdAt,
      }))
      .filter(
        pending =>
          pending.environment &&
          pending.environment.reviewers.length > 0 &&
          !reviewed(pending.job),
      );
  }

  /** A required reviewer may review, unless the environment prevents reviewing one's own run. */
  canReview(
    user: UserRecord | null,
    environment: EnvironmentRecord,
    run: RunRecord,
  ): boolean {
    if (!user) return false;
    if (
      environment.preventSelfReview &&
      run.triggeringActorLogin === user.login
    )
      return false;
    return environment.reviewers.some(reviewer =>
      reviewer.type === 'User'
        ? reviewer.name === user.login
        : this.state()
            .teams.find(team => team.slug === reviewer.name)
            ?.members.includes(user.login) ?? false,
    );
  }

  review(
    run: RunRecord,
    user: UserRecord,
    environmentIds: number[],
    decision: 'approved' | 'rejected',
    comment: string,
    now: number,
  ): DeploymentRecord[] {
    const state = this.state();
    const pending = this.pendingDeployments(run, now).filter(p =>
      environmentIds.includes(p.environment.id),
    );
    if (pending.length === 0) {
      throw new GitHubError(
        422,
        'No pending deployment requests to approve or reject',
        'https://docs.github.com/rest/actions/workflow-runs#review-pending-deployments-for-a-workflow-run',
      );
    }
    for (const { environment } of pending) {
      if (!this.canReview(user, environment, run)) {
        throw new GitHubError(
          422,
          `${user.login} is not a required reviewer for environment ${environment.name}`,
          'https://docs.github.com/rest/actions/workflow-runs#review-pending-deployments-for-a-workflow-run',
        );
      }
    }
    const live = this.live(run);
    const deployments: DeploymentRecord[] = live
      ? live.review(run, pending, decision, user, now)
      : [];
    for (const { environment, job } of live ? [] : pending) {
      const deployment = recordsOf(state, run.repositoryId)
        .deployments.filter(
          d => d.runId === run.id && d.environment === environment.name,
        )
        .at(-1)!;
      const stored = jobsOfRun(state, run.id).find(j => j.id === job.id)!;
      if (decision === 'approved') {
        const scale = this.options.timeScale;
        const startedAt = now + Math.max(300, 4000 * scale);
        const executed = executeJob({
          id: job.id,
          runId: run.id,
          runAttempt: job.runAttempt,
          definition: gateDefinition(job.gate!),
          outcome: run.failingGate === job.gate ? 'failure' : 'success',
          createdAt: Date.parse(job.createdAt),
          startedAt,
          timeScale: scale,
          runnerId: 1000 + (job.id % 97),
          context: run.context,
        });
        Object.assign(stored, executed);
        this.announceDeploys(run, [executed]);
        recordDeploymentProgress(
          state,
          deployment,
          executed,
          run.triggeringActorLogin,
          iso(now),
        );
        run.updatedAt = executed.completedAt!;
      } else {
        Object.assign(stored, {
          status: 'completed',
          conclusion: 'failure',
          startedAt: iso(now),
          completedAt: iso(now),
        });
        addStatus(state, deployment, {
          state: 'failure',
          creatorLogin: user.login,
          description: '',
          environmentUrl: '',
          logUrl: jobHtmlUrl(state, job),
          createdAt: iso(now),
        });
        run.updatedAt = iso(now);
      }
      deployments.push(deployment);
    }
    state.approvals.push({
      runId: run.id,
      environmentNames: pending.map(p => p.environment.name),
      state: decision,
      userLogin: user.login,
      comment,
      createdAt: iso(now),
    });
    if (live) return deployments;
    const jobs = this.latestJobs(run, Number.POSITIVE_INFINITY);
    if (!jobs.some(job => job.status === 'waiting')) {
      run.status = 'completed';
      run.conclusion = attemptConclusion(jobs);
    }
    return deployments;
  }

  rerun(
    run: RunRecord,
    user: UserRecord,
    onlyFailed: boolean,
    now: number,
  ): void {
    const jobs = this.latestJobs(run, now);
    if (
      jobs.some(job => job.status !== 'completed') ||
      (jobs.length === 0 && run.status !== 'completed')
    ) {
      throw new GitHubError(
        403,
        'This workflow is already running',
        'https://docs.github.com/rest/actions/workflow-runs#re-run-a-workflow',
      );
    }
    const kept = onlyFailed
      ? jobs.filter(job => job.conclusion === 'success')
      : [];
    if (onlyFailed && kept.length === jobs.length) {
      throw new GitHubError(
        403,
        'There are no failed jobs to re-run',
        'https://docs.github.com/rest/actions/workflow-runs#re-run-failed-jobs-from-a-workflow-run',
      );
    }
    const live = this.live(run);
    if (live) {
      live.rerun(run, user, onlyFailed, now);
      return;
    }
    run.runAttempt += 1;
    run.runStartedAt = iso(now);
    run.triggeringActorLogin = user.login;
    const attempt = scheduleAttempt(this.state(), run, {
      startAt: now,
      timeScale: this.options.timeScale,
      keptJobs: kept,
    });
    this.announceDeploys(
      run,
      attempt.filter(job => !kept.includes(job)),
    );
  }

  cancel(run: RunRecord, now: number): void {
    const state = this.state();
    const jobs = this.latestJobs(run, now);
    if (
      jobs.every(job => job.status === 'completed') &&
      run.status === 'completed'
    ) {
      throw new GitHubError(
        409,
        'Cannot cancel a workflow run that is completed.',
        'https://docs.github.com/rest/actions/workflow-runs#cancel-a-workflow-run',
      );
    }
    const live = this.live(run);
    if (live) {
      live.cancel(run, now);
      return;
    }
    const stored = jobsOfRun(state, run.id);
    for (const job of jobs) {
      if (job.status === 'completed') continue;
      Object.assign(stored.find(j => j.id === job.id)!, {
        ...job,
        status: 'completed',
        conclusion: 'cancelled',
        startedAt: job.status === 'in_progress' ? job.startedAt : iso(now),
        completedAt: iso(now),
        steps: job.steps.map(step =>
          step.status === 'completed'
            ? step
            : {
                ...step,
                status: 'completed',
                conclusion:
                  step.status === 'in_progress' ? 'cancelled' : 'skipped',
                startedAt: step.startedAt ?? iso(now),
                completedAt: iso(now),
              },
        ),
      });
    }
    for (const deployment of recordsOf(
      state,
      run.repositoryId,
    ).deployments.filter(d => d.runId === run.id)) {
      deployment.statuses = deployment.statuses.filter(
        status => Date.parse(status.createdAt) <= now,
      );
      const latest = deployment.statuses.at(-1);
      if (
        latest &&
        ['waiting', 'queued', 'in_progress'].includes(latest.state)
      ) {
        addStatus(state, deployment, {
          state: 'error',
          creatorLogin: latest.creatorLogin,
          description: 'The workflow run was cancelled',
          environmentUrl: '',
          logUrl: latest.logUrl,
          createdAt: iso(now),
        });
      }
    }
    removeDeployments(
      state,
      d => d.runId === run.id && Date.parse(d.createdAt) > now,
    );
    run.status = 'completed';
    run.conclusion = 'cancelled';
    run.updatedAt = iso(now);
  }
}
