import {
  ApprovalVote,
  AwaitedApprovals,
  PendingApproval,
  ReviewDecision,
  deliveryError,
} from '@internal/plugin-delivery-common';
import { DatabaseService } from '@backstage/backend-plugin-api';
import { Knex } from 'knex';
import { pluginDatabase } from '../database/pluginDatabase';
import { RepositoryRef, fullName } from '../github/types';
import { EnvironmentTemplate } from './environmentBindings';

const TABLE = 'delivery_approval_votes';

/** One person's approval of a run's environments, as the review route is asked it. */
export interface QuorumApproval {
  repo: RepositoryRef;
  runId: number;
  /** GitHub environment names the run waits on and the person approves. */
  environments: string[];
  userEntityRef: string;
  displayName: string | null;
  comment: string | null;
}

/** What an approval came to: the environments to approve on GitHub now, and those still short. */
export interface QuorumOutcome {
  met: string[];
  awaiting: AwaitedApprovals[];
}

interface VoteRow {
  repository: string;
  run_id: number | string;
  github_environment: string;
  user_entity_ref: string;
  display_name: string | null;
  at: number | string;
}

/**
 * Minimum approvals by distinct people per GitHub environment
 * (`delivery.environments[].minimumApprovals`): each approval is recorded until enough distinct
 * people gave one; the last one needed is the one sent to GitHub (or to the portal's own
 * protection rule). Approvals of one run's environment are counted one at a time (a transaction
 * holding a lock on PostgreSQL; SQLite has one writer), so two people approving at once make
 * one approval on GitHub, and a GitHub refusal leaves nothing recorded.
 */
export class ApprovalQuorum {
  static async create(
    database: DatabaseService,
    minimums: ReadonlyMap<string, number>,
  ): Promise<ApprovalQuorum> {
    return new ApprovalQuorum(await pluginDatabase(database), minimums);
  }

  private readonly locks: boolean;

  constructor(
    private readonly knex: Knex,
    /** Distinct approvals required, by GitHub environment; 1 when absent. */
    private readonly minimums: ReadonlyMap<string, number>,
  ) {
    this.locks = /^(pg|postgres)/i.test(String(knex.client.config.client));
  }

  /** How many distinct people must approve a deployment to this GitHub environment. */
  required(githubEnvironment: string): number {
    return this.minimums.get(githubEnvironment) ?? 1;
  }

  /**
   * The runs with the approvals recorded for their environments that need several (one query,
   * none when no environment does). Answers new objects; the ones given are left as they are.
   */
  async withVotes(
    repo: RepositoryRef,
    approvals: PendingApproval[],
  ): Promise<PendingApproval[]> {
    const runs = await this.withVotesOf(
      approvals.map(approval => ({ repo, approval })),
    );
    return runs.map(run => run.approval);
  }

  /** {@link withVotes} for runs of several repositories, in one query. */
  async withVotesOf<
    T extends { repo: RepositoryRef; approval: PendingApproval },
  >(runs: T[]): Promise<T[]> {
    const counted = runs.filter(({ approval }) =>
      approval.environments.some(e => e.approvalsRequired > 1),
    );
    if (counted.length === 0) return runs;
    const rows: VoteRow[] = await this.knex(TABLE)
      .whereIn(
        ['repository', 'run_id'],
        counted.map(({ repo, approval }) => [fullName(repo), approval.runId]),
      )
      .orderBy([{ column: 'at' }, { column: 'user_entity_ref' }]);
    return runs.map(run => ({
      ...run,
      approval: {
        ...run.approval,
        environments: run.approval.environments.map(environment => ({
          ...environment,
          approvedBy: rows
            .filter(
              row =>
                row.repository === fullName(run.repo) &&
                Number(row.run_id) === run.approval.runId &&
                row.github_environment === environment.githubEnvironment,
            )
            .map(toVote),
        })),
      },
    }));
  }

  /** The approvals recorded for one run, by GitHub environment. */
  async recorded(
    repo: RepositoryRef,
    runId: number,
  ): Promise<Map<string, ApprovalVote[]>> {
    const rows: VoteRow[] = await this.knex(TABLE)
      .where({ repository: fullName(repo), run_id: runId })
      .orderBy([{ column: 'at' }, { column: 'user_entity_ref' }]);
    const recorded = new Map<string, ApprovalVote[]>();
    for (const row of rows) {
      recorded.set(row.github_environment, [
        ...(recorded.get(row.github_environment) ?? []),
        toVote(row),
      ]);
    }
    return recorded;
  }

