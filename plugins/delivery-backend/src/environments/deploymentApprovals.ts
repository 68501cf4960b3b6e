import {
  AwaitedApprovals,
  GITHUB_USER_LOGIN_ANNOTATION,
  GitHubDeploymentSummary,
  PendingApproval,
  ReviewDecision,
  deliveryError,
} from '@internal/plugin-delivery-common';
import { AnnotatedEntities } from '../access/annotatedEntities';
import { CachedGitHub } from '../github/cachedGitHub';
import {
  GitHubApproval,
  GitHubDeployment,
  GitHubDeploymentStatus,
  GitHubPendingDeployment,
  GitHubRun,
  GitHubRunList,
  RepositoryRef,
  fullName,
} from '../github/types';
import { ApprovalQuorum, decideCounted } from './approvalQuorum';
import { githubFailure, identityOf, startedByYou } from './reviewRefusals';
import { EnvironmentBinding } from './environmentBindings';
import { ProtectionGates } from './protectionGates';
import { Reviewer } from './reviewerIdentity';

const DEPLOYMENTS_SHOWN = 10;
const RUNS_ROUTE = 'GET /repos/{owner}/{repo}/actions/runs';
const PENDING_ROUTE =
  'GET /repos/{owner}/{repo}/actions/runs/{run_id}/pending_deployments';
const WAITING = { status: 'waiting', per_page: 20 };
/** Repositories whose waiting runs are kept at most (then all are dropped and read again). */
const KEPT_REPOSITORIES = 5_000;

type Requester = PendingApproval['requestedBy'];

/**
 * GitHub's side of environments: deployments with statuses, runs waiting for review, and reviews
 * — four eyes included: whoever started a run (its GitHub login, mapped to catalog users through
 * github.com/user-login) may not approve it.
 */
export class DeploymentApprovals {
  private readonly kept = new Map<
    string,
    { urls: string[]; validatedAt: number; value: PendingApproval[] }
  >();

  constructor(
    private readonly github: CachedGitHub,
    private readonly people?: Pick<AnnotatedEntities, 'refs'>,
    /** Distinct approvals per environment; without it one approval decides. */
    private readonly quorum?: Pick<ApprovalQuorum, 'required' | 'approve'>,
    /** The portal's protection-rule gates, when the portal is one (delivery.github.protectionRule). */
    private readonly gates?: Pick<ProtectionGates, 'waitingIn'>,
  ) {}

  /** Distinct approvals a deployment to the GitHub environment needs. */
  private readonly required = (githubEnvironment: string): number =>
    this.quorum?.required(githubEnvironment) ?? 1;

  /** Who started the run on GitHub, and who they are in the catalog. */
  async requester(
    run: Pick<GitHubRun, 'actor' | 'triggering_actor'>,
  ): Promise<Requester> {
    const login = run.triggering_actor?.login ?? run.actor?.login ?? null;
    const userRefs =
      login && this.people
        ? await this.people.refs(GITHUB_USER_LOGIN_ANNOTATION, login, 'User')
        : [];
    return { login, userRefs };
  }

  /**
   * Runs of the repository waiting for a review, newest first, with their pending environments.
   * What was made from the cached answers is kept while they would be served as they are (the
   * inbox reads hundreds of repositories per view): a webhook or the portal's own write about the
   * repository outdates it, as it outdates the answers.
   */
  async waitingRuns(
    repo: RepositoryRef,
    bindings: EnvironmentBinding[],
  ): Promise<PendingApproval[]> {
    const key = `${repo.host}/${repo.owner}/${repo.name}|${bindings
      .map(b => `${b.name}=${b.githubEnvironment}`)
      .join(',')}`;
    const kept = this.kept.get(key);
    const fromGitHub =
      kept && this.github.stillFresh(repo, kept.urls, kept.validatedAt)
        ? kept.value
        : await this.readWaitingRuns(repo, bindings, key);
    return (await this.withPortalGates(repo, bindings, fromGitHub))
      .filter(approval => approval.environments.length > 0)
      .sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  }

