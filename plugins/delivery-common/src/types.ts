/*
 * The delivery REST API's response bodies. Timestamps are ISO 8601 strings (UTC), durations are
 * whole seconds, links are absolute URLs. Every read response carries `freshness`, because the
 * backend may answer from its cache — and, when GitHub rate-limits it, from stale data.
 */

/** Where a response's data came from and how old it is. */
export interface SourceFreshness {
  source: 'github' | 'sonarcloud';
  /** When the source last confirmed this data (a 200 or a 304 answer). */
  fetchedAt: string;
  /** Seconds between `fetchedAt` and the response. */
  ageSeconds: number;
  /**
   * True when the backend could not refresh the data and served its last copy, e.g. because the
   * source rate-limited it; `staleReason` says why.
   */
  stale: boolean;
  staleReason?: string;
  /** When the source is expected to answer again (from Retry-After or x-ratelimit-reset). */
  retryAt?: string;
}

export interface Freshness {
  /** The oldest `fetchedAt` among the sources used. */
  fetchedAt: string;
  ageSeconds: number;
  /** True when any source's data is stale. */
  stale: boolean;
  sources: SourceFreshness[];
}

/** The GitHub repository named by the entity's `github.com/project-slug` annotation. */
export interface DeliveryRepository {
  owner: string;
  name: string;
  /** `owner/name` */
  slug: string;
  htmlUrl: string;
  defaultBranch: string;
}

// ---------------------------------------------------------------------------------------------
// Pipeline gates

/**
 * The gates of the default configuration, in pipeline order. Configuration (`delivery.gates`)
 * may rename, reorder or add gates, so clients must accept any string as a gate id.
 */
export const DEFAULT_GATE_IDS = [
  'gitleaks',
  'checkov',
  'sonarcloud',
  'tests',
  'build',
  'trivy',
  'deploy',
] as const;

export type DefaultGateId = (typeof DEFAULT_GATE_IDS)[number];

/**
 * - `success`, `failure`, `cancelled`, `skipped`: finished
 * - `running`, `queued`: in progress
 * - `waiting`: waiting for an environment's reviewers or wait timer
 * - `not-run`: the run has no job for this gate (yet, or on this branch)
 */
export type GateStatus =
  | 'success'
  | 'failure'
  | 'cancelled'
  | 'skipped'
  | 'running'
  | 'queued'
  | 'waiting'
  | 'not-run';

/** Where a failure reason was read from. */
export type GateReasonSource =
  | 'check-run-output'
  | 'annotations'
  | 'log'
  | 'conclusion';

/** One GitHub Actions job belonging to a gate (a gate may span jobs, e.g. deploy dev/staging/prod). */
export interface GateJob {
  jobId: number;
  name: string;
  status: GateStatus;
  /** GitHub's raw conclusion (success, failure, cancelled, skipped, timed_out, ...), if finished. */
  conclusion: string | null;
  startedAt: string | null;
  completedAt: string | null;
  durationSeconds: number | null;
  /** The GitHub Actions environment the job deploys to, if any. */
  environment: string | null;
  /** Why the job failed, in one line ("coverage 64% < 70%"); null unless it failed. */
  reason: string | null;
  reasonSource: GateReasonSource | null;
  /** The job's page with its logs on github.com. */
  logsUrl: string;
}

export interface Gate {
  id: string;
  title: string;
  status: GateStatus;
  /** Time its jobs ran, added up (a deploy gate's review wait is not counted); null until one ran. */
  durationSeconds: number | null;
  startedAt: string | null;
  completedAt: string | null;
  /** The first failing job's reason; null unless the gate failed. */
  reason: string | null;
  reasonSource: GateReasonSource | null;
  /** The failing job's logs, else the first job's. */
  logsUrl: string | null;
  jobs: GateJob[];
}

export type RunStatus =
  | 'queued'
  | 'in_progress'
  | 'completed'
  | 'waiting'
  | 'requested'
  | 'pending';

export interface PipelineRunSummary {
  id: number;
  runNumber: number;
  runAttempt: number;
  /** The workflow's name ("Titanic service pipeline"). */
  name: string;
  workflowPath: string;
  branch: string;
  headSha: string;
  /** First line of the head commit's message. */
  title: string;
  event: string;
  actor: string | null;
  status: RunStatus;
  /** success, failure, cancelled, ... once completed; else null. */
  conclusion: string | null;
  createdAt: string;
  updatedAt: string;
  durationSeconds: number | null;
  htmlUrl: string;
}