  /**
   * Records the person's approval of each environment needing several, counted one at a time,
   * then calls `approve` with the environments whose required approvals are now met (all those
   * needing one). If `approve` fails (GitHub refuses), the approvals this call recorded are taken
   * back: nothing is left of it. 409 `already-approved` when the person's approval of an
   * environment is already recorded; 409 `not-waiting` when the count was already complete.
   */
  async approve(
    asked: QuorumApproval,
    approve: (met: string[]) => Promise<void>,
  ): Promise<QuorumOutcome> {
    const counted = asked.environments.filter(e => this.required(e) > 1);
    if (counted.length === 0) {
      await approve(asked.environments);
      return { met: asked.environments, awaiting: [] };
    }
    const outcome = await this.knex.transaction(async trx => {
      const met = asked.environments.filter(e => this.required(e) <= 1);
      const awaiting: AwaitedApprovals[] = [];
      for (const environment of counted) {
        const approvedBy = await this.record(trx, asked, environment);
        if (approvedBy.length >= this.required(environment)) {
          met.push(environment);
        } else {
          awaiting.push({
            githubEnvironment: environment,
            approvedBy,
            approvalsRequired: this.required(environment),
          });
        }
      }
      return { met, awaiting };
    });
    if (outcome.met.length > 0) {
      try {
        await approve(outcome.met);
      } catch (error) {
        await this.knex(TABLE)
          .where({
            repository: fullName(asked.repo),
            run_id: asked.runId,
            user_entity_ref: asked.userEntityRef,
          })
          .whereIn('github_environment', counted)
          .delete();
        throw error;
      }
    }
    return outcome;
  }

  /** Records one approval of one environment, after the ones recorded before it. */
  private async record(
    trx: Knex.Transaction,
    asked: QuorumApproval,
    environment: string,
  ): Promise<ApprovalVote[]> {
    const given = await this.count(trx, asked, environment);
    const required = this.required(environment);
    if (given.some(v => v.userEntityRef === asked.userEntityRef)) {
      throw deliveryError(
        'already-approved',
        `Your approval of run ${asked.runId} for ${environment} is already recorded (${given.length} of ${required}); someone else must approve it too`,
      );
    }
    if (given.length >= required) {
      throw deliveryError(
        'not-waiting',
        `Run ${asked.runId} already has the ${required} approvals ${environment} needs`,
      );
    }
    const at = Date.now();
    await trx(TABLE).insert({
      repository: fullName(asked.repo),
      run_id: asked.runId,
      github_environment: environment,
      user_entity_ref: asked.userEntityRef,
      display_name: asked.displayName,
      comment: asked.comment?.slice(0, 2048) ?? null,
      at,
    });
    return [
      ...given,
      {
        userEntityRef: asked.userEntityRef,
        displayName: asked.displayName,
        at: new Date(at).toISOString(),
      },
    ];
  }

  /** The approvals recorded for one run's environment, counted by one transaction at a time. */
  private async count(
    trx: Knex.Transaction,
    asked: QuorumApproval,
    environment: string,
  ): Promise<ApprovalVote[]> {
    const key = `${fullName(asked.repo)}#${asked.runId}#${environment}`;
    if (this.locks) {
      await trx.raw('select pg_advisory_xact_lock(hashtext(?))', [key]);
    }
    const rows: VoteRow[] = await trx(TABLE)
      .where({
        repository: fullName(asked.repo),
        run_id: asked.runId,
        github_environment: environment,
      })
      .orderBy([{ column: 'at' }, { column: 'user_entity_ref' }]);
    return rows.map(toVote);
  }
}

/**
 * Sends a decision on the environments asked: an approval through the quorum when there is one
 * (environments needing several people are sent with the approval that completes their count),
 * a rejection — or any decision without a quorum — at once.
 */
export async function decideCounted(
  quorum: Pick<ApprovalQuorum, 'approve'> | undefined,
  decision: ReviewDecision,
  asked: QuorumApproval,
  send: (environments: string[]) => Promise<void>,
): Promise<QuorumOutcome> {
  if (decision === 'approve' && quorum) return quorum.approve(asked, send);
  await send(asked.environments);
  return { met: asked.environments, awaiting: [] };
}

/** Distinct approvals required per GitHub environment: the most any environment naming it asks. */
export function minimumApprovals(
  environments: EnvironmentTemplate[],
): Map<string, number> {
  const minimums = new Map<string, number>();
  for (const {
    githubEnvironment,
    minimumApprovals: minimum = 1,
  } of environments) {
    minimums.set(
      githubEnvironment,
      Math.max(minimum, minimums.get(githubEnvironment) ?? 1),
    );
  }
  return minimums;
}

function toVote(row: VoteRow): ApprovalVote {
  return {
    userEntityRef: row.user_entity_ref,
    displayName: row.display_name,
    at: new Date(Number(row.at)).toISOString(),
  };
}