  /** Every run GitHub lists waiting, with its pending deployments (none, when only a custom rule holds it). */
  private async readWaitingRuns(
    repo: RepositoryRef,
    bindings: EnvironmentBinding[],
    key: string,
  ): Promise<PendingApproval[]> {
    const urls = [this.github.urlOf(repo, RUNS_ROUTE, WAITING)];
    const runs = await this.github.get<GitHubRunList>(
      repo,
      RUNS_ROUTE,
      WAITING,
    );
    let validatedAt = runs.freshness.validatedAt;
    const approvals = await Promise.all(
      runs.data.workflow_runs.map(async run => {
        const params = { run_id: run.id };
        urls.push(this.github.urlOf(repo, PENDING_ROUTE, params));
        const pending = await this.github.get<GitHubPendingDeployment[]>(
          repo,
          PENDING_ROUTE,
          params,
        );
        validatedAt = Math.min(validatedAt, pending.freshness.validatedAt);
        return toPendingApproval(
          run,
          pending.data,
          bindings,
          await this.requester(run),
          this.required,
        );
      }),
    );
    if (!runs.freshness.stale) {
      if (this.kept.size >= KEPT_REPOSITORIES) this.kept.clear();
      this.kept.set(key, { urls, validatedAt, value: approvals });
    }
    return approvals;
  }

  /**
   * The runs GitHub holds for the portal's own protection rule, as the environments they wait
   * at: added to the run GitHub listed, or to the run read (cached) when the list did not have it
   * yet. The gates are read from the database on every call: deciding one ends its wait at once.
   */
  private async withPortalGates(
    repo: RepositoryRef,
    bindings: EnvironmentBinding[],
    fromGitHub: PendingApproval[],
  ): Promise<PendingApproval[]> {
    if (!this.gates) return fromGitHub;
    const waiting = await this.gates.waitingIn(fullName(repo));
    if (waiting.length === 0) return fromGitHub;
    const approvals = fromGitHub.map(approval => ({
      ...approval,
      environments: [...approval.environments],
    }));
    for (const gate of waiting) {
      let approval = approvals.find(a => a.runId === gate.runId);
      if (!approval) {
        const run = await this.run(repo, gate.runId).catch(() => undefined);
        // A run that ended (cancelled, timed out) waits on nothing any more.
        if (!run || run.status === 'completed') continue;
        approval = toPendingApproval(
          run,
          [],
          bindings,
          await this.requester(run),
          this.required,
        );
        approvals.push(approval);
      }
      if (
        approval.environments.some(
          e =>
            e.gate === 'protection-rule' &&
            e.githubEnvironment === gate.environment,
        )
      )
        continue;
      approval.environments.push({
        gate: 'protection-rule',
        githubEnvironment: gate.environment,
        environment:
          bindings.find(b => b.githubEnvironment === gate.environment)?.name ??
          null,
        githubEnvironmentId: 0,
        waitTimerMinutes: 0,
        waitTimerStartedAt: new Date(gate.requestedAt).toISOString(),
        reviewers: [],
        // The portal's App answers its own rule.
        portalCanReview: true,
        approvalsRequired: this.required(gate.environment),
        approvedBy: [],
      });
    }
    return approvals;
  }

  /** A run, as the cached reads have it. */
  async run(repo: RepositoryRef, runId: number): Promise<GitHubRun> {
    const run = await this.github.get<GitHubRun>(
      repo,
      'GET /repos/{owner}/{repo}/actions/runs/{run_id}',
      { run_id: runId },
    );
    return run.data;
  }

  /** The reviews a run received, newest first. */
  async reviews(repo: RepositoryRef, runId: number): Promise<GitHubApproval[]> {
    const reviews = await this.github.get<GitHubApproval[]>(
      repo,
      'GET /repos/{owner}/{repo}/actions/runs/{run_id}/approvals',
      { run_id: runId },
    );
    return reviews.data;
  }