export interface PipelineRun extends PipelineRunSummary {
  /** The configured gates in order, each with what this run's jobs say about it. */
  gates: Gate[];
  /** The first gate that failed, if any. */
  failedGateId: string | null;
  /** Whether the run can have its failed jobs re-run now (completed and not successful). */
  rerunnable: boolean;
}

/** GET runs */
export interface RunHistoryResponse {
  repository: DeliveryRepository;
  branch: string | null;
  runs: PipelineRun[];
  /** How many runs GitHub has in total for the filter (the list holds the newest `limit`). */
  totalCount: number;
  /** Whether the caller may re-run failed jobs of this entity's runs. */
  canRerun: boolean;
  freshness: Freshness;
}

/** GET runs/:runId */
export interface PipelineRunResponse {
  repository: DeliveryRepository;
  run: PipelineRun;
  canRerun: boolean;
  freshness: Freshness;
}

/** POST runs/:runId/rerun-failed-jobs (201) */
export interface RerunResponse {
  runId: number;
  /** The attempt GitHub will start (the previous attempt + 1). */
  runAttempt: number;
  /** The failed jobs' names that will run again. */
  jobs: string[];
  htmlUrl: string;
}

// ---------------------------------------------------------------------------------------------
// Scan findings

export const FINDING_SEVERITIES = [
  'critical',
  'high',
  'medium',
  'low',
  'info',
] as const;

/**
 * Normalized across tools: code scanning's security severity (critical/high/medium/low), else its
 * rule severity (error → high, warning → medium, note → low); SonarCloud's BLOCKER → critical,
 * CRITICAL → high, MAJOR → medium, MINOR → low, INFO → info.
 */
export type FindingSeverity = (typeof FINDING_SEVERITIES)[number];

export const FINDING_STATES = ['open', 'dismissed', 'fixed'] as const;

export type FindingState = (typeof FINDING_STATES)[number];

export type FindingSource = 'code-scanning' | 'sonarcloud';

export interface FindingLocation {
  path: string;
  startLine: number | null;
  endLine: number | null;
}

export interface Finding {
  /** Unique across sources: `code-scanning:<alert number>` or `sonarcloud:<issue key>`. */
  id: string;
  source: FindingSource;
  /** The tool as its SARIF driver names it (gitleaks, Checkov, Trivy) or `SonarCloud`. */
  tool: string;
  rule: { id: string; name: string | null; description: string | null };
  severity: FindingSeverity;
  /** The tool's own severity word (error, critical, MAJOR, ...). */
  rawSeverity: string;
  state: FindingState;
  location: FindingLocation;
  message: string;
  /** Documentation of the rule, when known; else null. */
  helpUrl: string | null;
  /** The finding's page in GitHub code scanning or SonarCloud. */
  htmlUrl: string;
  firstSeenAt: string;
  updatedAt: string | null;
  /** When it was fixed or dismissed, if it was. */
  closedAt: string | null;
}

/** Counts of one tool's (or all tools') findings per severity, plus their total. */
export type SeverityCounts = Record<FindingSeverity, number> & {
  total: number;
};

export interface FindingCounts {
  /** Keyed by tool name. */
  byTool: Record<string, SeverityCounts>;
  total: SeverityCounts;
}

/** GET findings */
export interface FindingsResponse {
  repository: DeliveryRepository;
  /** The filters applied (defaults filled in: state defaults to `open`). */
  filters: FindingsFilter;
  /**
   * The findings matching every filter, most severe first, then newest first. SonarCloud
   * contributes its open issues only; code scanning contributes every state.
   */
  findings: Finding[];
  /** How many findings match every filter (before `offset`/`limit`). */
  totalCount: number;
  /**
   * Counts per tool × severity of the findings matching the state filter only, so filter chips
   * can show what each tool and severity would add.
   */
  counts: FindingCounts;
  /** Every tool that reported findings, for a tool filter. */
  tools: string[];
  freshness: Freshness;
}

export interface FindingsFilter {
  tool?: string[];
  severity?: FindingSeverity[];
  state?: FindingState[];
  source?: FindingSource[];
}

// ---------------------------------------------------------------------------------------------
// SonarCloud

