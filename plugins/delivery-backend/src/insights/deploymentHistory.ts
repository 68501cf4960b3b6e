import {
  DatabaseService,
  resolvePackagePath,
} from '@backstage/backend-plugin-api';
import { Knex } from 'knex';
import { DeliveryFact, DeploymentPayload } from './deliveryFacts';
import {
  DeploymentFacts,
  PortalRollbackFacts,
  RepositoryHistory,
  ShippedCommit,
} from './historyFacts';

/*
 * The plugin's record of production history, in its own database: every fact is stored as it
 * arrives (DeploymentHistory.record), and what the figures need is derived then, per
 * repository — the commits each successful production deployment shipped (GitHub's compare with
 * the one before) and which of them it shipped first — so a view only reads rows.
 */

const REPOSITORIES = 'delivery_insights_repositories';
const DEPLOYMENTS = 'delivery_insights_deployments';
const COMMITS = 'delivery_insights_commits';
const RUNS = 'delivery_insights_runs';
const ROLLBACKS = 'delivery_insights_rollbacks';

/** Lists of ids or names are queried in chunks of this many (SQLite's parameter limit). */
const CHUNK = 500;

/** GitHub's compare, as the history needs it. */
export interface CommitComparer {
  /** The commits `head` has that `base` has not, oldest first. */
  compare(repository: string, base: string, head: string): Promise<ShippedCommit[]>;
}

export interface RepositoryState {
  repository: string;
  defaultBranch: string | null;
  backfilledAt: number | null;
  syncedAt: number | null;
  version: number;
  criticalFindings: number | null;
}

export interface StoredRun {
  id: number;
  repository: string;
  runNumber: number;
  name: string;
  title: string;
  workflowPath: string;
  branch: string;
  headSha: string;
  event: string;
  status: string;
  conclusion: string | null;
  createdAt: number;
  updatedAt: number;
  htmlUrl: string;
}

export interface StoredDeployment {
  id: number;
  repository: string;
  environment: string;
  sha: string;
  ref: string;
  task: string;
  creator: string | null;
  description: string | null;
  createdAt: number;
  state: string | null;
  stateAt: number | null;
}

export interface StoredRollback extends PortalRollbackFacts {
  entityRef: string;
  environment: string;
}

const num = (value: unknown): number => Number(value);
const numOrNull = (value: unknown): number | null =>
  value === null || value === undefined ? null : Number(value);
const time = (iso: string) => Date.parse(iso);

function chunks<T>(items: T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += CHUNK) out.push(items.slice(i, i + CHUNK));
  return out;
}

