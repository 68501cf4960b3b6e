import { WorldState } from '../../world/records';
import { findRunById, jobsOfRun, recordsOf } from '../../world/repositoryIndex';
import { projectJob } from '../../world/jobProjection';
import { alertState } from '../representations/codeScanningRepresentations';
import { projectRun } from '../representations/actionsRepresentations';
import {
  AlertAction,
  PayloadContext,
  codeScanningAlertEvent,
  deploymentEvent,
  deploymentReviewEvent,
  deploymentStatusEvent,
  repositoryContext,
  workflowJobEvent,
  workflowRunEvent,
} from './webhookPayloads';
import { WebhookEvent } from './webhookSender';

/*
 * What changed in a repository since it was last looked at, as the webhook events GitHub sends
 * for it. The sandbox records runs, jobs and deployment statuses with their (near) future times
 * and lets time reveal them, so a change is what a repository's records show *now* and did not
 * show the last time: a run requested, in progress or completed, a job queued, in progress,
 * waiting or completed, a deployment or a status created, a review given, an alert created,
 * fixed or reopened. A repository is first looked at as it was when a hook began to hear it:
 * what happened before that is not delivered.
 */

interface Seen {
  /** By run id: `<attempt>:<requested|in_progress|waiting|completed>`. */
  runs: Map<number, string>;
  /** By job id: its last status told. */
  jobs: Map<number, string>;
  deployments: Set<number>;
  statuses: Set<number>;
  /** By alert number: open, fixed or dismissed. */
  alerts: Map<number, string>;
}

type RunAction = 'requested' | 'in_progress' | 'completed';
type JobAction = 'queued' | 'in_progress' | 'waiting' | 'completed';

type RunStage = RunAction | 'waiting';

/** Where a run of this status is in its life. */
function runStage(status: string): RunStage {
  if (status === 'completed' || status === 'waiting') return status;
  if (status === 'in_progress') return 'in_progress';
  return 'requested';
}

/**
 * The workflow_run actions from the stage told to the stage reached: requested, in_progress,
 * completed — and in_progress again when a run that waited for a review goes on.
 */
function runActions(
  reached: RunStage,
  told: RunStage | undefined,
): RunAction[] {
  if (reached === told) return [];
  const before: RunAction[] = [];
  if (told === undefined) before.push('requested');
  if (told === undefined || told === 'requested') before.push('in_progress');
  switch (reached) {
    case 'requested':
      return told === undefined ? ['requested'] : [];
    case 'waiting':
      // Waiting for a review is told by the job (workflow_job waiting), not the run.
      return before;
    case 'in_progress':
      return told === 'waiting' ? ['in_progress'] : before;
    default:
      return [...before, 'completed'];
  }
}

/** A job's life: waiting (for a review) only when it had to, then queued, in progress, completed. */
const JOB_LIFE: JobAction[] = ['waiting', 'queued', 'in_progress', 'completed'];

function jobActions(status: string, told: string | undefined): JobAction[] {
  // A job told queued while its run went on reaches its environment's review: GitHub tells that.
  if (status === 'waiting') return told === 'waiting' ? [] : ['waiting'];
  const reached = JOB_LIFE.indexOf(status as JobAction);
  let from = status === 'waiting' ? 0 : 1;
  if (told !== undefined) from = JOB_LIFE.indexOf(told as JobAction) + 1;
  return JOB_LIFE.slice(from, reached + 1);
}

const ALERT_ACTIONS: Record<string, AlertAction> = {
  'open>fixed': 'fixed',
  'fixed>open': 'reopened',
  'open>dismissed': 'closed_by_user',
  'dismissed>open': 'reopened',
};

export class ChangeFeed {
  private readonly seen = new Map<number, Seen>();
  private approvalsTold = 0;
  private state: WorldState | undefined;

