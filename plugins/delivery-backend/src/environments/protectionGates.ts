import { DatabaseService } from '@backstage/backend-plugin-api';
import { Knex } from 'knex';
import { pluginDatabase } from '../database/pluginDatabase';

/** The table the portal's protection-rule gates are kept in (migrations/…_delivery_protection_gates.js). */
export const PROTECTION_GATES_TABLE = 'delivery_protection_gates';

export type GateState = 'waiting' | 'approved' | 'rejected';

/** What a deployment_protection_rule request asked of the portal, checked. */
export interface GateRequest {
  /** owner/name, lower case. */
  repository: string;
  runId: number;
  /** The GitHub environment. */
  environment: string;
  deploymentId: number;
  callbackUrl: string;
  /** GitHub login of the run's triggering actor (the webhook's sender). */
  requester: string | null;
  /** GitHub login of the deployment's creator. */
  deploymentCreator: string | null;
  /** Epoch ms. */
  requestedAt: number;
}

/** A recorded request and how it was decided. */
export interface ProtectionGate extends GateRequest {
  id: number;
  state: GateState;
  /** The user entity ref of whoever decided it in the portal. */
  decidedBy: string | null;
  decidedAt: number | null;
  comment: string | null;
}

/** How a gate was decided. */
export interface GateDecision {
  state: Exclude<GateState, 'waiting'>;
  decidedBy: string;
  comment: string;
  at: number;
}

type GateRow = {
  id: number;
  repository: string;
  run_id: string | number;
  environment: string;
  deployment_id: string | number;
  callback_url: string;
  requester: string | null;
  deployment_creator: string | null;
  requested_at: string | number;
  state: string;
  decided_by: string | null;
  decided_at: string | number | null;
  comment: string | null;
};

function toGate(row: GateRow): ProtectionGate {
  return {
    id: row.id,
    repository: row.repository,
    runId: Number(row.run_id),
    environment: row.environment,
    deploymentId: Number(row.deployment_id),
    callbackUrl: row.callback_url,
    requester: row.requester,
    deploymentCreator: row.deployment_creator,
    requestedAt: Number(row.requested_at),
    state: row.state as GateState,
    decidedBy: row.decided_by,
    decidedAt: row.decided_at === null ? null : Number(row.decided_at),
    comment: row.comment,
  };
}

/**
 * The runs GitHub holds for the portal's custom deployment protection rule, in the database all
 * replicas share: each request as its webhook told it, and the one decision it gets. A decision
 * is written in the same transaction that answers GitHub, so of two replicas (or two clicks)
 * deciding at once, the second finds the gate decided, and a refused answer leaves it waiting.
 */
export class ProtectionGates {
  static async create(database: DatabaseService): Promise<ProtectionGates> {
    const knex = await pluginDatabase(database);
    return new ProtectionGates(knex);
  }

  constructor(private readonly knex: Knex) {}

  /** Records a request; false when the same request (same deployment) was recorded before. */
  async recordRequest(request: GateRequest): Promise<boolean> {
    const inserted = await this.knex(PROTECTION_GATES_TABLE)
      .insert({
        repository: request.repository,
        run_id: request.runId,
        environment: request.environment,
        deployment_id: request.deploymentId,
        callback_url: request.callbackUrl,
        requester: request.requester,
        deployment_creator: request.deploymentCreator,
        requested_at: request.requestedAt,
        state: 'waiting',
      })
      .onConflict(['repository', 'run_id', 'environment', 'deployment_id'])
      .ignore()
      .returning('id');
    return inserted.length === 1;
  }

  /** Every gate of a run, oldest request first. */
  async ofRun(repository: string, runId: number): Promise<ProtectionGate[]> {
    const rows: GateRow[] = await this.knex(PROTECTION_GATES_TABLE)
      .where({ repository, run_id: runId })
      .orderBy('id');
    return rows.map(toGate);
  }

  /** The gates of a repository still waiting for a decision, oldest request first. */
  async waitingIn(repository: string): Promise<ProtectionGate[]> {
    const rows: GateRow[] = await this.knex(PROTECTION_GATES_TABLE)
      .where({ repository, state: 'waiting' })
      .orderBy('id');
    return rows.map(toGate);
  }

  /**
   * Decides the waiting gate of a run's environment once: marks it decided, then `answer`s
   * GitHub, in one transaction (the row stays locked meanwhile). `already-decided` when no gate
   * of that environment waits any more; when `answer` throws, nothing is written.
   */
  async decide(
    repository: string,
    runId: number,
    environment: string,
    decision: GateDecision,
    answer: () => Promise<void>,
  ): Promise<'decided' | 'already-decided'> {
    return this.knex.transaction(async trx => {
      const updated = await trx(PROTECTION_GATES_TABLE)
        .where({ repository, run_id: runId, environment, state: 'waiting' })
        .update({
          state: decision.state,
          decided_by: decision.decidedBy,
          decided_at: decision.at,
          comment: decision.comment,
        });
      if (updated === 0) return 'already-decided';
      await answer();
      return 'decided';
    });
  }
}
