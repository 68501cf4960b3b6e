/*
 * The environments half of the delivery API: what runs in each of an entity's environments
 * (Kubernetes + GitHub deployments), production approvals, one-click rollback with its live
 * progress, and the audit trail of every approve/reject/rollback attempt.
 *
 * Timestamps are ISO 8601 strings (UTC). Failures use Backstage's standard error body
 * (`{ error: { name, message, details? } }`) with `details.reason` a {@link DeliveryErrorReason}.
 */

import { DeliveryErrorReason } from './errors';

// ---------------------------------------------------------------------------------------------
// Environments

/**
 * - `healthy`: the rollout is complete and every desired replica is available
 * - `progressing`: a rollout is under way
 * - `degraded`: fewer replicas are available than desired, and no rollout explains it
 * - `stalled`: the rollout exceeded its progress deadline (ProgressDeadlineExceeded)
 * - `paused`: the Deployment is paused (rollbacks are refused)
 * - `missing`: no such Deployment in the namespace
 * - `unknown`: the cluster could not be read (see `kubernetesError`)
 */
export type EnvironmentHealth =
  | 'healthy'
  | 'progressing'
  | 'degraded'
  | 'stalled'
  | 'paused'
  | 'missing'
  | 'unknown';

export type RolloutPhase = 'progressing' | 'complete' | 'stalled' | 'paused';

export interface DeploymentCondition {
  /** Progressing, Available, ReplicaFailure */
  type: string;
  status: 'True' | 'False' | 'Unknown';
  reason: string | null;
  message: string | null;
  lastUpdateTime: string | null;
  lastTransitionTime: string | null;
}

export interface ReplicaCounts {
  desired: number;
  /** Replicas running the Deployment's current pod template. */
  updated: number;
  ready: number;
  available: number;
  unavailable: number;
}

/** The rollout of the environment's Deployment, as `kubectl rollout status` judges it. */
export interface RolloutStatus {
  environment: string;
  namespace: string;
  deploymentName: string;
  /** The Deployment's `deployment.kubernetes.io/revision`. */
  revision: number;
  image: string;
  phase: RolloutPhase;
  /** One line for people: "2 of 3 updated replicas are available", "ReplicaSet ... has timed out progressing." */
  message: string;
  replicas: ReplicaCounts;
  /** When the current rollout began (Progressing condition's lastTransitionTime), if known. */
  startedAt: string | null;
  /** When it completed (NewReplicaSetAvailable), null while progressing or stalled. */
  completedAt: string | null;
  /** When the backend read this from the cluster. */
  observedAt: string;
}

export interface ContainerImage {
  container: string;
  /** Full reference, e.g. ghcr.io/acme-corp/titanic-service:1.4.0 */
  image: string;
  /** The tag (or digest) part, e.g. 1.4.0; null when the reference has neither. */
  tag: string | null;
}

export type PodState =
  | 'running'
  | 'waiting'
  | 'terminated'
  | 'pending'
  | 'unknown';

export interface PodSummary {
  name: string;
  /** The pod's phase: Pending, Running, Succeeded, Failed, Unknown. */
  phase: string;
  /** The state of its worst container. */
  state: PodState;
  /** Why it waits or terminated: CrashLoopBackOff, ImagePullBackOff, Error, ... */
  reason: string | null;
  ready: boolean;
  restarts: number;
  image: string;
  /** The revision of the ReplicaSet owning the pod, if known. */
  revision: number | null;
  createdAt: string | null;
}

/** One entry of the revision history: a ReplicaSet owned by the Deployment. */
export interface RevisionSummary {
  revision: number;
  /** Revisions this ReplicaSet had before a rollback renumbered it (deployment.kubernetes.io/revision-history). */
  formerRevisions: number[];
  replicaSetName: string;
  image: string;
  tag: string | null;
  createdAt: string | null;
  /** kubernetes.io/change-cause of the ReplicaSet, if set. */
  changeCause: string | null;
  replicas: number;
  availableReplicas: number;
  /** True for the ReplicaSet matching the Deployment's current template. */
  live: boolean;
}

export interface EnvironmentKubernetes {
  revision: number;
  /** The first container's image. */
  image: string;
  tag: string | null;
  images: ContainerImage[];
  replicas: ReplicaCounts;
  paused: boolean;
  health: EnvironmentHealth;
  rollout: RolloutStatus;
  conditions: DeploymentCondition[];
  pods: PodSummary[];
  /** When the live revision was last rolled out (its ReplicaSet's creation or the Progressing condition's update). */
  lastRolloutAt: string | null;
  /** Newest revision first. */
  revisions: RevisionSummary[];
}

export interface GitHubDeploymentStatusSummary {
  /** error, failure, inactive, in_progress, queued, pending, success */
  state: string;
  description: string | null;
  environmentUrl: string | null;
  logUrl: string | null;
  creator: string | null;
  createdAt: string;
}

