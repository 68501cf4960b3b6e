import {
  BackstageCredentials,
  BackstageUserPrincipal,
} from '@backstage/backend-plugin-api';
import { CompoundEntityRef, Entity } from '@backstage/catalog-model';
import {
  AuditAction,
  AwaitedApprovals,
  AuditTrailResponse,
  EnvironmentsResponse,
  ReviewDeploymentRequest,
  ReviewDeploymentResponse,
  RollbackRequest,
  RollbackResponse,
  RolloutStatus,
  deliveryDeploymentApprovePermission,
  deliveryDeploymentRollbackPermission,
  deliveryReadPermission,
  reasonOf,
} from '@internal/plugin-delivery-common';
import { AuditedRequest } from '../access/auditorEvents';
import { EntityAccess } from '../access/entityAccess';
import { repositoryOfEntity } from '../access/entityRepository';
import { ResourceOwnership } from '../access/resourceOwnership';
import { RepositoryRef } from '../github/types';
import { KubernetesClusters } from '../kubernetes/clusters';
import {
  readDeployment,
  rolloutStatusOf,
} from '../kubernetes/deploymentStatus';
import { AuditedAttempts, WriteAttempt, signature } from './auditedAttempt';
import { AuditTrail, NewAuditEntry } from './auditTrail';
import { DeploymentApprovals } from './deploymentApprovals';
import { ProtectionRuleReviews } from './protectionRuleReviews';
import { ReviewerIdentities } from './reviewerIdentity';
import { EnvironmentBindings } from './environmentBindings';
import { EnvironmentsReader } from './environmentsReader';
import { Rollbacks } from './rollback';
import { RolloutFollower } from './rolloutFollower';

/** Reasons, comments and change causes are cut to this many characters. */
export const MAX_TEXT = 1000;

/** What the audit can say of a review request before it is validated. */
export interface ReviewAsked {
  decision?: string;
  environments?: string[];
  comment?: string;
}

/** What the audit can say of a rollback request before it is validated. */
export interface RollbackAsked {
  toRevision?: number;
  expectedCurrentRevision?: number;
  reason?: string;
}

/** The audit filter of {@link EnvironmentsService.audit}. */
export interface AuditQuery {
  environment?: string;
  action?: AuditAction;
  limit: number;
  before?: number;
}

export interface EnvironmentsServiceOptions {
  access: EntityAccess;
  attempts: AuditedAttempts;
  auditTrail: AuditTrail;
  clusters: KubernetesClusters;
  bindings: EnvironmentBindings;
  reader: EnvironmentsReader;
  approvals: DeploymentApprovals;
  rollbacks: Rollbacks;
  follower: RolloutFollower;
  /** Which repository and namespaces an entity may act on, beyond its own annotations. */
  ownership: ResourceOwnership;
  githubHost: string;
  /**
   * Set when reviews are made with the reviewer's own GitHub identity
   * (delivery.github.reviewWith: reviewer); without it the portal's identity reviews.
   */
  reviewers?: ReviewerIdentities;
  /**
   * Set when the portal is a custom deployment protection rule (delivery.github.protectionRule):
   * a run the rule holds is decided through GitHub's callback, as the portal's GitHub App.
   */
  protectionRule?: ProtectionRuleReviews;
}

/** The audit's `from` of a review: the run, and who asked for its deployment. */
function requestedBy(
  runId: number,
  requester: { login: string | null; userRefs: string[] },
): string {
  return `run ${runId} waiting, requested by ${requester.login ?? 'someone'}${
    requester.userRefs.length ? ` (${requester.userRefs.join(', ')})` : ''
  }`;
}

function describeRevision(ref: { revision: number; image: string }): string {
  return `revision ${ref.revision} (${ref.image})`;
}

/**
 * What runs in an entity's environments, and the approvals and rollbacks people make there,
 * independent of HTTP: reads resolve the entity with the caller's credentials and the read
 * permission; every write is an audited attempt.
 */
