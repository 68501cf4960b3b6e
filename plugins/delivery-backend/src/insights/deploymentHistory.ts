import { DatabaseService } from '@backstage/backend-plugin-api';
import { Knex } from 'knex';
import { pluginDatabase } from '../database/pluginDatabase';
import { DeliveryFact, DeploymentPayload } from './deliveryFacts';
import { ShippedCommit } from './historyFacts';
import { HistoryQueries } from './historyQueries';
import {
  COMMITS,
  DEPLOYMENTS,
  REPOSITORIES,
  ROLLBACKS,
  RUNS,
  chunks,
  num,
  numOrNull,
  time,
} from './historyTables';

/*
 * The plugin's record of production history, in its own database: every fact is stored as it
 * arrives (DeploymentHistory.record), and what the figures need is derived then, per
 * repository — the commits each successful production deployment shipped (GitHub's compare with
 * the one before) and which of them it shipped first — so a view only reads rows.
 */

/** GitHub's compare, as the history needs it. */
export interface CommitComparer {
  /** The commits `head` has that `base` has not, oldest first. */
  compare(
    repository: string,
    base: string,
    head: string,
  ): Promise<ShippedCommit[]>;
}

/** The run a deployment status points at (Actions sets log_url to the run's job page). */
function runUrlOf(url: string | null | undefined): string | null {
  const match = /^(https?:\/\/[^?#]*\/actions\/runs\/\d+)/.exec(url ?? '');
  return match ? match[1] : null;
}

/** A run recorded going into or out of "waiting" for a review. */
export interface RunWaitChange {
  repository: string;
  runId: number;
  /** began: it waits now; ended: it waited and no longer does (reviewed, cancelled, timed out). */
  change: 'began' | 'ended';
  /** The run's status after the change. */
  status: string;
  conclusion: string | null;
  /** When GitHub last changed the run (ms). */
  updatedAt: number;
}

export type RunWaitListener = (changes: RunWaitChange[]) => Promise<void>;

export class DeploymentHistory extends HistoryQueries {
  /** Per repository, the derivation running now: facts of one repository are derived in order. */
  private readonly deriving = new Map<string, Promise<void>>();
  private readonly waitListeners: RunWaitListener[] = [];

  static async create(options: {
    database: DatabaseService;
    comparer: CommitComparer;
    /** The GitHub environment production deploys to (e.g. production). */
    productionEnvironment: string;
    /** e.g. https://github.com: links to an environment's deployment log. */
    webBaseUrl: string;
  }): Promise<DeploymentHistory> {
    const knex = await pluginDatabase(options.database);
    return new DeploymentHistory(knex, options);
  }

  constructor(
    knex: Knex,
    private readonly options: {
      comparer: CommitComparer;
      productionEnvironment: string;
      webBaseUrl: string;
    },
  ) {
    super(knex, options.productionEnvironment);
    // SQLite has one writer at a time and no row locks to ask for.
    this.locks = !/sqlite/i.test(String(knex.client.config.client));
  }

  private readonly locks: boolean;

  /**
   * Stores one fact and derives what it changes. The events path calls this for every
   * deployment, deployment_status and workflow_run webhook; the backfill for what it reads.
   */
  async record(fact: DeliveryFact): Promise<void> {
    await this.recordAll(fact.repository, [fact]);
  }

  /**
   * Tells the listener, after each recording that made them, which runs began or ended waiting
   * for a review. Whoever stored the change tells it: of two replicas recording the same
   * webhook, the second finds the run already changed.
   */
  onRunWaitChanges(listener: RunWaitListener): void {
    this.waitListeners.push(listener);
  }

  /** Stores facts of one repository, then derives once. */
  async recordAll(repository: string, facts: DeliveryFact[]): Promise<void> {
    let productionChanged = false;
    const waits: RunWaitChange[] = [];
    await this.knex.transaction(async trx => {
      for (const fact of facts) {
        if (fact.repository !== repository) {
          throw new Error(
            `A fact of ${fact.repository} recorded with ${repository}'s`,
          );
        }
        productionChanged =
          (await this.store(trx, fact, waits)) || productionChanged;
      }
      await this.bumpVersion(trx, repository);
    });
    if (waits.length) {
      await Promise.all(this.waitListeners.map(listener => listener(waits)));
    }
    if (productionChanged) await this.derive(repository);
  }

  /** Stores one fact; answers whether production's history changed. */
  private async store(
    trx: Knex.Transaction,
    fact: DeliveryFact,
    waits: RunWaitChange[],
  ): Promise<boolean> {
    switch (fact.kind) {
      case 'deployment':
        await this.storeDeployment(trx, fact.repository, fact.deployment);
        return fact.deployment.environment === this.productionEnvironment;
      case 'deployment_status': {
        await this.storeDeployment(trx, fact.repository, fact.deployment);
        const row = await trx(DEPLOYMENTS)
          .where({ id: fact.deployment.id })
          .first();
        const at = time(fact.status.created_at);
        const earliest = (current: unknown) => {
          const known = numOrNull(current);
          return known === null ? at : Math.min(known, at);
        };
        const update: Record<string, unknown> = {};
        if (fact.status.state === 'in_progress') {
          update.started_at = earliest(row.started_at);
        }
        if (fact.status.state === 'success') {
          update.succeeded_at = earliest(row.succeeded_at);
        }
        if (fact.status.state === 'failure' || fact.status.state === 'error') {
          update.failed_at = earliest(row.failed_at);
        }
        if (row.state_at === null || at >= num(row.state_at)) {
          update.state = fact.status.state;
          update.state_at = at;
        }
        const runUrl = runUrlOf(fact.status.log_url ?? fact.status.target_url);
        if (runUrl && !String(row.html_url).includes('/actions/runs/')) {
          update.html_url = runUrl;
        }
        if (Object.keys(update).length) {
          await trx(DEPLOYMENTS)
            .where({ id: fact.deployment.id })
            .update(update);
        }
        return fact.deployment.environment === this.productionEnvironment;
      }
      case 'workflow_run': {
        const run = fact.run;
        const row = {
          id: run.id,
          repository: fact.repository,
          run_number: run.run_number,
          name: (run.name ?? '').slice(0, 255),
          title: (run.display_title ?? run.name ?? '').slice(0, 512),
          workflow_path: run.path.slice(0, 255),
          branch: (run.head_branch ?? '').slice(0, 255),
          head_sha: run.head_sha,
          event: run.event,
          status: run.status ?? 'unknown',
          conclusion: run.conclusion,
          created_at: time(run.created_at),
          updated_at: time(run.updated_at),
          html_url: run.html_url.slice(0, 512),
        };
        // Locked, so that of two replicas recording the same change one sees it as a change.
        const query = trx(RUNS).where({ id: run.id });
        const known = await (this.locks ? query.forUpdate() : query).first();
        // A late webhook must not turn a finished run back into a running one.
        if (!known || num(known.updated_at) <= row.updated_at) {
          await trx(RUNS).insert(row).onConflict('id').merge();
          const was = known?.status === 'waiting';
          const is = row.status === 'waiting';
          if (was !== is) {
            waits.push({
              repository: fact.repository,
              runId: run.id,
              change: is ? 'began' : 'ended',
              status: row.status,
              conclusion: row.conclusion ?? null,
              updatedAt: row.updated_at,
            });
          }
        }
        return false;
      }
      case 'portal_rollback': {
        const rollback = fact.rollback;
        await trx(ROLLBACKS)
          .insert({
            audit_id: rollback.auditId,
            repository: fact.repository,
            entity_ref: rollback.entityRef,
            environment: rollback.environment,
            actor: rollback.actor,
            at: time(rollback.at),
            completed_at:
              rollback.completedAt === null ? null : time(rollback.completedAt),
            phase: rollback.phase,
          })
          .onConflict('audit_id')
          .merge(['completed_at', 'phase']);
        return false;
      }
      default:
        return false;
    }
  }

  private async storeDeployment(
    trx: Knex.Transaction,
    repository: string,
    deployment: DeploymentPayload,
  ): Promise<void> {
    const logUrl = `${
      this.options.webBaseUrl
    }/${repository}/deployments/${encodeURIComponent(deployment.environment)}`;
    await trx(DEPLOYMENTS)
      .insert({
        id: deployment.id,
        repository,
        environment: deployment.environment.slice(0, 255),
        sha: deployment.sha,
        ref: deployment.ref.slice(0, 255),
        task: (deployment.task ?? 'deploy').slice(0, 255),
        creator: deployment.creator?.login ?? null,
        description: deployment.description?.slice(0, 512) ?? null,
        created_at: time(deployment.created_at),
        html_url: logUrl,
      })
      .onConflict('id')
      .ignore();
  }

  private async bumpVersion(trx: Knex.Transaction, repository: string) {
    const updated = await trx(REPOSITORIES)
      .where({ repository })
      .increment('version', 1);
    if (!updated) {
      await trx(REPOSITORIES)
        .insert({ repository, version: 1 })
        .onConflict('repository')
        .ignore();
    }
  }

  /** Derives one repository's shipped commits after its production history changed; serialized per repository. */
  private derive(repository: string): Promise<void> {
    const previous = this.deriving.get(repository) ?? Promise.resolve();
    const next = previous
      .catch(() => undefined)
      .then(() => this.deriveNow(repository));
    this.deriving.set(repository, next);
    return next.finally(() => {
      if (this.deriving.get(repository) === next) {
        this.deriving.delete(repository);
      }
    });
  }

  private async deriveNow(repository: string): Promise<void> {
    const successful = await this.knex(DEPLOYMENTS)
      .where({ repository, environment: this.productionEnvironment })
      .whereNotNull('succeeded_at')
      .orderBy([
        { column: 'succeeded_at', order: 'asc' },
        { column: 'id', order: 'asc' },
      ])
      .select('id', 'sha', 'commits', 'succeeded_at');
    // What each successful production deployment shipped: compare with the one before it.
    for (let i = 0; i < successful.length; i++) {
      const row = successful[i];
      if (row.commits === 'resolved') continue;
      if (i === 0) {
        if (row.commits !== 'no-base') {
          await this.knex(DEPLOYMENTS)
            .where({ id: row.id })
            .update({ commits: 'no-base' });
        }
        continue;
      }
      const base = successful[i - 1].sha;
      const commits =
        base === row.sha
          ? []
          : await this.options.comparer.compare(repository, base, row.sha);
      await this.knex.transaction(async trx => {
        await trx(COMMITS).where({ deployment_id: row.id }).delete();
        for (const part of chunks(commits)) {
          await trx(COMMITS).insert(
            part.map(commit => ({
              deployment_id: row.id,
              repository,
              sha: commit.sha,
              committed_at: commit.committedAt,
              headline: commit.headline.slice(0, 255),
            })),
          );
        }
        await trx(DEPLOYMENTS)
          .where({ id: row.id })
          .update({ commits: 'resolved' });
      });
      row.commits = 'resolved';
    }
    await this.deriveFirstShipped(repository, successful);
  }

  /** Which deployment shipped each commit first: the earliest successful one that shipped it. */
  private async deriveFirstShipped(
    repository: string,
    successful: Array<{
      id: unknown;
      commits: string | null;
      succeeded_at: unknown;
    }>,
  ): Promise<void> {
    const order = new Map(
      successful.map((row, index) => [num(row.id), index] as const),
    );
    const commits = await this.knex(COMMITS)
      .where({ repository })
      .select('deployment_id', 'sha', 'committed_at', 'headline');
    const firstBy = new Map<string, { deploymentId: number; index: number }>();
    for (const commit of commits) {
      const deploymentId = num(commit.deployment_id);
      const index = order.get(deploymentId);
      if (index === undefined) continue;
      const known = firstBy.get(commit.sha);
      if (!known || index < known.index) {
        firstBy.set(commit.sha, { deploymentId, index });
      }
    }
    const shipped = new Map<number, ShippedCommit[]>();
    for (const commit of commits) {
      const deploymentId = num(commit.deployment_id);
      if (firstBy.get(commit.sha)?.deploymentId !== deploymentId) continue;
      const list = shipped.get(deploymentId) ?? [];
      list.push({
        sha: commit.sha,
        committedAt: num(commit.committed_at),
        headline: commit.headline,
      });
      shipped.set(deploymentId, list);
    }
    const current = await this.knex(DEPLOYMENTS)
      .where({ repository, environment: this.productionEnvironment })
      .select('id', 'commits', 'first_shipped');
    for (const row of current) {
      const id = num(row.id);
      const value =
        row.commits === 'resolved'
          ? JSON.stringify(
              (shipped.get(id) ?? []).sort(
                (a, b) => a.committedAt - b.committedAt,
              ),
            )
          : null;
      if (value !== row.first_shipped) {
        await this.knex(DEPLOYMENTS)
          .where({ id })
          .update({ first_shipped: value });
      }
    }
  }
}