export type QualityGateStatus = 'OK' | 'WARN' | 'ERROR' | 'NONE';

export interface QualityGateCondition {
  metric: string;
  /** Human name of the metric ("Coverage on New Code"), when known. */
  metricName: string | null;
  comparator: 'LT' | 'GT' | string;
  threshold: string | null;
  actual: string | null;
  status: QualityGateStatus;
  onNewCode: boolean;
}

export interface QualityGate {
  status: QualityGateStatus;
  conditions: QualityGateCondition[];
  /** One line naming the failing conditions, e.g. "quality gate ERROR: new coverage 41%". */
  summary: string;
}

export interface SonarMeasure {
  metric: string;
  name: string | null;
  value: string;
  onNewCode: boolean;
}

export interface SonarCloudReport {
  projectKey: string;
  /** The project's page on SonarCloud. */
  dashboardUrl: string;
  qualityGate: QualityGate;
  measures: SonarMeasure[];
  /** Open issues, normalized like every other finding (`source: 'sonarcloud'`). */
  issues: Finding[];
  issueCounts: SeverityCounts;
  /** How many open issues SonarCloud has in total (the list may hold fewer). */
  issueTotal: number;
}

/** GET sonarcloud */
export interface SonarCloudResponse {
  /** Null when the entity has no `sonarqube.org/project-key` annotation. */
  report: SonarCloudReport | null;
  freshness: Freshness;
}

// ---------------------------------------------------------------------------------------------
// Trend

export interface TrendPoint {
  runId: number;
  runNumber: number;
  headSha: string;
  createdAt: string;
  conclusion: string | null;
  failedGateId: string | null;
  /** Findings open at the run's time, per tool × severity. */
  counts: FindingCounts;
}

/** GET trend — the last N runs of the default branch, oldest first. */
export interface TrendResponse {
  repository: DeliveryRepository;
  branch: string;
  points: TrendPoint[];
  freshness: Freshness;
}

// ---------------------------------------------------------------------------------------------
// Dashboard: what an entity page needs, in one call

export interface SonarCloudSummary {
  projectKey: string;
  dashboardUrl: string;
  qualityGate: QualityGate;
  measures: SonarMeasure[];
}

export interface DashboardResponse {
  entityRef: string;
  repository: DeliveryRepository;
  /** The newest run on the default branch, with its gate chain; null if there is none. */
  latestRun: PipelineRun | null;
  /** The newest runs on any branch, without gates (the Pipeline tab fetches those). */
  recentRuns: PipelineRunSummary[];
  /** Open findings per tool × severity (code scanning and SonarCloud). */
  findingCounts: FindingCounts;
  sonarcloud: SonarCloudSummary | null;
  canRerun: boolean;
  freshness: Freshness;
}

// ---------------------------------------------------------------------------------------------
// Errors

/**
 * Why a request failed, in `error.details.reason` of Backstage's standard error body
 * (`{ error: { name, message, details? }, request, response: { statusCode } }`).
 */
export type DeliveryErrorReason =
  | 'missing-annotation' // 400: the entity has no github.com/project-slug
  | 'invalid-annotation' // 400: it is not owner/name
  | 'unknown-repository' // 404: GitHub does not know the repository (or the token cannot see it)
  | 'repository-not-bound' // 403: the entity was not read from the repository it names (nor registered by configuration)
  | 'unknown-run' // 404
  | 'not-rerunnable' // 409: the run is in progress or succeeded
  | 'rate-limited' // 503: GitHub rate-limits the backend and nothing is cached
  | 'upstream-unavailable'; // 503: GitHub or SonarCloud failed and nothing is cached

export interface DeliveryErrorDetails {
  reason: DeliveryErrorReason;
  /** For rate limits: when GitHub will answer again. */
  retryAt?: string;
  retryAfterSeconds?: number;
  /** Age of the newest cached copy, when one exists but could not be used. */
  cachedAgeSeconds?: number;
}

/** The error body every delivery endpoint answers failures with. */
export interface DeliveryErrorBody {
  error: {
    /** InputError (400), AuthenticationError (401), NotAllowedError (403), NotFoundError (404), ConflictError (409), ServiceUnavailableError (503) */
    name: string;
    message: string;
    details?: DeliveryErrorDetails;
  };
  request?: { method: string; url: string };
  response: { statusCode: number };
}