  /**
   * Looks at `repositoryId` at `base.now`; `since` (ms) is when the first hook that hears it
   * began to — what its records showed then is taken as told.
   */
  changes(
    base: PayloadContext,
    repositoryId: number,
    since: number,
  ): WebhookEvent[] {
    this.follow(base.state);
    const scoped = repositoryContext(base, repositoryId);
    if (!scoped) return [];
    let seen = this.seen.get(repositoryId);
    if (!seen) {
      seen = this.baseline(base, repositoryId, since);
      this.seen.set(repositoryId, seen);
    }
    const events: WebhookEvent[] = [];
    const records = recordsOf(base.state, repositoryId);
    for (const run of records.runs) {
      const status = projectRun(scoped.ctx, run).status;
      const told = seen.runs.get(run.id);
      const [attempt, stage] = told?.split(':') ?? [];
      const fresh = told === undefined || Number(attempt) !== run.runAttempt;
      const reached = runStage(status);
      const due = runActions(reached, fresh ? undefined : (stage as RunStage));
      // A run is requested and goes on before its jobs move, and completes after they did.
      for (const next of due.filter(action => action !== 'completed')) {
        events.push(workflowRunEvent(scoped, next, run));
      }
      seen.runs.set(run.id, `${run.runAttempt}:${reached}`);
      for (const job of jobsOfRun(base.state, run.id)) {
        const projected = projectJob(job, base.now);
        const jobDue = jobActions(
          projected.status,
          seen.jobs.get(job.id),
        ).filter(
          // A job that never ran (skipped) is only ever reported completed.
          next =>
            !(
              projected.conclusion === 'skipped' &&
              next !== 'completed' &&
              !seen!.jobs.has(job.id)
            ),
        );
        for (const next of jobDue) {
          events.push(workflowJobEvent(scoped, next, run, projected));
        }
        if (jobDue.length > 0) seen.jobs.set(job.id, jobDue.at(-1)!);
      }
      if (due.includes('completed')) {
        events.push(workflowRunEvent(scoped, 'completed', run));
      }
    }
    for (const deployment of records.deployments) {
      if (!seen.deployments.has(deployment.id)) {
        seen.deployments.add(deployment.id);
        events.push(deploymentEvent(scoped, deployment));
      }
      for (const status of deployment.statuses) {
        if (Date.parse(status.createdAt) > base.now) continue;
        if (seen.statuses.has(status.id)) continue;
        seen.statuses.add(status.id);
        // A deployment made inactive by a newer one is not a status webhooks report.
        if (status.state === 'inactive') continue;
        events.push(deploymentStatusEvent(scoped, deployment, status));
      }
    }
    for (const alert of records.alerts) {
      const state = alertState(scoped.ctx, alert, null);
      const told = seen.alerts.get(alert.number);
      if (told === state) continue;
      seen.alerts.set(alert.number, state);
      // An alert first seen already closed was never told open: nothing to say.
      const action =
        told === undefined
          ? (state === 'open' && 'created') || undefined
          : ALERT_ACTIONS[`${told}>${state}`];
      if (action) {
        events.push(codeScanningAlertEvent(scoped, action, alert));
      }
    }
    return events;
  }

  /** Reviews recorded since the last call, as deployment_review events of their repositories. */
  reviews(base: PayloadContext): WebhookEvent[] {
    this.follow(base.state);
    const approvals = base.state.approvals.slice(this.approvalsTold);
    this.approvalsTold = base.state.approvals.length;
    return approvals.flatMap(approval => {
      const run = findRunById(base.state, approval.runId);
      const scoped = run && repositoryContext(base, run.repositoryId);
      if (!run || !scoped) return [];
      const jobs = jobsOfRun(base.state, run.id).map(job =>
        projectJob(job, base.now),
      );
      return [deploymentReviewEvent(scoped, approval, run, jobs)];
    });
  }

  /** Forgets a repository no hook hears any more: a new hook starts from its own creation. */
  forget(repositoryId: number): void {
    this.seen.delete(repositoryId);
  }

  /** A reset world (or the first one): start over from what it shows. */
  private follow(state: WorldState): void {
    if (this.state === state) return;
    this.state = state;
    this.seen.clear();
    this.approvalsTold = state.approvals.length;
  }

  /** What the repository showed at `since`. */
  private baseline(
    base: PayloadContext,
    repositoryId: number,
    since: number,
  ): Seen {
    const then = { ...base, now: since };
    const scoped = repositoryContext(then, repositoryId)!;
    const records = recordsOf(base.state, repositoryId);
    const seen: Seen = {
      runs: new Map(),
      jobs: new Map(),
      deployments: new Set(),
      statuses: new Set(),
      alerts: new Map(),
    };
    const existed = (iso: string) => Date.parse(iso) <= since;
    for (const run of records.runs) {
      if (!existed(run.createdAt)) continue;
      const attemptStarted = run.runStartedAt ?? run.createdAt;
      const attempt = existed(attemptStarted)
        ? run.runAttempt
        : run.runAttempt - 1;
      const status = projectRun(scoped.ctx, run).status;
      seen.runs.set(run.id, `${attempt}:${runStage(status)}`);
      for (const job of jobsOfRun(base.state, run.id)) {
        if (!existed(job.createdAt)) continue;
        const projected = projectJob(job, since);
        seen.jobs.set(job.id, projected.status);
      }
    }
    for (const deployment of records.deployments) {
      if (!existed(deployment.createdAt)) continue;
      seen.deployments.add(deployment.id);
      for (const status of deployment.statuses) {
        if (existed(status.createdAt)) seen.statuses.add(status.id);
      }
    }
    for (const alert of records.alerts) {
      if (!existed(alert.createdAt)) continue;
      seen.alerts.set(alert.number, alertState(scoped.ctx, alert, null));
    }
    return seen;
  }
}
