import { DatabaseService } from '@backstage/backend-plugin-api';
import {
  AuditAction,
  AuditEntry,
  AuditResult,
  RolloutPhase,
} from '@internal/plugin-delivery-common';
import { Knex } from 'knex';
import { pluginDatabase } from '../database/pluginDatabase';

const TABLE = 'delivery_audit';

export type NewAuditEntry = Omit<
  AuditEntry,
  'id' | 'rolloutStatus' | 'completedAt'
> &
  Partial<Pick<AuditEntry, 'rolloutStatus' | 'completedAt'>>;

interface AuditRow {
  id: number;
  at: string;
  actor: string;
  actor_display_name: string | null;
  entity_ref: string;
  environment: string;
  action: string;
  from_text: string | null;
  to_text: string | null;
  from_revision: number | null;
  to_revision: number | null;
  run_id: number | string | null;
  reason: string | null;
  permission: string;
  result: string;
  error: string | null;
  rollout_status: string | null;
  completed_at: string | null;
}

function toEntry(row: AuditRow): AuditEntry {
  return {
    id: Number(row.id),
    at: row.at,
    actor: row.actor,
    actorDisplayName: row.actor_display_name,
    entityRef: row.entity_ref,
    environment: row.environment,
    action: row.action as AuditAction,
    from: row.from_text,
    to: row.to_text,
    fromRevision: row.from_revision === null ? null : Number(row.from_revision),
    toRevision: row.to_revision === null ? null : Number(row.to_revision),
    runId: row.run_id === null ? null : Number(row.run_id),
    reason: row.reason,
    permission: row.permission as AuditEntry['permission'],
    result: row.result as AuditResult,
    error: row.error,
    rolloutStatus: row.rollout_status as RolloutPhase | null,
    completedAt: row.completed_at,
  };
}

/** The plugin's own record of approve/reject/rollback attempts, readable per entity. */
export class AuditTrail {
  static async create(database: DatabaseService): Promise<AuditTrail> {
    const knex = await pluginDatabase(database);
    return new AuditTrail(knex);
  }

  constructor(private readonly knex: Knex) {}

  async record(entry: NewAuditEntry): Promise<number> {
    const [inserted] = await this.knex(TABLE).insert(
      {
        at: entry.at,
        actor: entry.actor,
        actor_display_name: entry.actorDisplayName,
        entity_ref: entry.entityRef,
        environment: entry.environment,
        action: entry.action,
        from_text: entry.from?.slice(0, 512) ?? null,
        to_text: entry.to?.slice(0, 512) ?? null,
        from_revision: entry.fromRevision,
        to_revision: entry.toRevision,
        run_id: entry.runId,
        reason: entry.reason,
        permission: entry.permission,
        result: entry.result,
        error: entry.error,
        rollout_status: entry.rolloutStatus ?? null,
        completed_at: entry.completedAt ?? null,
      },
      ['id'],
    );
    return Number(typeof inserted === 'object' ? inserted.id : inserted);
  }

  /**
   * Records how an applied rollback's rollout ended. Only a row still progressing changes, so
   * replicas following the same rollout agree on the first answer.
   */
  async rolloutFinished(
    id: number,
    status: RolloutPhase,
    completedAt: string | null,
  ): Promise<void> {
    await this.knex(TABLE)
      .where({ id, rollout_status: 'progressing' })
      .update({ rollout_status: status, completed_at: completedAt });
  }

  /** Applied rollbacks whose rollout no process recorded the end of, oldest first. */
  async unfinishedRollouts(): Promise<AuditEntry[]> {
    const rows = await this.knex<AuditRow>(TABLE)
      .where({ action: 'rollback', rollout_status: 'progressing' })
      .orderBy('id', 'asc');
    return rows.map(toEntry);
  }

  /**
   * Applied rollbacks of one environment after the entry `afterId`, and those of `ids` (to see
   * how their rollouts ended), oldest first.
   */
  async rollbacks(query: {
    environment: string;
    afterId: number;
    ids: number[];
  }): Promise<AuditEntry[]> {
    const rows = await this.knex<AuditRow>(TABLE)
      .where({
        action: 'rollback',
        result: 'succeeded',
        environment: query.environment,
      })
      .andWhere(q =>
        q.where('id', '>', query.afterId).orWhereIn('id', query.ids),
      )
      .orderBy('id', 'asc')
      .limit(1000);
    return rows.map(toEntry);
  }

  async list(query: {
    entityRef: string;
    environment?: string;
    action?: AuditAction;
    limit: number;
    before?: number;
  }): Promise<{ entries: AuditEntry[]; nextBefore: number | null }> {
    let select = this.knex<AuditRow>(TABLE).where(
      'entity_ref',
      query.entityRef,
    );
    if (query.environment)
      select = select.where('environment', query.environment);
    if (query.action) select = select.where('action', query.action);
    if (query.before !== undefined)
      select = select.where('id', '<', query.before);
    const rows = await select.orderBy('id', 'desc').limit(query.limit + 1);
    const entries = rows.slice(0, query.limit).map(toEntry);
    return {
      entries,
      nextBefore:
        rows.length > query.limit ? entries[entries.length - 1].id : null,
    };
  }
}
