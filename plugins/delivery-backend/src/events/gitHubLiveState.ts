import { GitHubChangeFeed } from '../github/changeFeed';
import { CacheScope, scopesOfUrl } from '../github/cacheScopes';
import {
  GitHubJob,
  GitHubRun,
  GitHubRunList,
  RepositoryRef,
} from '../github/types';
import { GitHubChange } from './gitHubChanges';

/*
 * What this replica learned from GitHub's webhooks, in memory: when each scope of each repository
 * last changed, and the newest copy of each run and job webhooks carried. Every replica hears every
 * event (each subscribes on its own), so each keeps its own; nothing here is shared or persisted.
 */

const STATUS_RANK: Record<string, number> = {
  requested: 0,
  pending: 0,
  queued: 1,
  waiting: 2,
  in_progress: 3,
  completed: 4,
};

const rank = (status: string | null | undefined) =>
  STATUS_RANK[status ?? ''] ?? 0;
const time = (iso: string | null | undefined) =>
  iso ? Date.parse(iso) || 0 : 0;

/** Orders two copies of one run: later attempt, later update, further along. */
export function compareRuns(
  a: Pick<GitHubRun, 'run_attempt' | 'updated_at' | 'status'>,
  b: Pick<GitHubRun, 'run_attempt' | 'updated_at' | 'status'>,
): number {
  return (
    (a.run_attempt ?? 1) - (b.run_attempt ?? 1) ||
    time(a.updated_at) - time(b.updated_at) ||
    rank(a.status) - rank(b.status)
  );
}

/** Orders two copies of one job: later attempt, further along, later start or end. */
export function compareJobs(
  a: Pick<GitHubJob, 'run_attempt' | 'status' | 'started_at' | 'completed_at'>,
  b: Pick<GitHubJob, 'run_attempt' | 'status' | 'started_at' | 'completed_at'>,
): number {
  return (
    (a.run_attempt ?? 1) - (b.run_attempt ?? 1) ||
    rank(a.status) - rank(b.status) ||
    time(a.completed_at ?? a.started_at) - time(b.completed_at ?? b.started_at)
  );
}

const RUN_LISTS = new Set([
  'GET /repos/{owner}/{repo}/actions/runs',
  'GET /repos/{owner}/{repo}/actions/workflows/{workflow_id}/runs',
]);
const ONE_RUN = 'GET /repos/{owner}/{repo}/actions/runs/{run_id}';
const JOB_LIST = 'GET /repos/{owner}/{repo}/actions/runs/{run_id}/jobs';

export interface GitHubLiveStateOptions {
  /** How long answers are served while no webhooks arrive (delivery.cache.freshSeconds). */
  pollingFreshMs: number;
  /**
   * How long answers are served while webhooks arrive: the safety net against missed deliveries
   * (delivery.webhooks.safetyNetSeconds).
   */
  safetyNetMs: number;
  /** At most this many marks, runs and jobs each are kept (default 20,000). */
  maxEntries?: number;
  now?: () => number;
}

export interface GitHubLiveStateSize {
  marks: number;
  runs: number;
  jobs: number;
}

/** An overlay copy and when it was learned. */
interface Learned<T> {
  value: T;
  at: number;
}

export class GitHubLiveState implements GitHubChangeFeed {
  private readonly marks = new Map<string, number>();
  private readonly runs = new Map<string, Learned<GitHubRun>>();
  private readonly jobs = new Map<string, Learned<GitHubJob>>();
  /** Repositories with runs or jobs to lay over answers, and how many. */
  private readonly overlaid = new Map<string, number>();
  /** Everything validated before this is outdated (after marks overflowed). */
  private everythingChangedAt = 0;
  private lastHeardAt = Number.NEGATIVE_INFINITY;
  /** Since when webhooks have arrived without a gap longer than the safety net. */
  private liveSince: number | undefined;
  private readonly now: () => number;
  private readonly maxEntries: number;

  constructor(private readonly options: GitHubLiveStateOptions) {
    this.now = options.now ?? Date.now;
    this.maxEntries = options.maxEntries ?? 20_000;
  }

  /** A webhook arrived (any event, even one the dashboards ignore): deliveries are flowing. */
  heard(): void {
    const now = this.now();
    if (
      this.liveSince === undefined ||
      now - this.lastHeardAt >= this.options.safetyNetMs
    ) {
      this.liveSince = now;
    }
    this.lastHeardAt = now;
  }

  /** Whether webhooks arrived within the safety net (answers are then trusted longer). */
  get live(): boolean {
    return this.now() - this.lastHeardAt < this.options.safetyNetMs;
  }

  /** Records what one event changed in a repository of `host`. */
  apply(host: string, change: GitHubChange): void {
    const repo = repositoryKey({
      host,
      owner: change.owner,
      name: change.name,
    });
    this.mark(repo, change.scopes);
    for (const run of change.runs) {
      this.learn(this.runs, `${repo}|${run.id}`, run, compareRuns, repo);
    }
    for (const job of change.jobs) {
      this.learn(this.jobs, `${repo}|${job.id}`, job, compareJobs, repo);
    }
    this.prune();
  }

