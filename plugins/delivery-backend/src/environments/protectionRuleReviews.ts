import {
  AwaitedApprovals,
  GITHUB_USER_LOGIN_ANNOTATION,
  PendingApproval,
  ReviewDecision,
  deliveryError,
} from '@internal/plugin-delivery-common';
import { AnnotatedEntities } from '../access/annotatedEntities';
import { CachedGitHub } from '../github/cachedGitHub';
import { RepositoryRef, fullName } from '../github/types';
import { RunWaitListener } from '../insights/deploymentHistory';
import { ApprovalQuorum, QuorumOutcome, decideCounted } from './approvalQuorum';
import { githubFailure, startedByYou } from './reviewRefusals';
import { ProtectionGate, ProtectionGates } from './protectionGates';

type Requester = PendingApproval['requestedBy'];

const IDENTITY = "the portal's GitHub App";

/**
 * Decisions on the runs GitHub holds for the portal's custom deployment protection rule
 * (delivery.github.protectionRule): GitHub asked the portal's GitHub App, and the App answers
 * through the run's deployment_protection_rule callback with what an allowed person decided in
 * the portal. Four eyes hold here too: neither the run's triggering actor nor the deployment's
 * creator may approve it. One decision per gate counts (see {@link ProtectionGates.decide}).
 */
export class ProtectionRuleReviews {
  constructor(
    private readonly options: {
      gates: ProtectionGates;
      github: Pick<CachedGitHub, 'octokit' | 'expire'>;
      people?: Pick<AnnotatedEntities, 'refs'>;
      /** Told once GitHub took a decision (the requester hears who decided). */
      onDecided?: RunWaitListener;
      /** Distinct approvals per environment; without it one approval decides. */
      quorum?: Pick<ApprovalQuorum, 'approve'>;
      now?: () => number;
    },
  ) {}

  /** Every gate of the portal's rule on the run, decided or not (none: the rule never held it). */
  gatesOf(repo: RepositoryRef, runId: number): Promise<ProtectionGate[]> {
    return this.options.gates.ofRun(fullName(repo), runId);
  }

  /** Who asked for the held deployment: the run's triggering actor, and who they are in the catalog. */
  async requester(gates: ProtectionGate[]): Promise<Requester> {
    const login = gates.at(-1)?.requester ?? null;
    return { login, userRefs: await this.refsOf(login) };
  }

  /**
   * Approves or rejects the run's held environments (GitHub names; undefined for every waiting
   * one), answering GitHub's callback as the portal's GitHub App.
   */
  async decide(
    repo: RepositoryRef,
    runId: number,
    gates: ProtectionGate[],
    options: {
      decision: ReviewDecision;
      environments?: string[];
      comment: string;
      /** The person deciding (their user entity ref). */
      reviewer: string;
      reviewerName?: string | null;
    },
  ): Promise<{
    environments: string[];
    runStatus: string;
    awaiting: AwaitedApprovals[];
  }> {
    const latest = new Map<string, ProtectionGate>();
    for (const gate of gates) latest.set(gate.environment, gate);
    const held = [...latest.keys()];
    const asked =
      options.environments ??
      [...latest.values()]
        .filter(gate => gate.state === 'waiting')
        .map(gate => gate.environment);
    const elsewhere = asked.filter(environment => !latest.has(environment));
    if (elsewhere.length > 0) {
      throw deliveryError(
        'environment-not-waiting',
        `Run ${runId} waits on the portal's protection rule for ${held.join(
          ', ',
        )}, not ${elsewhere.join(', ')}`,
      );
    }
    const decided = asked.length
      ? asked.map(e => latest.get(e)!).filter(g => g.state !== 'waiting')
      : [...latest.values()];
    if (decided.length > 0) throw alreadyDecided(runId, decided);
    if (options.decision === 'approve') {
      await this.assertNotRequester(
        runId,
        asked.map(e => latest.get(e)!),
        options.reviewer,
      );
    }
    const octokit = this.options.github.octokit(repo);
    const state = options.decision === 'approve' ? 'approved' : 'rejected';
    const answer = async (environments: string[]) => {
      for (const environment of environments) {
        const outcome = await this.options.gates.decide(
          fullName(repo),
          runId,
          environment,
          {
            state,
            decidedBy: options.reviewer,
            comment: options.comment,
            at: this.options.now?.() ?? Date.now(),
          },
          async () => {
            await octokit.rest.actions
              .reviewCustomGatesForRun({
                owner: repo.owner,
                repo: repo.name,
                run_id: runId,
                environment_name: environment,
                state,
                comment: options.comment,
              })
              .catch(error => {
                throw githubFailure(
                  error,
                  `${options.decision} run ${runId} for ${environment}`,
                  IDENTITY,
                );
              });
          },
        );
        if (outcome === 'already-decided') {
          throw alreadyDecided(
            runId,
            (await this.gatesOf(repo, runId)).filter(
              g => g.environment === environment && g.state !== 'waiting',
            ),
          );
        }
      }
    };
    let outcome: QuorumOutcome;
    try {
      outcome = await decideCounted(
        this.options.quorum,
        options.decision,
        {
          repo,
          runId,
          environments: asked,
          userEntityRef: options.reviewer,
          displayName: options.reviewerName ?? null,
          comment: options.comment,
        },
        answer,
      );
    } finally {
      // Whatever happened, the next environments view must ask GitHub again.
      this.options.github.expire(repo);
    }
    const run = await octokit.rest.actions
      .getWorkflowRun({ owner: repo.owner, repo: repo.name, run_id: runId })
      .then(read => read.data)
      .catch(() => undefined);
    const { met: answered, awaiting } = outcome;
    if (answered.length > 0) {
      await this.options.onDecided?.([
        {
          repository: fullName(repo),
          runId,
          change: 'ended',
          status: run?.status ?? 'unknown',
          conclusion: run?.conclusion ?? null,
          updatedAt: this.options.now?.() ?? Date.now(),
        },
      ]);
    }
    return {
      environments: answered,
      runStatus: run?.status ?? 'unknown',
      awaiting,
    };
  }

  /** Four eyes: whoever started the run, or created its deployment, may not approve it. */
  private async assertNotRequester(
    runId: number,
    gates: ProtectionGate[],
    reviewer: string,
  ): Promise<void> {
    for (const gate of gates) {
      for (const login of [gate.requester, gate.deploymentCreator]) {
        if ((await this.refsOf(login)).includes(reviewer)) {
          throw deliveryError('self-review', startedByYou(runId, login));
        }
      }
    }
  }

  private async refsOf(login: string | null): Promise<string[]> {
    return login && this.options.people
      ? this.options.people.refs(GITHUB_USER_LOGIN_ANNOTATION, login, 'User')
      : [];
  }
}

function alreadyDecided(runId: number, decided: ProtectionGate[]) {
  const said = decided
    .map(
      gate =>
        `${gate.state} for ${gate.environment}${
          gate.decidedBy ? ` by ${gate.decidedBy}` : ''
        }`,
    )
    .join(', ');
  return deliveryError(
    'already-decided',
    `Run ${runId} was already decided in the portal (${
      said || 'nothing waits'
    }): one decision counts`,
  );
}
