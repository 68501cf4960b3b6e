import {
  AuditEntry,
  DeliveryEnvironment,
} from '@internal/plugin-delivery-common';

/** One line of an environment's history: a GitHub deployment or an audit-trail entry. */
export interface HistoryEvent {
  id: string;
  at: string;
  kind: 'deploy' | 'approve' | 'reject' | 'rollback';
  /** Who: the GitHub creator of a deployment, the Backstage user of an audit entry. */
  actor: string | null;
  /** What changed: the commit deployed, or from → to. */
  change: string;
  /** success / failure / in_progress, or the audit result (succeeded, no-op, denied, failed). */
  result: string;
  /** The deploy's description, or the reason/comment and any error. */
  note: string | null;
  /** Links a deploy's logs on GitHub. */
  url: string | null;
}

function auditChange(entry: AuditEntry): string {
  if (entry.action === 'rollback') {
    return `${entry.from ?? '?'} → ${entry.to ?? '?'}`;
  }
  return entry.runId !== null ? `run ${entry.runId}` : entry.to ?? '';
}

function auditResult(entry: AuditEntry): string {
  if (entry.permission === 'denied') return 'denied';
  if (entry.action === 'rollback' && entry.result === 'succeeded') {
    return entry.rolloutStatus
      ? `succeeded (rollout ${entry.rolloutStatus})`
      : 'succeeded';
  }
  return entry.result;
}

/**
 * An environment's history, newest first: its GitHub deployments and the audit entries about it
 * (approvals and rejections name the GitHub environment or ours, rollbacks ours).
 */
export function environmentHistory(
  environment: DeliveryEnvironment,
  audit: AuditEntry[],
): HistoryEvent[] {
  const deploys: HistoryEvent[] = environment.githubDeployments.map(d => ({
    id: `deployment-${d.id}`,
    at: d.createdAt,
    kind: 'deploy',
    actor: d.creator,
    change: `${d.ref} @ ${d.sha.slice(0, 7)}`,
    result: d.state ?? 'no status',
    note: d.description ?? d.statuses[0]?.description ?? null,
    url: d.statuses.find(s => s.logUrl)?.logUrl ?? null,
  }));
  const names = new Set([environment.name, environment.githubEnvironment]);
  const entries: HistoryEvent[] = audit
    .filter(entry => names.has(entry.environment))
    .map(entry => ({
      id: `audit-${entry.id}`,
      at: entry.at,
      kind: entry.action,
      actor: entry.actorDisplayName ?? entry.actor,
      change: auditChange(entry),
      result: auditResult(entry),
      note: [entry.reason, entry.error].filter(Boolean).join(' — ') || null,
      url: null,
    }));
  return [...deploys, ...entries].sort(
    (a, b) => Date.parse(b.at) - Date.parse(a.at),
  );
}
