import { LoggerService } from '@backstage/backend-plugin-api';
import { EventParams, EventsService } from '@backstage/plugin-events-node';
import type {
  DeploymentEvent,
  DeploymentStatusEvent,
  WorkflowJobEvent,
  WorkflowRunEvent,
} from '@octokit/webhooks-types';
import { CachedGitHub } from '../github/cachedGitHub';
import { RepositoryRef } from '../github/types';
import { DeliveryFact, WorkflowRunPayload } from '../insights/deliveryFacts';
import { DeploymentHistory } from '../insights/deploymentHistory';
import { StoredRun } from '../insights/historyQueries';

/** A recorded run with a new status, as a workflow_run payload (no later than what is known). */
function storedAs(run: StoredRun, status: string): WorkflowRunPayload {
  return {
    id: run.id,
    run_number: run.runNumber,
    name: run.name,
    display_title: run.title,
    path: run.workflowPath,
    head_branch: run.branch,
    head_sha: run.headSha,
    event: run.event,
    status,
    conclusion: null,
    created_at: new Date(run.createdAt).toISOString(),
    updated_at: new Date(run.updatedAt).toISOString(),
    html_url: run.htmlUrl,
  };
}

/** The webhook topics the history is told from. */
const TOPICS = [
  'github.workflow_run',
  'github.workflow_job',
  'github.deployment',
  'github.deployment_status',
];

/**
 * Tells the deployment history what GitHub's webhooks say, as they arrive: runs, deployments and
 * their statuses. GitHub sends no workflow_run when a run begins or ends waiting for a review —
 * only its deploy job's workflow_job (waiting, then queued once released) — so then the recorded
 * run takes that status (a run never recorded is read from GitHub). One subscription for all
 * replicas: each event is recorded once.
 */
export class HistoryFeed {
  constructor(
    private readonly options: {
      events: EventsService;
      history: Pick<DeploymentHistory, 'record' | 'storedRun'>;
      github: Pick<CachedGitHub, 'octokit'>;
      githubHost: string;
      /** delivery.github.workflow: only this workflow file's runs are the pipeline. */
      workflow?: string;
      logger: LoggerService;
    },
  ) {}

  async start(): Promise<void> {
    await this.options.events.subscribe({
      id: 'delivery-history',
      topics: TOPICS,
      onEvent: event =>
        this.onEvent(event).catch(error =>
          this.options.logger.warn(
            `Delivery history could not record a ${event.topic} webhook: ${error}`,
          ),
        ),
    });
  }

  async onEvent(event: EventParams): Promise<void> {
    const fact = await this.factOf(
      event.topic.slice('github.'.length),
      event.eventPayload,
    );
    if (fact) await this.options.history.record(fact);
  }

  private async factOf(
    name: string,
    payload: unknown,
  ): Promise<DeliveryFact | undefined> {
    const repository = (
      payload as { repository?: { full_name?: string } }
    ).repository?.full_name?.toLocaleLowerCase('en-US');
    if (!repository) return undefined;
    switch (name) {
      case 'workflow_run': {
        const run = (payload as WorkflowRunEvent).workflow_run;
        return this.pipeline(run)
          ? { kind: 'workflow_run', repository, run }
          : undefined;
      }
      case 'workflow_job': {
        const { action, workflow_job: job } = payload as WorkflowJobEvent;
        if (action !== 'waiting' && action !== 'queued') return undefined;
        const known = await this.options.history.storedRun(job.run_id);
        if (known) {
          // The run as recorded, now waiting — or going on once its waiting job is released.
          if (action === 'queued' && known.status !== 'waiting')
            return undefined;
          return {
            kind: 'workflow_run',
            repository,
            run: storedAs(
              known,
              action === 'waiting' ? 'waiting' : 'in_progress',
            ),
          };
        }
        const run = await this.run(repository, job.run_id);
        return this.pipeline(run)
          ? { kind: 'workflow_run', repository, run }
          : undefined;
      }
      case 'deployment':
        return {
          kind: 'deployment',
          repository,
          deployment: (payload as DeploymentEvent).deployment,
        };
      case 'deployment_status': {
        const event = payload as DeploymentStatusEvent;
        return {
          kind: 'deployment_status',
          repository,
          deployment: event.deployment,
          status: event.deployment_status,
        };
      }
      default:
        return undefined;
    }
  }

  /** The run as GitHub has it now (not cached: the webhook says it just changed). */
  private async run(
    repository: string,
    runId: number,
  ): Promise<WorkflowRunPayload> {
    const [owner, name] = repository.split('/');
    const repo: RepositoryRef = { host: this.options.githubHost, owner, name };
    const answer = await this.options.github
      .octokit(repo)
      .rest.actions.getWorkflowRun({ owner, repo: name, run_id: runId });
    return answer.data;
  }

  private pipeline(run: Pick<WorkflowRunPayload, 'path'>): boolean {
    const { workflow } = this.options;
    return (
      !workflow || run.path === workflow || run.path.endsWith(`/${workflow}`)
    );
  }
}
