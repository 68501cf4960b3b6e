import { JobOutcome, executeJob } from './jobExecution';
import { GateDefinition, gatesForBranch } from './pipeline';
import {
  DeploymentRecord,
  DeploymentStatusRecord,
  GateKey,
  JobRecord,
  RunRecord,
  WorldState,
} from './records';
import {
  addDeployment,
  addJob,
  findRepositoryById,
  findRunById,
  recordsOf,
} from './repositoryIndex';
import { iso } from './timestamps';

/*
 * Schedules one attempt of a pipeline run: which jobs run, when, and how each ends, following
 * the workflow's `needs` graph (a failed gate skips everything after it) and the production
 * environment's required review. Used for the seeded history and for live re-runs/approvals.
 */

export type ProductionReview =
  | { decision: 'waiting' }
  | {
      decision: 'approved' | 'rejected';
      at: number;
      reviewer: string;
      comment: string;
    };

export interface AttemptOptions {
  startAt: number;
  timeScale: number;
  /** Jobs of the previous attempt that stay (re-run of failed jobs keeps the successful ones). */
  keptJobs?: JobRecord[];
  production?: ProductionReview;
  /** Seeded history: when a deploy job must have finished (from releases.ts). */
  deployedAt?: Partial<Record<GateKey, number>>;
  /** Cancel the attempt at this time (jobs running then end cancelled, later ones skipped). */
  cancelAt?: number;
}

const QUEUE_SECONDS = 4;

export function nextJobId(state: WorldState): number {
  state.sequences.job += 1;
  return state.sequences.job;
}

function environmentUrl(environment: string): string {
  return `https://titanic-${
    environment === 'production' ? 'prod' : environment
  }.acme-corp.example`;
}

export function jobHtmlUrl(state: WorldState, job: JobRecord): string {
  const run = findRunById(state, job.runId);
  const repo =
    (run && findRepositoryById(state, run.repositoryId)) ?? state.repository;
  return `https://github.com/${repo.owner}/${repo.name}/actions/runs/${job.runId}/job/${job.id}`;
}

export function addStatus(
  state: WorldState,
  deployment: DeploymentRecord,
  status: Omit<DeploymentStatusRecord, 'id'>,
): void {
  state.sequences.deploymentStatus += 1;
  deployment.statuses.push({ id: state.sequences.deploymentStatus, ...status });
  if (status.createdAt > deployment.updatedAt)
    deployment.updatedAt = status.createdAt;
}

/** A new deployment of a run's commit to an environment, with no status yet. */
export function addRunDeployment(
  state: WorldState,
  run: RunRecord,
  environment: string,
  imageTag: string | null,
  createdAt: string,
): DeploymentRecord {
  state.sequences.deployment += 1;
  const deployment: DeploymentRecord = {
    id: state.sequences.deployment,
    repositoryId: run.repositoryId,
    sha: run.headSha,
    ref: run.branch,
    task: 'deploy',
    environment,
    description: null,
    creatorLogin: run.triggeringActorLogin,
    payload: {},
    productionEnvironment: environment === 'production',
    runId: run.id,
    imageTag,
    createdAt,
    updatedAt: createdAt,
    statuses: [],
  };
  addDeployment(state, deployment);
  return deployment;
}

/** The deployment GitHub Actions creates when a job with `environment:` starts or waits. */
export function createDeploymentForJob(
  state: WorldState,
  run: RunRecord,
  job: JobRecord,
  waitingSince: number | null,
): DeploymentRecord {
  const deployment = addRunDeployment(
    state,
    run,
    job.environment!,
    run.context.imageTag,
    iso(waitingSince ?? Date.parse(job.startedAt)),
  );
  if (waitingSince !== null) {
    addStatus(state, deployment, {
      state: 'waiting',
      creatorLogin: run.triggeringActorLogin,
      description: '',
      environmentUrl: '',
      logUrl: jobHtmlUrl(state, job),
      createdAt: iso(waitingSince),
    });
  }
  return deployment;
}

/** Adds the queued → in_progress → success/failure statuses of a deploy job that ran. */
export function recordDeploymentProgress(
  state: WorldState,
  deployment: DeploymentRecord,
  job: JobRecord,
  runActor: string,
  queuedAt: string = job.createdAt,
): void {
  const logUrl = jobHtmlUrl(state, job);
  const url = environmentUrl(deployment.environment);
  addStatus(state, deployment, {
    state: 'queued',
    creatorLogin: runActor,
    description: '',
    environmentUrl: '',
    logUrl,
    createdAt: queuedAt,
  });
  addStatus(state, deployment, {
    state: 'in_progress',
    creatorLogin: runActor,
    description: '',
    environmentUrl: '',
    logUrl,
    createdAt: job.startedAt,
  });
  if (job.conclusion === 'success') {
    addStatus(state, deployment, {
      state: 'success',
      creatorLogin: runActor,
      description: '',
      environmentUrl: url,
      logUrl,
      createdAt: job.completedAt!,
    });
    // Actions marks the environment's previous successful deployments inactive.
    for (const previous of recordsOf(state, deployment.repositoryId)
      .deployments) {
      if (
        previous === deployment ||
        previous.environment !== deployment.environment ||
        previous.createdAt > deployment.createdAt
      ) {
        continue;
      }
      const latest = previous.statuses[previous.statuses.length - 1];
      if (latest?.state === 'success') {
        addStatus(state, previous, {
          state: 'inactive',
          creatorLogin: runActor,
          description: '',
          environmentUrl: url,
          logUrl: latest.logUrl,
          createdAt: job.completedAt!,
        });
      }
    }
  } else {
    addStatus(state, deployment, {
      state: job.conclusion === 'cancelled' ? 'error' : 'failure',
      creatorLogin: runActor,
      description: '',
      environmentUrl: '',
      logUrl,
      createdAt: job.completedAt!,
    });
  }
}

