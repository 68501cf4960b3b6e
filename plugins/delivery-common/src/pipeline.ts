/*
 * The pipeline half of the delivery API's response bodies: the entity's repository, its runs and
 * each run's gate chain. Timestamps are ISO 8601 strings (UTC), durations are whole seconds,
 * links are absolute URLs.
 */

import { Freshness } from './freshness';

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
