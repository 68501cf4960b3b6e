import { AuditTrail } from '../environments/auditTrail';
import { DeploymentHistory } from './deploymentHistory';

/*
 * The portal's own rollbacks of production, carried from the audit trail into the history: each
 * applied rollback once, and again when its rollout ends (the audit entry says progressing until
 * then). Cheap when nothing changed: one indexed query.
 */
export class PortalRollbackFeed {
  private syncing: Promise<void> | undefined;

  constructor(
    private readonly options: {
      auditTrail: AuditTrail;
      history: DeploymentHistory;
      /** Our name of the production environment, as audit entries carry it (e.g. prod). */
      environment: string;
      /** The `owner/name` an entity's repository annotation names; null when none. */
      repositoryOf: (entityRef: string) => Promise<string | null>;
    },
  ) {}

  /** Carries new and finished rollbacks over. Views call it on every request: concurrent calls share one. */
  async sync(): Promise<void> {
    this.syncing ??= this.carryOver().finally(() => {
      this.syncing = undefined;
    });
    await this.syncing;
  }

  private async carryOver(): Promise<void> {
    const { auditTrail, history, environment } = this.options;
    const entries = await auditTrail.rollbacks({
      environment,
      afterId: await history.lastPortalRollbackId(),
      ids: await history.progressingPortalRollbacks(),
    });
    for (const entry of entries) {
      const repository = await this.options.repositoryOf(entry.entityRef);
      if (!repository) continue;
      await history.record({
        kind: 'portal_rollback',
        repository,
        rollback: {
          auditId: entry.id,
          entityRef: entry.entityRef,
          environment: entry.environment,
          actor: entry.actor,
          at: entry.at,
          phase: entry.rolloutStatus,
          completedAt: entry.completedAt,
        },
      });
    }
  }
}
