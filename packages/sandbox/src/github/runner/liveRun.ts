import { RunRecord, WorldState } from '../../world/records';
import { HostedRepositoryRecord } from '../hosting/repositoryStore';
import { JobGraph } from './jobGraph';
import { RunFacts } from './stepTypes';
import { WorkflowFile } from './workflowSyntax';

/* A run in progress: what the run scheduler (workflowRunner.ts) and its jobs (plannedJobRun.ts) share. */

export type JobResultValue = 'success' | 'failure' | 'cancelled' | 'skipped';

export interface JobOutcome {
  result: JobResultValue;
  outputs: Record<string, string>;
}

export interface LiveRun {
  state: WorldState;
  run: RunRecord;
  repository: HostedRepositoryRecord;
  workflow: WorkflowFile;
  graph: JobGraph;
  /** Finished jobs by planned key (and the ones kept from the previous attempt). */
  results: Map<string, JobOutcome>;
  started: Set<string>;
  /** Jobs waiting for a review, by job id: called with the decision and the reviewer. */
  reviews: Map<
    number,
    (decision: 'approved' | 'rejected', reviewer: string) => void
  >;
  abort: AbortController;
  /** Where the run's jobs keep their checkouts. */
  directory: string;
  facts: RunFacts;
}

/** How a set of jobs went together: a failure fails them, all skipped is skipped. */
export function combinedResult(
  results: readonly JobResultValue[],
): JobResultValue {
  if (results.includes('failure')) return 'failure';
  if (results.includes('cancelled')) return 'cancelled';
  if (results.length > 0 && results.every(result => result === 'skipped'))
    return 'skipped';
  return 'success';
}
