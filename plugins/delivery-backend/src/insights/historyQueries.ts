import { Knex } from 'knex';
import { PROTECTION_GATES_TABLE } from '../environments/protectionGates';
import {
  DeploymentFacts,
  PortalRollbackFacts,
  RepositoryHistory,
} from './historyFacts';
import {
  CHUNK,
  DEPLOYMENTS,
  REPOSITORIES,
  ROLLBACKS,
  RUNS,
  chunks,
  num,
  numOrNull,
} from './historyTables';

/*
 * What the views read from the stored history: a repository's state, production history over a
 * period, pipeline runs, and the newest deployments and rollbacks. deploymentHistory.ts writes.
 */

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

export class HistoryQueries {
  constructor(
    protected readonly knex: Knex,
    /** The GitHub environment production deploys to (e.g. production). */
    readonly productionEnvironment: string,
  ) {}

  async setRepositoryState(
    repository: string,
    state: Partial<Omit<RepositoryState, 'repository' | 'version'>>,
  ): Promise<void> {
    const row: Record<string, unknown> = {};
    if (state.defaultBranch !== undefined)
      row.default_branch = state.defaultBranch;
    if (state.backfilledAt !== undefined)
      row.backfilled_at = state.backfilledAt;
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
    const statuses: DeploymentFacts['statuses'] = [];
    const startedAt = numOrNull(row.started_at);
    if (startedAt !== null) {
      statuses.push({ state: 'in_progress', at: startedAt });
    }
    const succeededAt = numOrNull(row.succeeded_at);
    const failedAt = numOrNull(row.failed_at);
    if (succeededAt !== null)
      statuses.push({ state: 'success', at: succeededAt });
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

  /** One run as last recorded, if it was. */
  async storedRun(id: number): Promise<StoredRun | undefined> {
    const row = await this.knex(RUNS).where({ id }).first();
    return row ? toRun(row) : undefined;
  }

  /** The runs of one repository last recorded waiting for a review. */
  async waitingRunIds(repository: string): Promise<number[]> {
    const rows: { id: number | string }[] = await this.knex(RUNS)
      .select('id')
      .where({ repository, status: 'waiting' });
    return rows.map(row => Number(row.id));
  }

  /**
   * The repositories with a run waiting for a review, as last recorded, and those with a run
   * waiting on the portal's own protection rule (its App may be the only one told of it).
   */
  async waitingRepositories(): Promise<string[]> {
    const rows: { repository: string }[] = await this.knex
      .select('repository')
      .from(RUNS)
      .where({ status: 'waiting' })
      .union(gates =>
        gates
          .select('repository')
          .from(PROTECTION_GATES_TABLE)
          .where({ state: 'waiting' }),
      );
    return [...new Set(rows.map(row => row.repository))];
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
      deployments = deployments.whereIn(
        'repository',
        repositories.slice(0, CHUNK),
      );
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
