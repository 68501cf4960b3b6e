import { CachedGitHub } from '../github/cachedGitHub';
import { RepositoryRef } from '../github/types';
import { CommitComparer } from './deploymentHistory';
import {
  DeploymentPayload,
  DeploymentStatusPayload,
  WorkflowRunPayload,
} from './deliveryFacts';
import { ShippedCommit } from './historyFacts';

/*
 * GitHub's side of the history, read through the plugin's cached GitHub client: production
 * deployments with their statuses, pipeline runs, open critical code-scanning alerts, and the
 * commits between two deployments (compare). Every list is bounded: by date and by count.
 */

const PER_PAGE = 100;
/** Compare pages read at most: 1,000 commits between two deployments. */
const MAX_COMPARE_PAGES = 10;

interface CompareAnswer {
  status: string;
  total_commits: number;
  commits: Array<{
    sha: string;
    commit: {
      message: string;
      committer: { date?: string } | null;
      author: { date?: string } | null;
    };
  }>;
}

export interface DeploymentWithStatuses {
  deployment: DeploymentPayload;
  statuses: DeploymentStatusPayload[];
}

function isNotFound(error: unknown): boolean {
  const { status, name } = (error ?? {}) as { status?: number; name?: string };
  return status === 404 || name === 'NotFoundError';
}

export class GitHubHistoryReader implements CommitComparer {
  constructor(
    private readonly options: {
      github: CachedGitHub;
      host: string;
      /** Only this workflow file's runs count as the pipeline (delivery.github.workflow). */
      workflow?: string;
    },
  ) {}

  private ref(repository: string): RepositoryRef {
    const [owner, name] = repository.split('/');
    return { host: this.options.host, owner, name };
  }

  async defaultBranch(repository: string): Promise<string | null> {
    const answer = await this.options.github.get<{ default_branch: string }>(
      this.ref(repository),
      'GET /repos/{owner}/{repo}',
    );
    return answer.data.default_branch ?? null;
  }

  /**
   * Deployments to `environment` created since `since`, newest first, each with its statuses,
   * plus the newest one created before (what was live when the period began); at most `max`.
   */
  async deployments(
    repository: string,
    environment: string,
    since: number,
    max: number,
  ): Promise<DeploymentWithStatuses[]> {
    const repo = this.ref(repository);
    const chosen: DeploymentPayload[] = [];
    for (let page = 1; chosen.length < max; page++) {
      const answer = await this.options.github.get<DeploymentPayload[]>(
        repo,
        'GET /repos/{owner}/{repo}/deployments',
        { environment, per_page: PER_PAGE, page },
      );
      let reachedBefore = false;
      for (const deployment of answer.data) {
        chosen.push(deployment);
        if (Date.parse(deployment.created_at) < since) {
          reachedBefore = true;
          break;
        }
        if (chosen.length >= max) break;
      }
      if (reachedBefore || answer.data.length < PER_PAGE) break;
    }
    return Promise.all(
      chosen.map(async deployment => {
        const statuses = await this.options.github.get<
          DeploymentStatusPayload[]
        >(
          repo,
          'GET /repos/{owner}/{repo}/deployments/{deployment_id}/statuses',
          {
            deployment_id: deployment.id,
            per_page: PER_PAGE,
          },
        );
        return { deployment, statuses: statuses.data };
      }),
    );
  }

  /** Pipeline runs created since `since`, newest first, at most `max`. */
  async runs(
    repository: string,
    since: number,
    max: number,
  ): Promise<WorkflowRunPayload[]> {
    const repo = this.ref(repository);
    const runs: WorkflowRunPayload[] = [];
    const { workflow } = this.options;
    for (let page = 1; runs.length < max; page++) {
      const answer = await this.options.github.get<{
        workflow_runs: WorkflowRunPayload[];
      }>(
        repo,
        workflow
          ? 'GET /repos/{owner}/{repo}/actions/workflows/{workflow_id}/runs'
          : 'GET /repos/{owner}/{repo}/actions/runs',
        {
          per_page: PER_PAGE,
          page,
          ...(workflow ? { workflow_id: workflow } : {}),
        },
      );
      const list = answer.data.workflow_runs;
      const recent = list.filter(run => Date.parse(run.created_at) >= since);
      runs.push(...recent.slice(0, max - runs.length));
      if (recent.length < list.length || list.length < PER_PAGE) break;
    }
    return runs;
  }

  /**
   * The runs waiting for a review now, whenever they were created (a re-run keeps its date), and
   * the runs last seen waiting, as they are now: how a review, given anywhere, is learnt without
   * webhooks.
   */
  async reviewRuns(
    repository: string,
    lastSeenWaiting: number[],
  ): Promise<WorkflowRunPayload[]> {
    const repo = this.ref(repository);
    const { workflow } = this.options;
    const answer = await this.options.github.get<{
      workflow_runs: WorkflowRunPayload[];
    }>(
      repo,
      workflow
        ? 'GET /repos/{owner}/{repo}/actions/workflows/{workflow_id}/runs'
        : 'GET /repos/{owner}/{repo}/actions/runs',
      {
        status: 'waiting',
        per_page: PER_PAGE,
        ...(workflow ? { workflow_id: workflow } : {}),
      },
    );
    const waiting = answer.data.workflow_runs;
    const ended = await Promise.all(
      lastSeenWaiting
        .filter(id => !waiting.some(run => run.id === id))
        .map(async id => {
          try {
            const run = await this.options.github.get<WorkflowRunPayload>(
              repo,
              'GET /repos/{owner}/{repo}/actions/runs/{run_id}',
              { run_id: id },
            );
            return [run.data];
          } catch (error) {
            // A deleted run waits for nothing; it stays as last recorded.
            if (isNotFound(error)) return [];
            throw error;
          }
        }),
    );
    return [...waiting, ...ended.flat()];
  }

  /** Open code-scanning alerts of critical security severity; null when the repository has no code scanning. */
  async criticalFindings(repository: string): Promise<number | null> {
    try {
      let count = 0;
      for (let page = 1; page <= 20; page++) {
        const answer = await this.options.github.get<unknown[]>(
          this.ref(repository),
          'GET /repos/{owner}/{repo}/code-scanning/alerts',
          { state: 'open', severity: 'critical', per_page: PER_PAGE, page },
        );
        count += answer.data.length;
        if (answer.data.length < PER_PAGE) break;
      }
      return count;
    } catch (error) {
      if (isNotFound(error)) return null;
      throw error;
    }
  }

  async compare(
    repository: string,
    base: string,
    head: string,
  ): Promise<ShippedCommit[]> {
    const commits: ShippedCommit[] = [];
    for (let page = 1; page <= MAX_COMPARE_PAGES; page++) {
      const answer = await this.options.github.get<CompareAnswer>(
        this.ref(repository),
        'GET /repos/{owner}/{repo}/compare/{basehead}',
        { basehead: `${base}...${head}`, per_page: PER_PAGE, page },
      );
      for (const commit of answer.data.commits) {
        const date =
          commit.commit.committer?.date ?? commit.commit.author?.date;
        commits.push({
          sha: commit.sha,
          committedAt: date ? Date.parse(date) : 0,
          headline: commit.commit.message.split('\n')[0],
        });
      }
      if (
        answer.data.commits.length < PER_PAGE ||
        commits.length >= answer.data.total_commits
      ) {
        break;
      }
    }
    return commits;
  }
}