export interface GitHubDeploymentSummary {
  id: number;
  sha: string;
  ref: string;
  /** The GitHub environment (e.g. production). */
  environment: string;
  description: string | null;
  creator: string | null;
  createdAt: string;
  /** The state of the newest status; null when the deployment has none. */
  state: string | null;
  /** Newest first. */
  statuses: GitHubDeploymentStatusSummary[];
}

export interface ApprovalReviewer {
  type: 'User' | 'Team';
  /** GitHub login for users, team slug for teams. */
  name: string;
}

/**
 * What holds a run at an environment: GitHub's required reviewers (a pending deployment), or the
 * portal's own custom deployment protection rule (GitHub asked the portal's GitHub App, which
 * answers with the decision made in the portal).
 */
export type ApprovalGate = 'required-reviewers' | 'protection-rule';

/** One environment of a run waiting for approval (GitHub's pending deployment, or the portal's gate). */
export interface PendingEnvironment {
  gate: ApprovalGate;
  /** The GitHub environment name, e.g. production. */
  githubEnvironment: string;
  /** Our environment name (e.g. prod), when the entity has one bound to that GitHub environment. */
  environment: string | null;
  githubEnvironmentId: number;
  /** Minutes GitHub waits before the job may start, 0 for none. */
  waitTimerMinutes: number;
  waitTimerStartedAt: string | null;
  reviewers: ApprovalReviewer[];
  /** Whether GitHub lets the portal's own credentials review this environment (current_user_can_approve). */
  portalCanReview: boolean;
  /**
   * How many distinct people must approve before the portal sends the approval to GitHub
   * (`delivery.environments[].minimumApprovals`; 1 unless configured).
   */
  approvalsRequired: number;
  /** The approvals given in the portal so far, oldest first, while fewer than required. */
  approvedBy: ApprovalVote[];
}

/** One person's approval, recorded until enough distinct people approved. */
export interface ApprovalVote {
  /** e.g. user:default/bob */
  userEntityRef: string;
  displayName: string | null;
  at: string;
}

/** An environment the approval was recorded for, still short of its distinct approvals. */
export interface AwaitedApprovals {
  githubEnvironment: string;
  /** The approvals given so far, this one included, oldest first. */
  approvedBy: ApprovalVote[];
  approvalsRequired: number;
}

export interface PendingApproval {
  runId: number;
  runNumber: number;
  runName: string;
  headSha: string;
  branch: string;
  /** The run's page on GitHub. */
  htmlUrl: string;
  createdAt: string;
  environments: PendingEnvironment[];
  /**
   * Who started the run on GitHub (its triggering actor), and the catalog users with that GitHub
   * login (github.com/user-login): four eyes — none of them may approve it.
   */
  requestedBy: { login: string | null; userRefs: string[] };
}

export interface EnvironmentSourceError {
  /** kubernetes-forbidden, kubernetes-unreachable, github-unavailable, ... */
  reason: DeliveryErrorReason;
  message: string;
  /** The HTTP status the source answered, if it answered. */
  statusCode?: number;
}

export interface DeliveryEnvironment {
  /** dev, staging, prod */
  name: string;
  /** The GitHub Actions environment deploying it (e.g. production). */
  githubEnvironment: string;
  cluster: string;
  namespace: string;
  deploymentName: string;
  /** Null when the cluster could not be read (`kubernetesError` says why) or has no such Deployment. */
  kubernetes: EnvironmentKubernetes | null;
  kubernetesError: EnvironmentSourceError | null;
  /** Newest first, at most 10. */
  githubDeployments: GitHubDeploymentSummary[];
  githubError: EnvironmentSourceError | null;
  /** The run waiting for approval to deploy here, if any. */
  pendingApproval: PendingApproval | null;
  /**
   * Why no one may roll this environment back through this entity, whatever their permission:
   * the Namespace's titanic.io/owner is not the entity's owner (or could not be read). Null when bound.
   */
  rollbackBlockedReason: string | null;
}

export interface EnvironmentsResponse {
  /** e.g. component:default/titanic-service */
  entityRef: string;
  /** In pipeline order: dev, staging, prod. */
  environments: DeliveryEnvironment[];
  /** Every run of the entity's repository waiting for a review, newest first. */
  pendingApprovals: PendingApproval[];
  /** What the signed-in user may do (the backend checks again on every write). */
  permissions: { approve: boolean; rollback: boolean };
  /**
   * Whose GitHub identity reviews: `portal` (the portal's, naming the person in the comment) or
   * `reviewer` (the person's own GitHub token, sent with the review request only: GitHub's own
   * rules decide).
   */
  reviewWith: 'portal' | 'reviewer';
  /**
   * Why no one may review this entity's deployments, whatever their permission: the entity was
   * not read from the repository it names. Null when bound.
   */
  approveBlockedReason: string | null;
  observedAt: string;
}

// ---------------------------------------------------------------------------------------------
// Approvals

export type ReviewDecision = 'approve' | 'reject';