export class EnvironmentsService {
  constructor(private readonly options: EnvironmentsServiceOptions) {}

  async environments(
    entityRef: CompoundEntityRef,
    credentials: BackstageCredentials,
  ): Promise<EnvironmentsResponse> {
    const {
      entity,
      entityRef: ref,
      allowed,
    } = await this.options.access.resolve(
      entityRef,
      credentials,
      deliveryReadPermission,
      [
        deliveryDeploymentApprovePermission,
        deliveryDeploymentRollbackPermission,
      ],
    );
    const [approve, rollback] = allowed;
    const repo = this.repositoryOrError(entity);
    const { environments, pendingApprovals } = await this.options.reader.read(
      entity,
      this.options.bindings.of(entity),
      repo,
    );
    const approveBlockedReason =
      repo instanceof Error
        ? null
        : this.options.ownership.unboundReason(entity, repo);
    return {
      entityRef: ref,
      environments,
      pendingApprovals,
      approveBlockedReason,
      permissions: { approve, rollback },
      reviewWith: this.options.reviewers ? 'reviewer' : 'portal',
      observedAt: new Date().toISOString(),
    };
  }

  async rollout(
    entityRef: CompoundEntityRef,
    credentials: BackstageCredentials,
    environment: string,
  ): Promise<RolloutStatus> {
    const { entity } = await this.options.access.resolve(
      entityRef,
      credentials,
      deliveryReadPermission,
    );
    const binding = this.options.bindings.named(entity, environment);
    const deployment = await readDeployment(
      this.options.clusters.forCluster(binding.cluster),
      binding,
    );
    return rolloutStatusOf(binding, deployment, new Date());
  }

  async audit(
    entityRef: CompoundEntityRef,
    credentials: BackstageCredentials,
    query: AuditQuery,
  ): Promise<AuditTrailResponse> {
    const { entityRef: ref } = await this.options.access.resolve(
      entityRef,
      credentials,
      deliveryReadPermission,
    );
    return this.options.auditTrail.list({ entityRef: ref, ...query });
  }

