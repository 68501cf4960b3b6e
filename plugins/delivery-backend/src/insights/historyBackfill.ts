import { LoggerService } from '@backstage/backend-plugin-api';
import { DeliveryFact } from './deliveryFacts';
import { DeploymentHistory } from './deploymentHistory';
import { GitHubHistoryReader } from './githubHistory';
import { RepositoryState } from './historyQueries';

/*
 * The bounded backfill: when a repository is first seen, its production deployments (with their
 * statuses), pipeline runs and open critical findings of the last `days` are read from GitHub
 * once and recorded as facts. Until the events path keeps the history current, `refresh` reads
 * what is new since the last read the same way (conditional requests: unchanged pages cost no
 * rate limit).
 */

const DAY_MS = 24 * 3600 * 1000;

export interface BackfillSettings {
  /** How far back a first read goes. */
  days: number;
  /** At most this many production deployments per read. */
  maxDeployments: number;
  /** At most this many pipeline runs per read. */
  maxRuns: number;
  /** Repositories read at the same time. */
  concurrency: number;
}

export class HistoryBackfill {
  private readonly running = new Map<string, Promise<void>>();
  private readonly queue: Array<() => void> = [];
  private active = 0;

  constructor(
    private readonly options: {
      history: DeploymentHistory;
      reader: GitHubHistoryReader;
      logger: LoggerService;
      settings: BackfillSettings;
      now?: () => number;
    },
  ) {}

  private now(): number {
    return (this.options.now ?? Date.now)();
  }

  /** Whether a read of the repository is under way. */
  isRunning(repository: string): boolean {
    return this.running.has(repository);
  }

  /** Reads the repository (first seen: the bounded backfill; known: what is new). Concurrent calls share one read. */
  sync(repository: string): Promise<void> {
    const known = this.running.get(repository);
    if (known) return known;
    const read = this.limited(() => this.read(repository)).finally(() =>
      this.running.delete(repository),
    );
    this.running.set(repository, read);
    return read;
  }

  /**
   * Starts the backfill of every repository never read; answers those still being read. With
   * `wait`, waits for them (a single component's first view).
   */
  async ensure(
    repositories: string[],
    options: {
      wait?: boolean;
      /** Their states, when the caller has just read them. */
      states?: Map<string, RepositoryState>;
    } = {},
  ): Promise<string[]> {
    const states =
      options.states ??
      (await this.options.history.repositoryStates(repositories));
    const unread = repositories.filter(
      repository => !states.get(repository)?.backfilledAt,
    );
    const reads = unread.map(repository =>
      this.sync(repository).catch(error =>
        this.options.logger.warn(
          `Delivery insights could not read the history of ${repository}: ${error}`,
        ),
      ),
    );
    if (options.wait) {
      await Promise.all(reads);
      const after = await this.options.history.repositoryStates(unread);
      return unread.filter(repository => !after.get(repository)?.backfilledAt);
    }
    return unread;
  }

  /** Reads what is new in every repository the history keeps. */
  async refreshAll(): Promise<void> {
    const known = await this.options.history.knownRepositories();
    await Promise.all(
      known.map(state =>
        this.sync(state.repository).catch(error =>
          this.options.logger.warn(
            `Delivery insights could not refresh ${state.repository}: ${error}`,
          ),
        ),
      ),
    );
  }

  private async limited<T>(work: () => Promise<T>): Promise<T> {
    if (this.active >= this.options.settings.concurrency) {
      await new Promise<void>(resolve => this.queue.push(resolve));
    }
    this.active += 1;
    try {
      return await work();
    } finally {
      this.active -= 1;
      this.queue.shift()?.();
    }
  }

  private async read(repository: string): Promise<void> {
    const { history, reader, settings } = this.options;
    const now = this.now();
    const state = (await history.repositoryStates([repository])).get(
      repository,
    );
    const oldest = now - settings.days * DAY_MS;
    // A repository read before: what changed since (a day of overlap for late statuses).
    const since = state?.syncedAt
      ? Math.max(oldest, state.syncedAt - DAY_MS)
      : oldest;
    let defaultBranch: string | null;
    try {
      defaultBranch = await reader.defaultBranch(repository);
    } catch (error) {
      if ((error as { name?: string }).name !== 'NotFoundError') throw error;
      // GitHub does not know it (or the token cannot see it): nothing to read, now or later.
      this.options.logger.warn(
        `Delivery insights: GitHub has no repository ${repository}`,
      );
      await history.setRepositoryState(repository, {
        backfilledAt: now,
        syncedAt: now,
      });
      return;
    }
    const [deployments, runs, reviewRuns, criticalFindings] = await Promise.all(
      [
        reader.deployments(
          repository,
          history.productionEnvironment,
          since,
          settings.maxDeployments,
        ),
        reader.runs(repository, since, settings.maxRuns),
        reader.reviewRuns(repository, await history.waitingRunIds(repository)),
        reader.criticalFindings(repository),
      ],
    );
    const facts: DeliveryFact[] = [];
    // Oldest first, so each deployment's compare base is recorded before it.
    for (const { deployment, statuses } of [...deployments].reverse()) {
      facts.push({ kind: 'deployment', repository, deployment });
      for (const status of statuses) {
        facts.push({
          kind: 'deployment_status',
          repository,
          deployment,
          status,
        });
      }
    }
    const listed = new Set(runs.map(r => r.id));
    for (const run of [...runs, ...reviewRuns.filter(r => !listed.has(r.id))]) {
      facts.push({ kind: 'workflow_run', repository, run });
    }
    await history.recordAll(repository, facts);
    await history.setRepositoryState(repository, {
      defaultBranch,
      criticalFindings,
      syncedAt: now,
      ...(state?.backfilledAt ? {} : { backfilledAt: now }),
    });
  }
}