  /** Outdates scopes of a repository, e.g. `*` after the portal changed it. */
  markScopes(repo: RepositoryRef, scopes: CacheScope[]): void {
    this.mark(repositoryKey(repo), scopes);
  }

  changedAt(repo: RepositoryRef, url: string): number {
    const key = repositoryKey(repo);
    let changed = Math.max(
      this.everythingChangedAt,
      this.marks.get(`${key}|*`) ?? 0,
    );
    for (const scope of scopesOfUrl(url, repo.owner, repo.name)) {
      changed = Math.max(changed, this.marks.get(`${key}|${scope}`) ?? 0);
    }
    return changed;
  }

  freshForMs(validatedAt: number): number {
    const trusted =
      this.live &&
      this.liveSince !== undefined &&
      validatedAt >= this.liveSince;
    return trusted ? this.options.safetyNetMs : this.options.pollingFreshMs;
  }

  overlay<T>(repo: RepositoryRef, route: string, body: T): T {
    const key = repositoryKey(repo);
    if (!this.overlaid.has(key) || !body) return body;
    if (RUN_LISTS.has(route)) {
      const list = body as unknown as GitHubRunList;
      const runs = this.newer(this.runs, key, list.workflow_runs, compareRuns);
      return runs ? ({ ...list, workflow_runs: runs } as T) : body;
    }
    if (route === ONE_RUN) {
      const runs = this.newer(
        this.runs,
        key,
        [body as unknown as GitHubRun],
        compareRuns,
      );
      return runs ? (runs[0] as unknown as T) : body;
    }
    if (route === JOB_LIST) {
      const page = body as unknown as { jobs: GitHubJob[] };
      const jobs = this.newer(this.jobs, key, page.jobs, compareJobs);
      return jobs ? ({ ...page, jobs } as T) : body;
    }
    return body;
  }

  size(): GitHubLiveStateSize {
    return {
      marks: this.marks.size,
      runs: this.runs.size,
      jobs: this.jobs.size,
    };
  }

  /** The list with newer copies in place of older ones, or undefined when none is newer. */
  private newer<T extends { id: number }>(
    learned: Map<string, Learned<T>>,
    repo: string,
    items: T[] | undefined,
    compare: (a: T, b: T) => number,
  ): T[] | undefined {
    if (!items) return undefined;
    let changed = false;
    const result = items.map(item => {
      const known = learned.get(`${repo}|${item.id}`)?.value;
      if (known && compare(known, item) > 0) {
        changed = true;
        return { ...item, ...known };
      }
      return item;
    });
    return changed ? result : undefined;
  }

  private mark(repo: string, scopes: CacheScope[]): void {
    const now = this.now();
    for (const scope of scopes) {
      const key = `${repo}|${scope}`;
      this.marks.delete(key);
      this.marks.set(key, now);
    }
    if (this.marks.size > this.maxEntries) {
      // Too many to remember one by one: outdate everything instead, which is never wrong.
      this.marks.clear();
      this.everythingChangedAt = now;
    }
  }

  private learn<T>(
    learned: Map<string, Learned<T>>,
    key: string,
    value: T,
    compare: (a: T, b: T) => number,
    repo: string,
  ): void {
    const known = learned.get(key);
    if (known && compare(known.value, value) >= 0) return; // a redelivery or an older event
    if (known) learned.delete(key);
    else this.overlaid.set(repo, (this.overlaid.get(repo) ?? 0) + 1);
    learned.set(key, { value, at: this.now() });
    if (learned.size > this.maxEntries) {
      const [eldest] = learned.keys();
      this.forget(learned, eldest, true);
    }
  }

  /**
   * Forgets an overlay copy. Forgotten early (memory bound), the answers it corrected are
   * outdated too, so they are asked again rather than shown older than before.
   */
  private forget<T>(
    learned: Map<string, Learned<T>>,
    key: string,
    early: boolean,
  ): void {
    const entry = learned.get(key);
    if (!entry) return;
    learned.delete(key);
    const repo = key.slice(0, key.lastIndexOf('|'));
    const count = (this.overlaid.get(repo) ?? 1) - 1;
    if (count > 0) this.overlaid.set(repo, count);
    else this.overlaid.delete(repo);
    if (early) {
      const item = entry.value as unknown as { id: number; run_id?: number };
      this.mark(
        repo,
        item.run_id !== undefined
          ? [`jobs:${item.run_id}`]
          : ['runs', 'runs:status', `run:${item.id}`],
      );
    }
  }

  /**
   * Drops what no answer can need any more: a mark or copy older than the longest window outdates
   * only answers that have expired anyway.
   */
  private prune(): void {
    const horizon =
      this.now() -
      Math.max(this.options.pollingFreshMs, this.options.safetyNetMs);
    for (const [key, at] of this.marks) {
      if (at >= horizon) break; // insertion order is time order
      this.marks.delete(key);
    }
    for (const learned of [this.runs, this.jobs] as Array<
      Map<string, Learned<unknown>>
    >) {
      for (const [key, entry] of learned) {
        if (entry.at >= horizon) break;
        this.forget(learned, key, false);
      }
    }
  }
}

export function repositoryKey(repo: RepositoryRef): string {
  return `${repo.host}/${repo.owner}/${repo.name}`.toLowerCase();
}