  /** Approves or rejects a run waiting for review, through GitHub, naming the Backstage user. */
  async review(
    entityRef: CompoundEntityRef,
    credentials: BackstageCredentials<BackstageUserPrincipal>,
    runId: number,
    attempt: WriteAttempt<ReviewAsked, ReviewDeploymentRequest>,
    request?: AuditedRequest,
    /** The person's own GitHub token, when reviews are made with it; used for this review only. */
    githubToken?: string,
  ): Promise<ReviewDeploymentResponse> {
    const { asked } = attempt;
    const action: AuditAction =
      asked.decision === 'reject' ? 'reject' : 'approve';
    const { attempts, bindings, approvals, reader } = this.options;
    return attempts.run({
      eventId: 'deployment-review',
      request,
      meta: {
        runId,
        decision: asked.decision,
        environments: asked.environments,
      },
      entityRef,
      credentials,
      entry: {
        environment: asked.environments?.join(',') || 'pending',
        action,
        from: `run ${runId} waiting`,
        to: `run ${runId} ${action === 'approve' ? 'approved' : 'rejected'}`,
        toRevision: null,
        runId,
        reason: asked.comment ?? null,
      },
      validated: attempt.validated,
      act: async (entity, review, entry) => {
        const bound = bindings.of(entity);
        const ours = (githubEnvironment: string) =>
          bound.find(b => b.githubEnvironment === githubEnvironment)?.name ??
          githubEnvironment;
        // Our names (prod) and GitHub's (production) are both accepted.
        const githubEnvironments = review.environments?.map(
          name => bound.find(b => b.name === name)?.githubEnvironment ?? name,
        );
        if (githubEnvironments) {
          entry.environment = githubEnvironments.map(ours).join(',');
        }
        await attempts.authorize(
          entry,
          entity,
          credentials,
          deliveryDeploymentApprovePermission,
        );
        const repo = repositoryOfEntity(entity, this.options.githubHost);
        await attempts.deniedUnlessBound(entry, () =>
          this.options.ownership.assertRepositoryBound(entity, repo),
        );
        const comment = `${
          review.decision === 'approve' ? 'Approved' : 'Rejected'
        } in Titanic Portal by ${signature(entry)}${
          review.comment ? `: ${review.comment}` : ''
        }`;
        // A run the portal's own rule holds is answered as the portal's App, whatever the mode.
        const { protectionRule } = this.options;
        const gates = protectionRule
          ? await protectionRule.gatesOf(repo, runId)
          : [];
        const viaRule = async () => {
          const requester = await protectionRule!.requester(gates);
          entry.from = requestedBy(runId, requester);
          return attempts.deniedUnlessBound(entry, () =>
            protectionRule!.decide(repo, runId, gates, {
              decision: review.decision,
              environments: githubEnvironments,
              comment,
              reviewer: entry.actor,
              reviewerName: entry.actorDisplayName,
            }),
          );
        };
        const viaReviewers = async () => {
          // With the reviewer's own identity, the token must be theirs; GitHub then decides.
          const { reviewers } = this.options;
          const as = reviewers
            ? await attempts.deniedUnlessBound(entry, () =>
                reviewers.of(githubToken, entry.actor),
              )
            : undefined;
          // The audit names who asked for the deployment beside who decided it.
          const requester = await approvals
            .run(repo, runId)
            .then(run => approvals.requester(run))
            .catch(() => null);
          if (requester?.login) entry.from = requestedBy(runId, requester);
          // Four eyes: a review refused because the reviewer started the run is a denial.
          return attempts.deniedUnlessBound(entry, () =>
            approvals.review(repo, runId, {
              decision: review.decision,
              environments: githubEnvironments,
              comment,
              reviewer: entry.actor,
              reviewerName: entry.actorDisplayName,
              as,
            }),
          );
        };
        const ruleWaits = gates.some(
          gate =>
            gate.state === 'waiting' &&
            (!githubEnvironments ||
              githubEnvironments.includes(gate.environment)),
        );
        let decided: ReturnType<typeof viaRule>;
        if (gates.length === 0) decided = viaReviewers();
        else if (ruleWaits) decided = viaRule();
        else {
          // Held by the rule before, by required reviewers now, or by nothing: the rule says why.
          decided = viaReviewers().catch(error => {
            if (reasonOf(error) === 'not-waiting') return viaRule();
            throw error;
          });
        }
        const result = await decided.finally(() =>
          reader.invalidateRepository(repo),
        );
        return this.reviewed(entry, review, runId, comment, result, ours);
      },
    });
  }

  /** Records a review GitHub accepted, and answers it. */
  private async reviewed(
    entry: NewAuditEntry,
    review: ReviewDeploymentRequest,
    runId: number,
    comment: string,
    result: {
      environments: string[];
      runStatus: string;
      awaiting: AwaitedApprovals[];
    },
    /** Our name of a GitHub environment. */
    ours: (githubEnvironment: string) => string,
  ) {
    const { awaiting } = result;
    entry.environment = [
      ...result.environments,
      ...awaiting.map(a => a.githubEnvironment),
    ]
      .map(ours)
      .join(',');
    if (awaiting.length > 0) {
      entry.to = `run ${runId} ${[
        ...result.environments.map(e => `approved for ${e}`),
        ...awaiting.map(
          a =>
            `approval ${a.approvedBy.length} of ${a.approvalsRequired} recorded for ${a.githubEnvironment}`,
        ),
      ].join(', ')}`;
    }
    entry.result = 'succeeded';
    const auditId = await this.options.auditTrail.record(entry);
    return {
      value: {
        runId,
        decision: review.decision,
        environments: result.environments,
        reviewer: {
          userEntityRef: entry.actor,
          displayName: entry.actorDisplayName,
        },
        comment,
        runStatus: result.runStatus,
        awaitingApprovals: awaiting,
        auditId,
      },
      meta: {
        auditId,
        environments: result.environments,
        runStatus: result.runStatus,
        awaitingApprovals: awaiting.map(a => a.githubEnvironment),
      },
    };
  }

