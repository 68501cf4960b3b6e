import { DeliveryChange } from '@internal/plugin-delivery-common';
import type {
  CheckRunEvent,
  DeploymentProtectionRuleEvent,
  DeploymentReviewEvent,
  DeploymentStatusEvent,
  PushEvent,
  WorkflowJobEvent,
  WorkflowRunEvent,
} from '@octokit/webhooks-types';
import { CacheScope } from '../github/cacheScopes';
import { GitHubJob, GitHubRun } from '../github/types';

/*
 * What each GitHub webhook event changes in the cache of GitHub answers: the scopes whose answers
 * it outdates, the runs and jobs it carries whole (laid over cached answers instead of asking
 * GitHub again), and which views of the entity pages it touches.
 */

/** The events the delivery dashboards listen to, by X-GitHub-Event. */
export const GITHUB_EVENTS = [
  'workflow_run',
  'workflow_job',
  'deployment',
  'deployment_status',
  'deployment_review',
  'deployment_protection_rule',
  'check_run',
  'code_scanning_alert',
  'push',
] as const;

export type GitHubEventName = (typeof GITHUB_EVENTS)[number];

/**
 * The events a repository or organisation webhook can subscribe to: deployment_review and
 * deployment_protection_rule reach GitHub Apps only. Without them, a review shows through the
 * deploy job it releases (workflow_job).
 */
export const HOOK_EVENTS: readonly GitHubEventName[] = GITHUB_EVENTS.filter(
  event =>
    event !== 'deployment_review' && event !== 'deployment_protection_rule',
);

/** What one event changed in one repository. */
export interface GitHubChange {
  /** The repository as GitHub names it. */
  owner: string;
  name: string;
  /** Cached answers of these scopes are outdated. */
  scopes: CacheScope[];
  /** Newer copies of runs, to lay over cached answers. */
  runs: GitHubRun[];
  /** Newer copies of jobs, to lay over cached answers. */
  jobs: GitHubJob[];
  /** The views this touches. */
  changes: DeliveryChange[];
}

interface RepositoryPayload {
  repository?: { name?: string; owner?: { login?: string } };
}

/** The run fields the dashboards read (webhooks carry the REST representation and more). */
function runOf(run: WorkflowRunEvent['workflow_run']): GitHubRun {
  return {
    id: run.id,
    name: run.name,
    path: run.path,
    run_number: run.run_number,
    run_attempt: run.run_attempt,
    head_branch: run.head_branch,
    head_sha: run.head_sha,
    display_title: run.display_title,
    head_commit: run.head_commit as GitHubRun['head_commit'],
    event: run.event,
    status: run.status,
    conclusion: run.conclusion,
    created_at: run.created_at,
    updated_at: run.updated_at,
    run_started_at: run.run_started_at,
    html_url: run.html_url,
    actor: run.actor as GitHubRun['actor'],
    triggering_actor: run.triggering_actor as GitHubRun['triggering_actor'],
  };
}

function jobOf(job: WorkflowJobEvent['workflow_job']): GitHubJob {
  return {
    id: job.id,
    run_id: job.run_id,
    run_attempt: job.run_attempt,
    name: job.name,
    status: job.status as GitHubJob['status'],
    conclusion: job.conclusion,
    started_at: job.started_at,
    completed_at: job.completed_at,
    html_url: job.html_url,
    steps: job.steps as GitHubJob['steps'],
  };
}

/** `…/actions/runs/{run_id}/deployment_protection_rule` names the run waiting. */
function runIdOfCallback(url: string | undefined): number | undefined {
  const match = /\/actions\/runs\/(\d+)\//.exec(url ?? '');
  return match ? Number(match[1]) : undefined;
}

type Effects = Omit<GitHubChange, 'owner' | 'name'>;

const nothing = (changes: DeliveryChange[] = []): Effects => ({
  scopes: [],
  runs: [],
  jobs: [],
  changes,
});

