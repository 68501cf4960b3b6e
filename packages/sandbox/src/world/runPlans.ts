import { GateKey, RunRecord } from './records';
import { GUEST_GITHUB_LOGIN } from './seedRepository';

/*
 * The seeded pipeline history, one plan per run: branch, trigger, actor, the release or change
 * it builds and how it ends. seedWorld.ts replays the plans through the real job scheduler.
 */

export interface RunPlan {
  branch: string;
  event: RunRecord['event'];
  createdAt: string;
  actor: string;
  /** A release tag (commit from releases.ts) or a commit message for a non-release commit. */
  release?: string;
  message?: string;
  failAt?: GateKey;
  flaky?: boolean;
  pullRequest?: number;
  production?: {
    decision: 'approved' | 'rejected' | 'waiting';
    reviewer?: string;
    comment?: string;
  };
  cancelAfterSeconds?: number;
}

/** Oldest first; the index of a plan is the "run index" trivyFindings.ts uses for time windows. */
export const RUN_PLANS: readonly RunPlan[] = [
  {
    branch: 'main',
    event: 'push',
    createdAt: '2026-10-20T09:05:10Z',
    actor: 'alice',
    release: '1.0.0',
    production: {
      decision: 'approved',
      reviewer: 'alice',
      comment: 'First production release of the people API.',
    },
  },
  {
    branch: 'develop',
    event: 'push',
    createdAt: '2026-10-24T11:30:42Z',
    actor: 'bob',
    message: 'Add payment provider configuration',
    failAt: 'gitleaks',
  },
  {
    branch: 'develop',
    event: 'push',
    createdAt: '2026-10-27T09:58:03Z',
    actor: 'alice',
    release: '1.1.0',
  },
  {
    branch: 'main',
    event: 'push',
    createdAt: '2026-10-27T15:20:11Z',
    actor: 'alice',
    release: '1.1.0',
    production: {
      decision: 'approved',
      reviewer: 'alice',
      comment: 'Readiness probe verified on staging.',
    },
  },
  {
    branch: 'feature/survival-stats',
    event: 'pull_request',
    pullRequest: 12,
    createdAt: '2026-10-30T10:45:27Z',
    actor: 'bob',
    message: 'Draft survival statistics endpoint',
    failAt: 'tests',
  },
  {
    branch: 'develop',
    event: 'push',
    createdAt: '2026-11-03T14:33:30Z',
    actor: 'bob',
    release: '1.2.0',
  },
  {
    branch: 'main',
    event: 'push',
    createdAt: '2026-11-04T09:12:05Z',
    actor: 'alice',
    release: '1.2.0',
    production: {
      decision: 'approved',
      reviewer: 'titanic-portal-bot',
      comment: 'Approved in the Titanic Portal by alice.',
    },
  },
  {
    branch: 'develop',
    event: 'push',
    createdAt: '2026-11-06T16:40:19Z',
    actor: 'bob',
    message: 'Run the container with NET_RAW for debugging',
    failAt: 'checkov',
  },
  {
    branch: 'develop',
    event: 'push',
    createdAt: '2026-11-10T11:13:00Z',
    actor: 'alice',
    release: '1.3.0',
  },
  {
    branch: 'main',
    event: 'push',
    createdAt: '2026-11-10T15:02:48Z',
    actor: 'alice',
    release: '1.3.0',
    production: {
      decision: 'approved',
      reviewer: 'alice',
      comment: 'Pagination verified on staging.',
    },
  },
  {
    branch: 'develop',
    event: 'push',
    createdAt: '2026-11-12T10:21:36Z',
    actor: 'bob',
    message: 'Bump form-data and rebase on node:22-alpine3.20',
    failAt: 'trivy',
  },
  {
    branch: 'develop',
    event: 'push',
    createdAt: '2026-11-13T15:55:02Z',
    actor: 'alice',
    release: '1.3.1',
  },
  {
    branch: 'main',
    event: 'push',
    createdAt: '2026-11-13T17:30:15Z',
    actor: 'alice',
    release: '1.3.1',
    production: {
      decision: 'approved',
      reviewer: 'titanic-portal-bot',
      comment:
        'Approved in the Titanic Portal by alice: hotfix for pool exhaustion.',
    },
  },
  {
    branch: 'develop',
    event: 'push',
    createdAt: '2026-11-17T09:40:44Z',
    actor: 'bob',
    message: 'Retry database connections on start-up',
    failAt: 'tests',
    flaky: true,
  },
  {
    branch: 'develop',
    event: 'push',
    createdAt: '2026-11-18T13:40:09Z',
    actor: 'alice',
    release: '1.4.0',
  },
  {
    branch: 'develop',
    event: 'push',
    createdAt: '2026-11-19T10:02:33Z',
    actor: 'bob',
    message: 'Add people import endpoint',
    cancelAfterSeconds: 48,
  },
  {
    branch: 'main',
    event: 'push',
    createdAt: '2026-11-20T16:15:21Z',
    actor: 'alice',
    release: '1.4.0',
    production: {
      decision: 'rejected',
      reviewer: 'alice',
      comment: 'Holding 1.4.0 until the load test on staging has finished.',
    },
  },
  {
    branch: 'develop',
    event: 'push',
    createdAt: '2026-11-24T10:24:50Z',
    actor: 'alice',
    release: '1.5.0',
  },
  {
    branch: 'feature/passenger-search',
    event: 'pull_request',
    pullRequest: 15,
    createdAt: '2026-11-24T15:48:07Z',
    actor: 'bob',
    message: 'Add passenger search',
  },
  {
    branch: 'develop',
    event: 'push',
    createdAt: '2026-11-25T11:02:16Z',
    actor: 'bob',
    message: 'Add passenger search (#15)',
    failAt: 'sonarcloud',
  },
  {
    branch: 'main',
    event: 'workflow_dispatch',
    createdAt: '2026-11-25T14:30:02Z',
    actor: 'alice',
    release: '1.4.0',
    production: { decision: 'waiting' },
  },
];

export const RUN_COUNT = RUN_PLANS.length;

/**
 * The local guest's own dispatch of 1.4.0, waiting for production: with prevent-self-review on,
 * the guest must leave it to another maintainer. Started before alice's dispatch, so hers stays
 * the newest waiting run.
 */
export const GUEST_RUN_PLAN: RunPlan = {
  branch: 'main',
  event: 'workflow_dispatch',
  createdAt: '2026-11-25T14:11:27Z',
  actor: GUEST_GITHUB_LOGIN,
  release: '1.4.0',
  production: { decision: 'waiting' },
};

/**
 * Every seeded run in the order it was started (its run number), each with the index of the
 * history plan whose time window Trivy reads: the guest's dispatch scans the image alice's does.
 */
export const SEEDED_RUNS: ReadonlyArray<{
  plan: RunPlan;
  historyIndex: number;
}> = [
  ...RUN_PLANS.slice(0, -1).map((plan, historyIndex) => ({
    plan,
    historyIndex,
  })),
  { plan: GUEST_RUN_PLAN, historyIndex: RUN_COUNT - 1 },
  { plan: RUN_PLANS[RUN_COUNT - 1], historyIndex: RUN_COUNT - 1 },
];
