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