function effectsOf(event: GitHubEventName, payload: unknown): Effects {
  switch (event) {
    case 'workflow_run': {
      const { action, workflow_run: run } = payload as WorkflowRunEvent;
      const scopes: CacheScope[] = ['runs:status', `pending:${run.id}`];
      if (action === 'requested') {
        // A first attempt is a new run in the lists; a later one replaces the run's jobs.
        scopes.push(run.run_attempt > 1 ? `jobs:${run.id}` : 'runs');
      }
      return {
        scopes,
        runs: [runOf(run)],
        jobs: [],
        changes:
          action === 'completed'
            ? ['pipeline', 'environments', 'findings']
            : ['pipeline', 'environments'],
      };
    }
    case 'workflow_job': {
      const { action, workflow_job: job } = payload as WorkflowJobEvent;
      const scopes: CacheScope[] = [];
      // A queued job may be missing from the cached list.
      if (action === 'queued') scopes.push(`jobs:${job.run_id}`);
      // A waiting job holds its run for review; one that starts may have been released by one
      // (a review made on GitHub reaches a repository webhook only this way).
      const review = action === 'waiting' || action === 'queued';
      if (review) {
        scopes.push(
          `jobs:${job.run_id}`,
          'runs:status',
          `pending:${job.run_id}`,
        );
      }
      return {
        scopes: [...new Set(scopes)],
        runs: [],
        jobs: [jobOf(job)],
        changes: review ? ['pipeline', 'environments'] : ['pipeline'],
      };
    }
    case 'deployment':
      return { ...nothing(['environments']), scopes: ['deployments'] };
    case 'deployment_status': {
      const { deployment } = payload as DeploymentStatusEvent;
      return {
        ...nothing(['environments']),
        scopes: [`deployment:${deployment.id}`],
      };
    }
    case 'deployment_review': {
      const review = payload as DeploymentReviewEvent;
      const runId = review.workflow_run?.id;
      const scopes: CacheScope[] = ['runs:status'];
      if (runId !== undefined) {
        scopes.push(`pending:${runId}`, `approvals:${runId}`, `jobs:${runId}`);
      }
      return {
        scopes,
        runs: review.workflow_run ? [runOf(review.workflow_run)] : [],
        jobs: [],
        changes: ['environments', 'pipeline'],
      };
    }
    case 'deployment_protection_rule': {
      const rule = payload as DeploymentProtectionRuleEvent;
      const runId = runIdOfCallback(rule.deployment_callback_url);
      return {
        ...nothing(['environments']),
        scopes: [
          'deployments',
          'runs:status',
          ...(runId !== undefined ? [`pending:${runId}` as const] : []),
        ],
      };
    }
    case 'check_run': {
      const { check_run: checkRun } = payload as CheckRunEvent;
      return {
        ...nothing(['pipeline']),
        scopes: [`check-run:${checkRun.id}`],
      };
    }
    case 'code_scanning_alert':
      // Alert payloads carry no update time to order them by: GitHub's list is asked again.
      return { ...nothing(['findings']), scopes: ['alerts'] };
    case 'push': {
      const { ref, repository } = payload as PushEvent;
      // The first push to an empty repository makes its branch the default one.
      const scopes: CacheScope[] = ['repository'];
      return {
        ...nothing(
          ref === `refs/heads/${repository.default_branch}` ? ['pipeline'] : [],
        ),
        scopes,
      };
    }
    default:
      return nothing();
  }
}

/**
 * What a webhook event changed, or undefined for events the dashboards do not read and payloads
 * without a repository (e.g. an organisation's `ping`).
 */
export function gitHubChange(
  event: string,
  payload: unknown,
): GitHubChange | undefined {
  if (!(GITHUB_EVENTS as readonly string[]).includes(event)) return undefined;
  const repository = (payload as RepositoryPayload | undefined)?.repository;
  const owner = repository?.owner?.login;
  const name = repository?.name;
  if (!owner || !name) return undefined;
  return { owner, name, ...effectsOf(event as GitHubEventName, payload) };
}