  /**
   * Rolls an environment back with `kubectl rollout undo` semantics and follows the rollout in
   * the background; its audit entry records how the rollout ended.
   */
  async rollback(
    entityRef: CompoundEntityRef,
    credentials: BackstageCredentials<BackstageUserPrincipal>,
    environment: string,
    attempt: WriteAttempt<RollbackAsked, RollbackRequest>,
    request?: AuditedRequest,
  ): Promise<RollbackResponse> {
    const requestedAt = new Date().toISOString();
    const { asked } = attempt;
    const toRevision = asked.toRevision;
    const { attempts, bindings, clusters, reader, auditTrail } = this.options;
    return attempts.run({
      eventId: 'deployment-rollback',
      request,
      meta: {
        environment,
        toRevision: toRevision ?? null,
        expectedCurrentRevision: asked.expectedCurrentRevision ?? null,
      },
      entityRef,
      credentials,
      entry: {
        at: requestedAt,
        environment: environment.slice(0, 64),
        action: 'rollback',
        from: null,
        to:
          toRevision === undefined
            ? 'previous revision'
            : `revision ${toRevision}`,
        toRevision:
          toRevision !== undefined && Number.isSafeInteger(toRevision)
            ? toRevision
            : null,
        runId: null,
        reason: asked.reason ?? null,
      },
      validated: attempt.validated,
      act: async (entity, rollback, entry) => {
        await attempts.authorize(
          entry,
          entity,
          credentials,
          deliveryDeploymentRollbackPermission,
        );
        const binding = bindings.named(entity, environment);
        const clients = clusters.forCluster(binding.cluster);
        await attempts.deniedUnlessBound(entry, () =>
          this.options.ownership.assertNamespaceBound(clients, binding, entity),
        );
        const result = await this.options.rollbacks.rollback(clients, binding, {
          toRevision: rollback.toRevision,
          expectedCurrentRevision: rollback.expectedCurrentRevision,
          changeCause: `Rolled back to revision ${
            rollback.toRevision ?? 'previous'
          } in Titanic Portal by ${signature(entry)}${
            rollback.reason ? `: ${rollback.reason}` : ''
          }`.slice(0, MAX_TEXT),
        });
        reader.invalidate(binding);
        Object.assign(entry, {
          from: describeRevision(result.from),
          to: describeRevision(result.to),
          fromRevision: result.from.revision,
          toRevision: result.to.revision,
          result: result.kind === 'no-op' ? 'no-op' : 'succeeded',
          rolloutStatus: result.kind === 'no-op' ? null : result.rollout.phase,
        });
        const auditId = await auditTrail.record(entry);
        if (result.kind === 'rolled-back') {
          this.options.follower.follow(binding, result.generation, auditId);
        }
        return {
          value: {
            outcome: result.kind,
            message: result.message,
            environment: binding.name,
            namespace: binding.namespace,
            deploymentName: binding.deploymentName,
            from: result.from,
            to: result.to,
            newRevision:
              result.kind === 'rolled-back'
                ? result.newRevision
                : result.from.revision,
            rollout: result.rollout,
            requestedAt,
            auditId,
          },
          meta: {
            auditId,
            outcome: result.kind,
            from: entry.from,
            to: entry.to,
          },
        };
      },
    });
  }

  private repositoryOrError(entity: Entity): RepositoryRef | Error {
    try {
      return repositoryOfEntity(entity, this.options.githubHost);
    } catch (error) {
      return error as Error;
    }
  }
}
