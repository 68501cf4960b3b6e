/*
 * Delivery insights: the four DORA keys of a component, an owning team or the organisation,
 * computed from the production deployment history the backend stores (fed by GitHub's
 * deployments, deployment statuses, the commits each deployment shipped, pipeline runs and the
 * portal's own rollbacks), never recomputed from GitHub per view.
 *
 * How each key is computed (the backend's insights/doraKeys.ts):
 * - A production deployment is a GitHub deployment to the production environment. It is a
 *   `change` when it shipped a commit other than the one live before it, a `redeploy` when it
 *   shipped the same commit again, a `rollback` when the pipeline rolled back (its task names a
 *   rollback, e.g. `deploy:rollback`). A deployment that failed before it began (no
 *   `in_progress` status: its review was rejected, or it was cancelled while waiting) never
 *   reached production and counts for nothing.
 * - Deployment frequency: successful changes (first `success` status in the window) per day and
 *   per week. Redeploys and rollbacks are not changes.
 * - Lead time for changes: for every commit a successful change shipped for the first time
 *   (GitHub's compare with the previous successful production deployment), the commit's time to
 *   the deployment's success; median and p90 over commits (linear interpolation between ranks).
 *   A commit dated after its deployment (a skewed clock) counts as 0 and is reported.
 * - Change failure rate: changes followed by a failure over changes that finished in the window.
 *   A failure is one of {@link FAILURE_KINDS}; a change fails once, with its first failure. A
 *   successful retry of a commit whose attempt failed completes that change: it counts for
 *   frequency and lead time, not again for the failure rate.
 * - Time to restore: from the failure (a failed status: its time; otherwise the change going
 *   live) to the next healthy production deployment (any success after it) or the completion of
 *   a rollback; median over restored failures. Failures not yet restored are counted apart.
 */

/** The windows the insights answer, in days. */
export const INSIGHTS_WINDOWS = [7, 30, 90] as const;

export type InsightsWindow = (typeof INSIGHTS_WINDOWS)[number];

/**
 * What made a change count as failed:
 * - `failed-status`: a `failure` or `error` deployment status on it
 * - `pipeline-rollback`: the pipeline rolled production back before the next change
 * - `portal-rollback`: someone rolled production back in the portal before the next change
 * - `fix-deployed`: the next change went live within the fix window and is a fix (its ref or a
 *   shipped commit's headline matches the configured fix pattern)
 */
export const FAILURE_KINDS = [
  'failed-status',
  'pipeline-rollback',
  'portal-rollback',
  'fix-deployed',
] as const;

export type FailureKind = (typeof FAILURE_KINDS)[number];

export type DeploymentKind = 'change' | 'redeploy' | 'rollback';

/** DORA's performance levels, best first. */
export const PERFORMANCE_LEVELS = ['elite', 'high', 'medium', 'low'] as const;

export type PerformanceLevel = (typeof PERFORMANCE_LEVELS)[number];

export interface DeploymentFrequency {
  /** Successful changes in the window. */
  deployments: number;
  perDay: number;
  perWeek: number;
  /** The deployments counted. */
  deploymentIds: number[];
}

export interface LeadTime {
  medianSeconds: number | null;
  p90Seconds: number | null;
  /** Commits measured (the sample size). */
  commits: number;
  /** Changes whose commits were measured. */
  deployments: number;
  /** Commits dated after the deployment that shipped them, counted as 0. */
  clockSkewedCommits: number;
  /** Successful changes whose shipped commits are unknown (no earlier production deployment to compare with). */
  unmeasuredDeployments: number;
  deploymentIds: number[];
}

export interface ChangeFailureRate {
  /** failed / changes, 0..1; null without changes. */
  rate: number | null;
  failed: number;
  /** Changes that finished (succeeded or failed) in the window: the sample size. */
  changes: number;
  byKind: Record<FailureKind, number>;
  /** The failed changes. */
  deploymentIds: number[];
}

export interface TimeToRestore {
  medianSeconds: number | null;
  /** Failures restored (the sample size). */
  restored: number;
  /** Failures in the window with no healthy deployment or completed rollback since. */
  unrestored: number;
  /** The failed changes whose restore was measured. */
  deploymentIds: number[];
}

export interface DoraKeys {
  deploymentFrequency: DeploymentFrequency;
  leadTime: LeadTime;
  changeFailureRate: ChangeFailureRate;
  timeToRestore: TimeToRestore;
}

/** One point of the trend: the keys over one bucket of the window. */
export interface DoraSeriesPoint {
  /** The bucket's start (ISO 8601); buckets are one day (7-day window) or one week. */
  from: string;
  to: string;
  deployments: number;
  leadTimeMedianSeconds: number | null;
  changeFailureRate: number | null;
  timeToRestoreMedianSeconds: number | null;
}

export interface DoraLevels {
  deploymentFrequency: PerformanceLevel | null;
  leadTime: PerformanceLevel | null;
  changeFailureRate: PerformanceLevel | null;
  timeToRestore: PerformanceLevel | null;
  /** The weakest level among the keys that have data; null when none has. */
  overall: PerformanceLevel | null;
}

/** One level's band of one key, as the cited report words it and as the backend applies it. */
export interface PerformanceThreshold {
  level: PerformanceLevel;
  deploymentFrequency: string;
  leadTime: string;
  changeFailureRate: string;
  timeToRestore: string;
}

