import { HookRecord, WorldState } from '../../world/records';
import { projectJob } from '../../world/jobProjection';
import {
  findRepositoryById,
  jobsOfRun,
  recordsOf,
} from '../../world/repositoryIndex';
import { RepositoryPush, RepositoryStore } from '../hosting/repositoryStore';
import { ChangeFeed } from './changeFeed';
import {
  PayloadContext,
  pushEvent,
  repositoryContext,
} from './webhookPayloads';
import { WebhookSender } from './webhookSender';

/*
 * Tells hooks what happens, as it happens. A repository is looked at (ChangeFeed) when something
 * changes it — a write through the API, a push, a run the runner starts — and then every
 * POLL_MS while time is still revealing its records (runs queued or in progress, statuses due),
 * and for a short while after any change: what a review or a re-run sets in motion reaches the
 * hooks within a poll of happening. Repositories nobody changes cost nothing.
 */

const POLL_MS = 200;
/** How long a repository is looked at after a change even when it seems settled. */
const AFTER_CHANGE_MS = 3_000;

export class Hookshot {
  private readonly feed = new ChangeFeed();
  /** Repositories being watched, until (ms) — or while unsettled. */
  private readonly watched = new Map<number, number>();
  private timer: NodeJS.Timeout | undefined;
  private scheduled = false;
  private closed = false;

  constructor(
    private readonly options: {
      state: () => WorldState;
      repositories: RepositoryStore;
      apiUrl: () => string;
      sender: WebhookSender;
    },
  ) {}

  /** Something changed `repositoryId`: look at it now and for a while. */
  touch(repositoryId: number): void {
    if (this.closed || !this.heard(repositoryId)) return;
    this.watched.set(repositoryId, Date.now() + AFTER_CHANGE_MS);
    if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(() => {
        this.scheduled = false;
        this.look();
      });
    }
    this.timer ??= setInterval(() => this.look(), POLL_MS);
  }

  /** A new or changed hook: every repository it hears starts from now. */
  hookChanged(hook: HookRecord): void {
    for (const id of this.repositoryIds()) {
      if (this.hears(hook, id)) {
        this.feed.forget(id);
        this.touch(id);
      }
    }
  }

  /** A push to a repository created through the API: the push event, before its runs'. */
  async pushed(push: RepositoryPush): Promise<void> {
    const record = this.options.repositories.find(push.owner, push.repo);
    if (!record || !this.heard(record.id) || push.after === null) return;
    const head = await this.options.repositories.git(record).commit(push.after);
    const scoped = repositoryContext(this.context(), record.id);
    if (!scoped) return;
    this.options.sender.dispatch(pushEvent(scoped, push, [head]));
  }

  close(): void {
    this.closed = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    this.watched.clear();
  }

  private context(): PayloadContext {
    return {
      state: this.options.state(),
      apiUrl: this.options.apiUrl(),
      now: Date.now(),
      repositories: this.options.repositories,
    };
  }

  private look(): void {
    if (this.closed) return;
    const base = this.context();
    for (const event of this.feed.reviews(base)) {
      this.options.sender.dispatch(event);
    }
    for (const [id, until] of [...this.watched]) {
      const since = this.heardSince(id);
      if (since === undefined) {
        this.watched.delete(id);
        this.feed.forget(id);
        continue;
      }
      for (const event of this.feed.changes(base, id, since)) {
        this.options.sender.dispatch(event);
      }
      if (base.now > until && this.settled(base, id)) this.watched.delete(id);
    }
    if (this.watched.size === 0 && this.timer) {
      clearInterval(this.timer);
      this.timer = undefined;
    }
  }

  /** Nothing in the repository is still being revealed by time. */
  private settled(base: PayloadContext, repositoryId: number): boolean {
    const records = recordsOf(base.state, repositoryId);
    const unsettledRun = records.runs.some(run =>
      jobsOfRun(base.state, run.id).some(job => {
        const status = projectJob(job, base.now).status;
        return status === 'queued' || status === 'in_progress';
      }),
    );
    const statusDue = records.deployments.some(deployment =>
      deployment.statuses.some(
        status => Date.parse(status.createdAt) > base.now,
      ),
    );
    return !unsettledRun && !statusDue;
  }

  private hears(hook: HookRecord, repositoryId: number): boolean {
    if (!hook.active) return false;
    if ('repositoryId' in hook.scope) {
      return hook.scope.repositoryId === repositoryId;
    }
    const owner = this.ownerOf(repositoryId);
    return (
      owner !== undefined &&
      owner.toLowerCase() === hook.scope.organization.toLowerCase()
    );
  }

  private heard(repositoryId: number): boolean {
    return this.options
      .state()
      .hooks.some(hook => this.hears(hook, repositoryId));
  }

  /** When the first active hook that hears the repository was created (ms). */
  private heardSince(repositoryId: number): number | undefined {
    const times = this.options
      .state()
      .hooks.filter(hook => this.hears(hook, repositoryId))
      .map(hook => Date.parse(hook.updatedAt));
    return times.length > 0 ? Math.min(...times) : undefined;
  }

  private ownerOf(repositoryId: number): string | undefined {
    const held = findRepositoryById(this.options.state(), repositoryId);
    if (held) return held.owner;
    return this.options.repositories
      .list()
      .find(record => record.id === repositoryId)?.owner;
  }

  /** Every repository with records, and every one created through the API. */
  private repositoryIds(): Set<number> {
    const state = this.options.state();
    const ids = new Set<number>(
      [state.repository, ...(state.generatedRepositories ?? [])].map(
        repository => repository.id,
      ),
    );
    for (const list of [state.runs, state.deployments, state.alerts]) {
      for (const record of list) ids.add(record.repositoryId);
    }
    for (const record of this.options.repositories.list()) ids.add(record.id);
    return ids;
  }
}
