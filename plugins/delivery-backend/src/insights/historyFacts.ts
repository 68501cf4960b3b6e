/*
 * The production history the four keys are computed from, as the store hands it over: plain
 * values, times in epoch milliseconds. A leaf module: it imports nothing of its siblings.
 */

/** One deployment status of a production deployment. */
export interface StatusFact {
  /** GitHub's state: success, failure, error, inactive, in_progress, queued, pending, waiting */
  state: string;
  at: number;
}

/** A commit a deployment shipped for the first time. */
export interface ShippedCommit {
  sha: string;
  /** The committer's date (when the commit landed), epoch ms. */
  committedAt: number;
  /** The first line of its message. */
  headline: string;
}

/** One GitHub deployment to the production environment of a repository. */
export interface DeploymentFacts {
  id: number;
  /** owner/name */
  repository: string;
  environment: string;
  sha: string;
  ref: string;
  /** GitHub's deployment task (`deploy`, `deploy:rollback`, ...). */
  task: string;
  createdAt: number;
  statuses: StatusFact[];
  /**
   * Commits it shipped that no earlier production deployment of the repository shipped; null
   * when unknown (no earlier production deployment to compare with, or not resolved yet).
   */
  firstShipped: ShippedCommit[] | null;
  /** Where people can check it: the run that made it, or the environment's deployment log. */
  htmlUrl: string;
}

/** A rollback of the production environment made in the portal (the audit trail). */
export interface PortalRollbackFacts {
  /** The audit entry's id. */
  id: number;
  repository: string;
  at: number;
  /** When its rollout completed; null while progressing, or when it stalled. */
  completedAt: number | null;
  /** The rollout's phase as last recorded (progressing, complete, stalled, paused). */
  phase: string | null;
  actor: string;
}

/** How failures are recognised. */
export interface FailureSettings {
  /** A fix that goes live within this long after a change marks the change failed. */
  fixWindowMs: number;
  /** Refs and commit headlines that make a change a fix. */
  fixPattern: RegExp;
}

/** A repository's production history over some period. */
export interface RepositoryHistory {
  repository: string;
  deployments: DeploymentFacts[];
  portalRollbacks: PortalRollbackFacts[];
}