  /** The newest deployments to a GitHub environment, each with its statuses (newest first). */
  async deployments(
    repo: RepositoryRef,
    githubEnvironment: string,
  ): Promise<GitHubDeploymentSummary[]> {
    const deployments = await this.github.get<GitHubDeployment[]>(
      repo,
      'GET /repos/{owner}/{repo}/deployments',
      { environment: githubEnvironment, per_page: DEPLOYMENTS_SHOWN },
    );
    return Promise.all(
      deployments.data.slice(0, DEPLOYMENTS_SHOWN).map(async deployment => {
        const statuses = await this.github.get<GitHubDeploymentStatus[]>(
          repo,
          'GET /repos/{owner}/{repo}/deployments/{deployment_id}/statuses',
          { deployment_id: deployment.id, per_page: 10 },
        );
        const summaries = statuses.data.map(status => ({
          state: status.state,
          description: status.description ?? null,
          environmentUrl: status.environment_url || null,
          logUrl: status.log_url || null,
          creator: status.creator?.login ?? null,
          createdAt: status.created_at,
        }));
        return {
          id: deployment.id,
          sha: deployment.sha,
          ref: deployment.ref,
          environment: deployment.environment,
          description: deployment.description ?? null,
          creator: deployment.creator?.login ?? null,
          createdAt: deployment.created_at,
          state: summaries[0]?.state ?? null,
          statuses: summaries,
        };
      }),
    );
  }

  /**
   * The run's pending deployments as GitHub answers whoever reviews (the person's own client, or
   * the portal's), read now: `current_user_can_approve` is that identity's. With who started it.
   */
  async pendingAs(
    repo: RepositoryRef,
    runId: number,
    as?: Reviewer,
  ): Promise<{ pending: GitHubPendingDeployment[]; requester: Requester }> {
    const portal = this.github.octokit(repo);
    const identity = identityOf(as);
    const params = { owner: repo.owner, repo: repo.name, run_id: runId };
    const [pending, run] = await Promise.all([
      (as?.octokit ?? portal).rest.actions
        .getPendingDeploymentsForRun(params)
        .then(r => r.data),
      portal.rest.actions.getWorkflowRun(params).then(r => r.data),
    ]).catch(error => {
      throw githubFailure(error, `read run ${runId}`, identity);
    });
    return { pending, requester: await this.requester(run) };
  }