/** Schedules and executes every job of one attempt, returning the attempt's jobs. */
export function scheduleAttempt(
  state: WorldState,
  run: RunRecord,
  options: AttemptOptions,
): JobRecord[] {
  const definitions = gatesForBranch(run.branch);
  const kept = new Map((options.keptJobs ?? []).map(job => [job.gate, job]));
  const finished = new Map<GateKey, { end: number; ok: boolean }>();
  const jobs: JobRecord[] = [];
  const scale = options.timeScale;
  const failingGate = run.flaky && run.runAttempt > 1 ? null : run.failingGate;

  for (const definition of definitions) {
    const keptJob = kept.get(definition.gate);
    if (keptJob) {
      finished.set(definition.gate, {
        end: Date.parse(keptJob.completedAt!),
        ok: true,
      });
      jobs.push(keptJob);
      continue;
    }
    const prerequisites = definition.needs
      .filter(need => definitions.some(d => d.gate === need))
      .map(need => finished.get(need)!);
    const ready = Math.max(options.startAt, ...prerequisites.map(p => p.end));
    const blocked = prerequisites.some(p => !p.ok);
    let start =
      ready + QUEUE_SECONDS * 1000 * scale + (jobs.length % 4) * 300 * scale;
    const id = nextJobId(state);
    const base = {
      id,
      runId: run.id,
      runAttempt: run.runAttempt,
      definition,
      createdAt: ready,
      timeScale: scale,
      runnerId: 1000 + (id % 97),
      context: run.context,
    };

    let outcome: JobOutcome;
    let review: ProductionReview | undefined;
    if (blocked) {
      outcome = 'skipped';
      start = ready;
    } else if (options.cancelAt !== undefined && ready >= options.cancelAt) {
      outcome = 'skipped';
      start = options.cancelAt;
    } else if (definition.gate === 'deploy-production') {
      review = options.production ?? { decision: 'waiting' };
      if (review.decision === 'waiting') outcome = 'waiting';
      else if (review.decision === 'rejected') outcome = 'failure';
      else outcome = failingGate === definition.gate ? 'failure' : 'success';
      if (review.decision !== 'waiting')
        start = Math.max(start, review.at + QUEUE_SECONDS * 1000 * scale);
    } else {
      outcome = failingGate === definition.gate ? 'failure' : 'success';
    }

    const target = options.deployedAt?.[definition.gate];
    if (target !== undefined && outcome === 'success') {
      const duration = executeJob({
        ...base,
        outcome,
        startedAt: 0,
      }).completedAt;
      const length = Date.parse(duration!) - 0;
      start = Math.max(start, target - length);
      if (review && review.decision !== 'waiting' && review.at > start)
        review.at = start - 20_000;
    }

    let job: JobRecord;
    if (review?.decision === 'rejected') {
      job = {
        ...executeJob({ ...base, outcome: 'skipped', startedAt: review.at }),
        conclusion: 'failure',
        createdAt: new Date(ready).toISOString().replace(/\.\d{3}Z$/, 'Z'),
      };
    } else {
      job = executeJob({
        ...base,
        outcome,
        startedAt: outcome === 'waiting' ? ready : start,
      });
    }
    if (
      options.cancelAt !== undefined &&
      outcome !== 'skipped' &&
      job.completedAt &&
      Date.parse(job.completedAt) > options.cancelAt
    ) {
      job = executeJob({ ...base, outcome: 'cancelled', startedAt: start });
      job.completedAt = iso(Math.max(start, options.cancelAt));
      job.steps = job.steps.filter(step => step.startedAt! <= job.completedAt!);
    }
    jobs.push(job);
    addJob(state, job);
    const ok = job.conclusion === 'success';
    finished.set(definition.gate, {
      end: job.completedAt
        ? Date.parse(job.completedAt)
        : Number.POSITIVE_INFINITY,
      ok,
    });

    if (definition.environment && job.conclusion !== 'skipped') {
      const deployment = createDeploymentForJob(
        state,
        run,
        job,
        review ? ready : null,
      );
      if (review && review.decision === 'rejected') {
        addStatus(state, deployment, {
          state: 'failure',
          creatorLogin: review.reviewer,
          description: '',
          environmentUrl: '',
          logUrl: jobHtmlUrl(state, job),
          createdAt: iso(review.at),
        });
      } else if (job.status === 'completed') {
        recordDeploymentProgress(
          state,
          deployment,
          job,
          run.triggeringActorLogin,
          review && review.decision !== 'waiting'
            ? iso(review.at)
            : job.createdAt,
        );
      }
    }
    if (review && review.decision !== 'waiting') {
      state.approvals.push({
        runId: run.id,
        environmentNames: ['production'],
        state: review.decision,
        userLogin: review.reviewer,
        comment: review.comment,
        createdAt: iso(review.at),
      });
    }
  }
  const last = Math.max(
    ...jobs.map(job =>
      job.completedAt ? Date.parse(job.completedAt) : Date.parse(job.createdAt),
    ),
  );
  run.updatedAt = iso(last);
  const waiting = jobs.some(job => job.status === 'waiting');
  run.status = waiting ? 'waiting' : 'completed';
  run.conclusion = waiting ? null : attemptConclusion(jobs);
  return jobs;
}

export function attemptConclusion(
  jobs: readonly JobRecord[],
): RunRecord['conclusion'] {
  if (jobs.some(job => job.conclusion === 'failure')) return 'failure';
  if (jobs.some(job => job.conclusion === 'cancelled')) return 'cancelled';
  return 'success';
}

export function definitionsFor(run: RunRecord): GateDefinition[] {
  return gatesForBranch(run.branch);
}