export interface ReviewDeploymentRequest {
  decision: ReviewDecision;
  /**
   * GitHub environment names (e.g. ["production"]) to review; default: every environment of the
   * run that waits. Our names (prod) are accepted too.
   */
  environments?: string[];
  /** Shown on GitHub after the line naming the Backstage user; at most 1000 characters. */
  comment?: string;
}

export interface ReviewDeploymentResponse {
  runId: number;
  decision: ReviewDecision;
  /** GitHub environment names reviewed. */
  environments: string[];
  /** The Backstage user who decided. */
  reviewer: { userEntityRef: string; displayName: string | null };
  /** The comment as sent to GitHub (naming the reviewer). */
  comment: string;
  /** The run's status after the review, as GitHub reports it (queued, in_progress, completed, ...). */
  runStatus: string;
  /**
   * The environments whose approval was recorded but not yet sent to GitHub: they need more
   * distinct people (`environments` lists only those GitHub was told of). Empty otherwise.
   */
  awaitingApprovals: AwaitedApprovals[];
  auditId: number;
}

/** Whether the signed-in person may approve or reject one environment of a waiting run, and why not. */
export interface EnvironmentEligibility {
  githubEnvironment: string;
  /** Our name (e.g. prod), when the entity binds that GitHub environment. */
  environment: string | null;
  canApprove: boolean;
  canReject: boolean;
  /** Why they may not approve (the first reason that applies); null when they may. */
  reason: string | null;
}

/**
 * What GitHub and the portal let the signed-in person do with a waiting run (GET
 * reviewEligibility): GitHub's `current_user_can_approve` for the identity that reviews (theirs,
 * with reviewWith `reviewer`), their delivery.deployment.approve, the repository binding, four
 * eyes and the approvals already recorded.
 */
export interface ReviewEligibilityResponse {
  runId: number;
  reviewWith: 'portal' | 'reviewer';
  /** The GitHub login the review would be made as; null for the portal's own identity. */
  githubLogin: string | null;
  /** The environments the run waits on; empty when it no longer waits. */
  environments: EnvironmentEligibility[];
}

// ---------------------------------------------------------------------------------------------
// Rollback

export interface RollbackRequest {
  /** The revision to return to; default: the previous one (the second highest), as `kubectl rollout undo`. */
  toRevision?: number;
  /**
   * The revision the caller saw live. When the Deployment has moved on since (another rollback or
   * a deploy), the backend answers 409 instead of rolling back something the caller never saw —
   * or a no-op when the wanted template is already live. UIs should always send it.
   */
  expectedCurrentRevision?: number;
  /** Why, for the audit trail; at most 1000 characters. */
  reason?: string;
}

export interface RevisionRef {
  revision: number;
  image: string;
}

export interface RollbackResponse {
  /** `rolled-back`: the Deployment was patched; `no-op`: nothing to do (message says why). */
  outcome: 'rolled-back' | 'no-op';
  /** e.g. "Rolled back titanic-staging to revision 5 (…:1.3.1)" or "already at revision 7". */
  message: string;
  environment: string;
  namespace: string;
  deploymentName: string;
  /** What was live before. */
  from: RevisionRef;
  /** The revision asked for, with its image. */
  to: RevisionRef;
  /** The revision number the target template became live under (max + 1), as Kubernetes renumbers it. */
  newRevision: number;
  /** The rollout right after the patch; poll the rollout route until complete or stalled. */
  rollout: RolloutStatus;
  requestedAt: string;
  auditId: number;
}

// ---------------------------------------------------------------------------------------------
// Audit trail

export const AUDIT_ACTIONS = ['approve', 'reject', 'rollback'] as const;

export type AuditAction = (typeof AUDIT_ACTIONS)[number];

/**
 * - `succeeded`: done (for rollbacks: the patch applied; `rolloutStatus` follows the rollout)
 * - `no-op`: allowed, nothing needed doing (already at that revision)
 * - `denied`: the permission policy refused
 * - `failed`: allowed but it failed (`error` says why)
 */
export type AuditResult = 'succeeded' | 'no-op' | 'denied' | 'failed';

export interface AuditEntry {
  id: number;
  /** When the attempt was made. */
  at: string;
  /** The Backstage user, e.g. user:default/alice. */
  actor: string;
  actorDisplayName: string | null;
  entityRef: string;
  environment: string;
  action: AuditAction;
  /** What was live / what was asked for, e.g. "revision 6 (…:1.4.0)" or "run 1234 waiting". */
  from: string | null;
  to: string | null;
  fromRevision: number | null;
  toRevision: number | null;
  runId: number | null;
  /** The user's reason or review comment. */
  reason: string | null;
  permission: 'allowed' | 'denied';
  result: AuditResult;
  error: string | null;
  /** For applied rollbacks: the rollout's progress as the backend followed it. */
  rolloutStatus: RolloutPhase | null;
  completedAt: string | null;
}

export interface AuditTrailResponse {
  entries: AuditEntry[];
  /** Pass as `?before=` for the next (older) page; null on the last page. */
  nextBefore: number | null;
}