  /**
   * Approves or rejects the run's pending deployments through GitHub's
   * review-pending-deployments API. Reads the pending list uncached first: a run that no longer
   * waits (someone reviewed it, it was cancelled) answers 409 rather than a GitHub 422.
   */
  async review(
    repo: RepositoryRef,
    runId: number,
    options: {
      decision: ReviewDecision;
      /** GitHub environment names; undefined for every pending one. */
      environments?: string[];
      comment: string;
      /** The person deciding (their user entity ref): four eyes are checked against them. */
      reviewer: string;
      reviewerName?: string | null;
      /** Review with the person's own GitHub identity instead of the portal's. */
      as?: Reviewer;
    },
  ): Promise<{
    environments: string[];
    runStatus: string;
    awaiting: AwaitedApprovals[];
  }> {
    const portal = this.github.octokit(repo);
    const octokit = options.as?.octokit ?? portal;
    const identity = identityOf(options.as);
    const params = { owner: repo.owner, repo: repo.name, run_id: runId };
    const pending: GitHubPendingDeployment[] = await octokit.rest.actions
      .getPendingDeploymentsForRun(params)
      .then(r => r.data)
      .catch(error => {
        throw githubFailure(
          error,
          `read the pending deployments of run ${runId}`,
          identity,
        );
      });
    const chosen = options.environments
      ? pending.filter(p => options.environments!.includes(environmentName(p)))
      : pending;
    if (
      chosen.length === 0 ||
      (options.environments && chosen.length < options.environments.length)
    ) {
      const waiting = pending.map(environmentName);
      // Still waiting, but not on what was asked: a wrong request, not a late one.
      throw deliveryError(
        waiting.length === 0 ? 'not-waiting' : 'environment-not-waiting',
        waiting.length === 0
          ? `Run ${runId} is no longer waiting for approval`
          : `Run ${runId} waits only for ${waiting.join(
              ', ',
            )}, not ${options.environments
              ?.filter(e => !waiting.includes(e))
              .join(', ')}`,
      );
    }
    if (options.decision === 'approve') {
      const run = await portal.rest.actions
        .getWorkflowRun(params)
        .then(r => r.data)
        .catch(error => {
          throw githubFailure(error, `read run ${runId}`, identity);
        });
      const requester = await this.requester(run);
      if (requester.userRefs.includes(options.reviewer)) {
        throw deliveryError(
          'self-review',
          startedByYou(runId, requester.login),
        );
      }
    }
    const submit = async (environments: string[]) => {
      try {
        await octokit.rest.actions.reviewPendingDeploymentsForRun({
          ...params,
          environment_ids: chosen
            .filter(p => environments.includes(environmentName(p)))
            .flatMap(p => p.environment.id ?? []),
          state: options.decision === 'approve' ? 'approved' : 'rejected',
          comment: options.comment,
        });
      } catch (error) {
        throw githubFailure(
          error,
          `${options.decision} run ${runId}`,
          identity,
        );
      } finally {
        // Whatever happened, the next environments view must ask GitHub again.
        this.github.expire(repo);
      }
    };
    const { met: reviewed, awaiting } = await decideCounted(
      this.quorum,
      options.decision,
      {
        repo,
        runId,
        environments: chosen.map(environmentName),
        userEntityRef: options.reviewer,
        displayName: options.reviewerName ?? null,
        comment: options.comment,
      },
      submit,
    );
    const run = await portal.rest.actions
      .getWorkflowRun(params)
      .then(r => r.data)
      .catch(() => undefined);
    return {
      environments: reviewed,
      runStatus: run?.status ?? 'unknown',
      awaiting,
    };
  }
}

function toPendingApproval(
  run: GitHubRun,
  pending: GitHubPendingDeployment[],
  bindings: EnvironmentBinding[],
  requestedBy: Requester,
  required: (githubEnvironment: string) => number,
): PendingApproval {
  return {
    requestedBy,
    runId: run.id,
    runNumber: run.run_number,
    runName: run.name ?? run.display_title ?? `Run ${run.run_number}`,
    headSha: run.head_sha,
    branch: run.head_branch ?? '',
    htmlUrl: run.html_url,
    createdAt: run.created_at,
    environments: pending.map(p => ({
      gate: 'required-reviewers' as const,
      githubEnvironment: environmentName(p),
      environment:
        bindings.find(b => b.githubEnvironment === environmentName(p))?.name ??
        null,
      githubEnvironmentId: p.environment.id ?? 0,
      waitTimerMinutes: p.wait_timer ?? 0,
      waitTimerStartedAt: p.wait_timer_started_at ?? null,
      reviewers: (p.reviewers ?? []).map(r => ({
        type: r.type ?? 'User',
        name: reviewerName(r.reviewer),
      })),
      portalCanReview: Boolean(p.current_user_can_approve),
      approvalsRequired: required(environmentName(p)),
      approvedBy: [],
    })),
  };
}

function environmentName(pending: GitHubPendingDeployment): string {
  return pending.environment.name ?? '';
}

/** A user's login or a team's slug. */
function reviewerName(
  reviewer: GitHubPendingDeployment['reviewers'][number]['reviewer'],
): string {
  if (!reviewer) return '';
  return 'login' in reviewer
    ? reviewer.login
    : reviewer.slug ?? reviewer.name ?? '';
}
