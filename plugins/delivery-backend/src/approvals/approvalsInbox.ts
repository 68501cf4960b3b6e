import { BackstageCredentials } from '@backstage/backend-plugin-api';
import {
  ApprovalsCountResponse,
  ApprovalsInboxResponse,
  InboxApproval,
  PassedGate,
  PendingApproval,
  PendingEnvironment,
} from '@internal/plugin-delivery-common';
import { RepositoryRef } from '../github/types';
import { ApprovalQuorum } from '../environments/approvalQuorum';
import { GitHubPipelines } from '../pipeline/githubPipelines';
import {
  KnownPendingApprovals,
  WaitingApproval,
  waitingSince,
} from './pendingApprovals';

/** The person's own waiting runs, shown apart: a few at most. */
const STARTED_BY_YOU_SHOWN = 20;

export interface InboxPage {
  offset: number;
  limit: number;
}

/**
 * The approvals inbox: every deployment waiting for a review the signed-in person may give,
 * oldest wait first. Only the page shown is told in full (commit message and gates passed, from
 * the run and its jobs as the cached GitHub reads have them), so a page costs the same with ten
 * services or a thousand.
 */
export class ApprovalsInbox {
  constructor(
    private readonly options: {
      source: Pick<KnownPendingApprovals, 'decidable'>;
      pipelines: Pick<GitHubPipelines, 'getRun' | 'gates'>;
      /** The approvals recorded for environments needing several people. */
      quorum?: Pick<ApprovalQuorum, 'withVotesOf'>;
      githubHost: string;
      reviewWith: 'portal' | 'reviewer';
    },
  ) {}

  /**
   * What a waiting run's commit and jobs say, kept with the waiting run it was told of: a
   * newer answer about the run's repository makes a new one, and this is told again.
   */
  private readonly toldOf = new WeakMap<
    PendingApproval,
    Promise<readonly [string | null, PassedGate[] | null]>
  >();

  async inbox(
    credentials: BackstageCredentials,
    page: InboxPage,
  ): Promise<ApprovalsInboxResponse> {
    const { approvals, startedByYou } = await this.options.source.decidable(
      credentials,
    );
    const [items, yours] = await Promise.all([
      this.tell(approvals.slice(page.offset, page.offset + page.limit)),
      this.tell(startedByYou.slice(0, STARTED_BY_YOU_SHOWN)),
    ]);
    return {
      items,
      totalCount: approvals.length,
      offset: page.offset,
      limit: page.limit,
      startedByYou: yours,
      reviewWith: this.options.reviewWith,
      observedAt: new Date().toISOString(),
    };
  }

  async count(
    credentials: BackstageCredentials,
  ): Promise<ApprovalsCountResponse> {
    const { approvals } = await this.options.source.decidable(credentials);
    return { count: approvals.length, observedAt: new Date().toISOString() };
  }

  /** The runs told in full, with the approvals recorded for them (one query for the page). */
  private async tell(runs: WaitingApproval[]): Promise<InboxApproval[]> {
    const voted = this.options.quorum
      ? await this.options.quorum.withVotesOf(
          runs.map(run => ({ ...run, repo: this.repositoryOf(run) })),
        )
      : runs;
    return Promise.all(
      runs.map((run, index) =>
        this.told(run, voted[index].approval.environments),
      ),
    );
  }

  private repositoryOf({ component }: WaitingApproval): RepositoryRef {
    const [owner, name] = component.repository!.split('/');
    return { host: this.options.githubHost, owner, name };
  }

  private async told(
    { component, approval }: WaitingApproval,
    environments: PendingEnvironment[],
  ): Promise<InboxApproval> {
    const [commitMessage, gatesPassed] = await this.toldOnce(
      component.repository!,
      approval,
    );
    return {
      entityRef: component.entityRef,
      title: component.title,
      owner: component.owner,
      repository: component.repository!,
      runId: approval.runId,
      runNumber: approval.runNumber,
      runName: approval.runName,
      headSha: approval.headSha,
      branch: approval.branch,
      commitMessage,
      htmlUrl: approval.htmlUrl,
      createdAt: approval.createdAt,
      waitingSince: waitingSince(approval),
      requestedBy: approval.requestedBy,
      environments,
      gatesPassed,
    };
  }

  private toldOnce(
    repository: string,
    approval: PendingApproval,
  ): Promise<readonly [string | null, PassedGate[] | null]> {
    const kept = this.toldOf.get(approval);
    if (kept) return kept;
    const [owner, name] = repository.split('/');
    const repo: RepositoryRef = { host: this.options.githubHost, owner, name };
    const telling = this.options.pipelines
      .getRun(repo, approval.runId)
      .then(async ({ data: run }) => {
        const gates = await this.options.pipelines.gates(repo, run);
        const passed = gates.data
          .filter(gate => gate.status === 'success')
          .map((gate): PassedGate => ({ id: gate.id, title: gate.title }));
        return [firstLine(run.head_commit?.message), passed] as const;
      })
      // The decision does not depend on them: say they could not be read, show the rest;
      // the next view asks again.
      .catch(() => {
        this.toldOf.delete(approval);
        return [null, null] as const;
      });
    this.toldOf.set(approval, telling);
    return telling;
  }
}

function firstLine(message: string | null | undefined): string | null {
  const line = message?.split('\n')[0].trim();
  return line ? line : null;
}