export interface PerformanceReference {
  /** e.g. "Accelerate State of DevOps Report 2023 (DORA, Google Cloud)" */
  source: string;
  url: string;
  /** How the report's clusters are turned into bands (where the report leaves gaps or overlaps). */
  note: string;
  thresholds: PerformanceThreshold[];
}

/** A production deployment behind the figures. */
export interface DoraDeployment {
  id: number;
  /** The component(s) it belongs to. */
  entityRefs: string[];
  /** owner/name */
  repository: string;
  environment: string;
  sha: string;
  ref: string;
  kind: DeploymentKind;
  createdAt: string;
  succeededAt: string | null;
  failedAt: string | null;
  /** Commits it shipped for the first time; null when unknown. */
  commits: number | null;
  leadTimeMedianSeconds: number | null;
  failure: {
    kind: FailureKind;
    at: string;
    restoredAt: string | null;
  } | null;
  /** The pipeline run that made it, else the environment's deployment log on GitHub. */
  htmlUrl: string;
}

export type InsightsScope =
  | { kind: 'entity'; entityRef: string }
  | { kind: 'group'; groupRef: string }
  | { kind: 'organization' };

/** GET insights/dora */
export interface DoraResponse {
  scope: InsightsScope;
  days: number;
  window: { from: string; to: string };
  /** The components counted: those of the scope the caller may read (delivery.read). */
  components: string[];
  /** Components whose history is still being read from GitHub (first seen): not counted yet. */
  pending: string[];
  keys: DoraKeys;
  /** The same keys over the window before, for the trend. */
  previous: DoraKeys;
  series: DoraSeriesPoint[];
  levels: DoraLevels;
  reference: PerformanceReference;
  /** The deployments behind the figures, newest first (at most 500). */
  deployments: DoraDeployment[];
  /** Deployments behind the figures left out of `deployments`. */
  deploymentsOmitted: number;
  /** The settings the figures were computed with. */
  settings: { fixWindowHours: number; fixPattern: string; environment: string };
}

// ---------------------------------------------------------------------------------------------
// The Delivery overview: every service of the organisation in one table

export type GateResult = 'passed' | 'failed' | 'running' | 'none';

export interface ServiceOverviewRow {
  entityRef: string;
  title: string;
  owner: string;
  /** owner/name, null when the entity names no repository. */
  repository: string | null;
  lastDeployment: { at: string; sha: string; id: number } | null;
  /** Completed pipeline runs in the window that succeeded, 0..1; null without runs. */
  gatePassRate: number | null;
  pipelineRuns: number;
  /** Open CRITICAL code-scanning alerts as last synchronised; null when never read. */
  criticalFindings: number | null;
  deploymentsPerWeek: number;
  leadTimeMedianSeconds: number | null;
  changeFailureRate: number | null;
  timeToRestoreMedianSeconds: number | null;
  level: PerformanceLevel | null;
  /** True while the service's history is still being read for the first time. */
  pending: boolean;
}

/** GET insights/overview */
export interface OverviewResponse {
  days: number;
  window: { from: string; to: string };
  services: ServiceOverviewRow[];
  reference: PerformanceReference;
  observedAt: string;
}

// ---------------------------------------------------------------------------------------------
// Home: what needs the signed-in person

/** A deployment waiting for a review the signed-in person may give. */
export interface ApprovalRequest {
  entityRef: string;
  title: string;
  repository: string;
  runId: number;
  runNumber: number;
  runName: string;
  headSha: string;
  branch: string;
  /** GitHub environments it waits for, e.g. production. */
  environments: string[];
  /** Our environment names where known, e.g. prod. */
  environmentNames: string[];
  createdAt: string;
  htmlUrl: string;
}

export type EnvironmentHealthSummary =
  | 'healthy'
  | 'progressing'
  | 'degraded'
  | 'stalled'
  | 'paused'
  | 'missing'
  | 'unknown';

export interface TeamService {
  entityRef: string;
  title: string;
  owner: string;
  repository: string | null;
  latestRun: {
    runId: number;
    runNumber: number;
    title: string;
    branch: string;
    result: GateResult;
    conclusion: string | null;
    at: string;
    htmlUrl: string;
  } | null;
  /** Open CRITICAL findings (code scanning and SonarCloud); null when they could not be read. */
  criticalFindings: number | null;
  environments: Array<{ name: string; health: EnvironmentHealthSummary }>;
  /** Why a part could not be read, if one could not. */
  problems: string[];
}

export interface RecentDeployment {
  /** A GitHub deployment id, or the audit entry's id for a portal rollback. */
  id: number;
  kind: 'deployment' | 'redeploy' | 'pipeline-rollback' | 'portal-rollback';
  entityRefs: string[];
  repository: string;
  environment: string;
  sha: string | null;
  /** success, failure, error, in_progress, ... (rollbacks: the rollout's phase) */
  state: string;
  at: string;
  actor: string | null;
  description: string | null;
}

/** GET insights/home */
export interface HomeResponse {
  user: string;
  /** The groups the signed-in person belongs to. */
  teams: string[];
  approvals: ApprovalRequest[];
  services: TeamService[];
  recent: RecentDeployment[];
  /** The four keys of the person's teams' services over 30 days, with their trend. */
  teamKeys: DoraResponse | null;
  observedAt: string;
}