/** The run a deployment status points at (Actions sets log_url to the run's job page). */
function runUrlOf(url: string | null | undefined): string | null {
  const match = /^(https?:\/\/[^?#]*\/actions\/runs\/\d+)/.exec(url ?? '');
  return match ? match[1] : null;
}

export class DeploymentHistory {
  /** Per repository, the derivation running now: facts of one repository are derived in order. */
  private readonly deriving = new Map<string, Promise<void>>();

  static async create(options: {
    database: DatabaseService;
    comparer: CommitComparer;
    /** The GitHub environment production deploys to (e.g. production). */
    productionEnvironment: string;
    /** e.g. https://github.com: links to an environment's deployment log. */
    webBaseUrl: string;
  }): Promise<DeploymentHistory> {
    const knex = await options.database.getClient();
    if (!options.database.migrations?.skip) {
      await knex.migrate.latest({
        directory: resolvePackagePath(
          '@internal/plugin-delivery-backend',
          'migrations',
        ),
      });
    }
    return new DeploymentHistory(knex, options);
  }

  constructor(
    private readonly knex: Knex,
    private readonly options: {
      comparer: CommitComparer;
      productionEnvironment: string;
      webBaseUrl: string;
    },
  ) {}

  get productionEnvironment(): string {
    return this.options.productionEnvironment;
  }

  /**
   * Stores one fact and derives what it changes. The events path calls this for every
   * deployment, deployment_status and workflow_run webhook; the backfill for what it reads.
   */
  async record(fact: DeliveryFact): Promise<void> {
    await this.recordAll(fact.repository, [fact]);
  }

  /** Stores facts of one repository, then derives once. */
  async recordAll(repository: string, facts: DeliveryFact[]): Promise<void> {
    let productionChanged = false;
    await this.knex.transaction(async trx => {
      for (const fact of facts) {
        if (fact.repository !== repository) {
          throw new Error(
            `A fact of ${fact.repository} recorded with ${repository}'s`,
          );
        }
        productionChanged =
          (await this.store(trx, fact)) || productionChanged;
      }
      await this.bumpVersion(trx, repository);
    });
    if (productionChanged) await this.derive(repository);
  }

  /** Stores one fact; answers whether production's history changed. */
  private async store(trx: Knex.Transaction, fact: DeliveryFact): Promise<boolean> {
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
          await trx(DEPLOYMENTS).where({ id: fact.deployment.id }).update(update);
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
        const known = await trx(RUNS).where({ id: run.id }).first();
        // A late webhook must not turn a finished run back into a running one.
        if (!known || num(known.updated_at) <= row.updated_at) {
          await trx(RUNS).insert(row).onConflict('id').merge();
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
    const logUrl = `${this.options.webBaseUrl}/${repository}/deployments/${encodeURIComponent(
      deployment.environment,
    )}`;
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
    successful: Array<{ id: unknown; commits: string | null; succeeded_at: unknown }>,
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
              (shipped.get(id) ?? []).sort((a, b) => a.committedAt - b.committedAt),
            )
          : null;
      if (value !== row.first_shipped) {
        await this.knex(DEPLOYMENTS).where({ id }).update({ first_shipped: value });
      }
    }
  }

  // -------------------------------------------------------------------------------------------
  // Reads

  async setRepositoryState(
    repository: string,
    state: Partial<Omit<RepositoryState, 'repository' | 'version'>>,
  ): Promise<void> {
    const row: Record<string, unknown> = {};
    if (state.defaultBranch !== undefined) row.default_branch = state.defaultBranch;
    if (state.backfilledAt !== undefined) row.backfilled_at = state.backfilledAt;
    if (state.syncedAt !== undefined) row.synced_at = state.syncedAt;
    if (state.criticalFindings !== undefined) {
      row.critical_findings = state.criticalFindings;
    }
    await this.knex(REPOSITORIES)
      .insert({ repository, version: 0, ...row })
      .onConflict('repository')
      .merge(Object.keys(row));
  }

  async repositoryStates(
    repositories: string[],
  ): Promise<Map<string, RepositoryState>> {
    const states = new Map<string, RepositoryState>();
    for (const part of chunks(repositories)) {
      const rows = await this.knex(REPOSITORIES).whereIn('repository', part);
      for (const row of rows) {
        states.set(row.repository, {
          repository: row.repository,
          defaultBranch: row.default_branch,
          backfilledAt: numOrNull(row.backfilled_at),
          syncedAt: numOrNull(row.synced_at),
          version: num(row.version),
          criticalFindings: numOrNull(row.critical_findings),
        });
      }
    }
    return states;
  }

  /** Every repository the history keeps. */
  async knownRepositories(): Promise<RepositoryState[]> {
    const rows = await this.knex(REPOSITORIES).select('repository');
    return [
      ...(await this.repositoryStates(rows.map(r => r.repository))).values(),
    ];
  }

  /**
   * The production history of each repository since `since`, with the last successful
   * deployment before it (what was live when the period began).
   */
  async histories(
    repositories: string[],
    since: number,
  ): Promise<RepositoryHistory[]> {
    const environment = this.productionEnvironment;
    const rows: any[] = [];
    const rollbacks: any[] = [];
    for (const part of chunks(repositories)) {
      rows.push(
        ...(await this.knex(DEPLOYMENTS)
          .whereIn('repository', part)
          .andWhere({ environment })
          .andWhere(q =>
            q
              .where('succeeded_at', '>=', since)
              .orWhere('failed_at', '>=', since)
              .orWhere(inner =>
                inner
                  .whereNull('succeeded_at')
                  .whereNull('failed_at')
                  .where('created_at', '>=', since),
              ),
          )),
      );
      const lastBefore = this.knex(DEPLOYMENTS)
        .whereIn('repository', part)
        .andWhere({ environment })
        .andWhere('succeeded_at', '<', since)
        .groupBy('repository')
        .select('repository')
        .max({ at: 'succeeded_at' });
      const live = await this.knex(`${DEPLOYMENTS} as d`)
        .join(lastBefore.as('l'), join =>
          join
            .on('d.repository', '=', 'l.repository')
            .andOn('d.succeeded_at', '=', 'l.at'),
        )
        .where('d.environment', environment)
        .select('d.*');
      rows.push(...live);
      rollbacks.push(
        ...(await this.knex(ROLLBACKS)
          .whereIn('repository', part)
          .andWhere('at', '>=', since)),
      );
    }
    const histories = new Map<string, RepositoryHistory>(
      repositories.map(repository => [
        repository,
        { repository, deployments: [], portalRollbacks: [] },
      ]),
    );
    const seen = new Set<number>();
    for (const row of rows) {
      const id = num(row.id);
      if (seen.has(id)) continue;
      seen.add(id);
      histories.get(row.repository)?.deployments.push(this.toFacts(row));
    }
    for (const row of rollbacks) {
      histories.get(row.repository)?.portalRollbacks.push({
        id: num(row.audit_id),
        repository: row.repository,
        at: num(row.at),
        completedAt: numOrNull(row.completed_at),
        phase: row.phase,
        actor: row.actor,
      });
    }
    return [...histories.values()];
  }

  private toFacts(row: any): DeploymentFacts {
    const statuses = [];
    const succeededAt = numOrNull(row.succeeded_at);
    const failedAt = numOrNull(row.failed_at);
    if (succeededAt !== null) statuses.push({ state: 'success', at: succeededAt });
    if (failedAt !== null) statuses.push({ state: 'failure', at: failedAt });
    return {
      id: num(row.id),
      repository: row.repository,
      environment: row.environment,
      sha: row.sha,
      ref: row.ref,
      task: row.task,
      createdAt: num(row.created_at),
      statuses,
      firstShipped:
        row.first_shipped === null || row.first_shipped === undefined
          ? null
          : JSON.parse(row.first_shipped),
      htmlUrl: row.html_url,
    };
  }

  /** Pipeline runs of the repositories created since `since`, newest first. */
  async runs(repositories: string[], since: number): Promise<StoredRun[]> {
    const rows: any[] = [];
    for (const part of chunks(repositories)) {
      rows.push(
        ...(await this.knex(RUNS)
          .whereIn('repository', part)
          .andWhere('created_at', '>=', since)),
      );
    }
    return rows.map(toRun).sort((a, b) => b.createdAt - a.createdAt);
  }

  /** Each repository's newest run on `branchOf(repository)`. */
  async latestRuns(
    repositories: string[],
    branchOf: (repository: string) => string | null,
  ): Promise<Map<string, StoredRun>> {
    const latest = new Map<string, StoredRun>();
    for (const repository of repositories) {
      const branch = branchOf(repository);
      let query = this.knex(RUNS).where({ repository });
      if (branch) query = query.andWhere({ branch });
      const row = await query
        .orderBy([
          { column: 'created_at', order: 'desc' },
          { column: 'id', order: 'desc' },
        ])
        .first();
      if (row) latest.set(repository, toRun(row));
    }
    return latest;
  }

  /** Runs waiting for a review, as last recorded, newest first. */
  async waitingRuns(): Promise<StoredRun[]> {
    const rows = await this.knex(RUNS)
      .where({ status: 'waiting' })
      .orderBy('created_at', 'desc')
      .limit(200);
    return rows.map(toRun);
  }

  /** The newest production deployments and portal rollbacks of the repositories (all when omitted). */
  async recent(
    limit: number,
    repositories?: string[],
  ): Promise<{ deployments: StoredDeployment[]; rollbacks: StoredRollback[] }> {
    let deployments = this.knex(DEPLOYMENTS)
      .where({ environment: this.productionEnvironment })
      .orderBy([
        { column: 'created_at', order: 'desc' },
        { column: 'id', order: 'desc' },
      ])
      .limit(limit);
    let rollbacks = this.knex(ROLLBACKS).orderBy('at', 'desc').limit(limit);
    if (repositories) {
      deployments = deployments.whereIn('repository', repositories.slice(0, CHUNK));
      rollbacks = rollbacks.whereIn('repository', repositories.slice(0, CHUNK));
    }
    return {
      deployments: (await deployments).map(row => ({
        id: num(row.id),
        repository: row.repository,
        environment: row.environment,
        sha: row.sha,
        ref: row.ref,
        task: row.task,
        creator: row.creator,
        description: row.description,
        createdAt: num(row.created_at),
        state: row.state,
        stateAt: numOrNull(row.state_at),
      })),
      rollbacks: (await rollbacks).map(row => ({
        id: num(row.audit_id),
        repository: row.repository,
        entityRef: row.entity_ref,
        environment: row.environment,
        at: num(row.at),
        completedAt: numOrNull(row.completed_at),
        phase: row.phase,
        actor: row.actor,
      })),
    };
  }

  /** The newest audit id of a portal rollback recorded, 0 for none. */
  async lastPortalRollbackId(): Promise<number> {
    const row = await this.knex(ROLLBACKS).max({ id: 'audit_id' }).first();
    return numOrNull(row?.id) ?? 0;
  }

  /** Portal rollbacks whose rollout was still progressing when last recorded. */
  async progressingPortalRollbacks(): Promise<number[]> {
    const rows = await this.knex(ROLLBACKS)
      .where({ phase: 'progressing' })
      .select('audit_id');
    return rows.map(row => num(row.audit_id));
  }
}

function toRun(row: any): StoredRun {
  return {
    id: num(row.id),
    repository: row.repository,
    runNumber: num(row.run_number),
    name: row.name,
    title: row.title,
    workflowPath: row.workflow_path,
    branch: row.branch,
    headSha: row.head_sha,
    event: row.event,
    status: row.status,
    conclusion: row.conclusion,
    createdAt: num(row.created_at),
    updatedAt: num(row.updated_at),
    htmlUrl: row.html_url,
  };
}
