import { PendingApproval, PendingEnvironment } from './environments';

/*
 * The approvals inbox: every deployment waiting for a review the signed-in person may give,
 * across the catalog, oldest wait first.
 */

/** A gate the run passed before it began waiting. */
export interface PassedGate {
  id: string;
  title: string;
}

/** One waiting run of one service, with what a reviewer needs to decide it. */
export interface InboxApproval {
  entityRef: string;
  title: string;
  /** The owning group's entity ref. */
  owner: string;
  /** owner/name on GitHub. */
  repository: string;
  runId: number;
  runNumber: number;
  runName: string;
  headSha: string;
  branch: string;
  /** The head commit's message (first line); null when GitHub did not say. */
  commitMessage: string | null;
  htmlUrl: string;
  createdAt: string;
  /** When it began waiting: the earliest wait of its pending environments, else the run's start. */
  waitingSince: string;
  requestedBy: PendingApproval['requestedBy'];
  environments: PendingEnvironment[];
  /** The gates passed before the wait, in pipeline order; null when they could not be read now. */
  gatesPassed: PassedGate[] | null;
}

export interface ApprovalsInboxResponse {
  items: InboxApproval[];
  /** Every waiting run the person may decide, across all pages. */
  totalCount: number;
  offset: number;
  limit: number;
  /**
   * Waiting runs the person may otherwise decide but started themselves, oldest wait first (at
   * most 20): four eyes let them reject these, never approve them. Not in `totalCount`.
   */
  startedByYou: InboxApproval[];
  /** Whose GitHub identity reviews (see EnvironmentsResponse.reviewWith). */
  reviewWith: 'portal' | 'reviewer';
  observedAt: string;
}

/** Just the count, for the sidebar's badge. */
export interface ApprovalsCountResponse {
  count: number;
  observedAt: string;
}
