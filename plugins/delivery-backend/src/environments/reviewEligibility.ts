import {
  BackstageCredentials,
  BackstageUserPrincipal,
} from '@backstage/backend-plugin-api';
import { CompoundEntityRef } from '@backstage/catalog-model';
import {
  ApprovalVote,
  EnvironmentEligibility,
  ReviewEligibilityResponse,
  deliveryDeploymentApprovePermission,
  deliveryReadPermission,
} from '@internal/plugin-delivery-common';
import { EntityAccess } from '../access/entityAccess';
import { repositoryOfEntity } from '../access/entityRepository';
import { ResourceOwnership } from '../access/resourceOwnership';
import { ApprovalQuorum } from './approvalQuorum';
import { DeploymentApprovals } from './deploymentApprovals';
import { startedByYou } from './reviewRefusals';
import { EnvironmentBindings } from './environmentBindings';
import { ReviewerIdentities } from './reviewerIdentity';

/**
 * Whether the signed-in person may approve or reject a waiting run, asked before they try: the
 * review dialog's buttons follow it. GitHub answers `current_user_can_approve` for the identity
 * that would review — the person's own with reviewWith `reviewer` (their token, for this request
 * only), else the portal's — and the portal adds what it enforces itself: the permission, the
 * repository binding, four eyes and the approvals already recorded. The review route checks all
 * of it again.
 */
export class ReviewEligibility {
  constructor(
    private readonly options: {
      access: EntityAccess;
      approvals: Pick<DeploymentApprovals, 'pendingAs'>;
      bindings: EnvironmentBindings;
      ownership: ResourceOwnership;
      quorum?: Pick<ApprovalQuorum, 'recorded'>;
      reviewers?: ReviewerIdentities;
      githubHost: string;
    },
  ) {}

  async of(
    entityRef: CompoundEntityRef,
    credentials: BackstageCredentials<BackstageUserPrincipal>,
    runId: number,
    /** The person's own GitHub token, when reviews are made with it. */
    githubToken?: string,
  ): Promise<ReviewEligibilityResponse> {
    const { entity, allowed } = await this.options.access.resolve(
      entityRef,
      credentials,
      deliveryReadPermission,
      [deliveryDeploymentApprovePermission],
    );
    const me = credentials.principal.userEntityRef;
    const repo = repositoryOfEntity(entity, this.options.githubHost);
    const { reviewers } = this.options;
    const as = reviewers ? await reviewers.of(githubToken, me) : undefined;
    const { pending, requester } = await this.options.approvals.pendingAs(
      repo,
      runId,
      as,
    );
    const bound = this.options.bindings.of(entity);
    const environments = pending.map(p => ({
      githubEnvironment: p.environment.name ?? '',
      canApprove: Boolean(p.current_user_can_approve),
    }));
    const recorded: Map<string, ApprovalVote[]> =
      (await this.options.quorum?.recorded(repo, runId)) ?? new Map();
    const startedIt = requester.userRefs.includes(me);
    const unbound = this.options.ownership.unboundReason(entity, repo);
    /** Why the person may not review at all (neither approve nor reject), if so. */
    const refusal = (environment: {
      githubEnvironment: string;
      canApprove: boolean;
    }): string | null => {
      if (!allowed[0]) {
        return `You may not review deployments of ${entityRef.name} (delivery.deployment.approve)`;
      }
      if (unbound) return unbound;
      if (!environment.canApprove) {
        return `GitHub does not list ${
          as ? `you (${as.login})` : "the portal's identity"
        } as a reviewer of ${environment.githubEnvironment}`;
      }
      return null;
    };
    const fourEyes = startedByYou(runId, requester.login);
    return {
      runId,
      reviewWith: reviewers ? 'reviewer' : 'portal',
      githubLogin: as?.login ?? null,
      environments: environments.map((environment): EnvironmentEligibility => {
        const refused = refusal(environment);
        const approvedIt = recorded
          .get(environment.githubEnvironment)
          ?.some(vote => vote.userEntityRef === me);
        // Four eyes says more than GitHub's refusal of the person who started it.
        let reason = startedIt && allowed[0] ? fourEyes : refused;
        if (!reason && approvedIt) {
          reason =
            'Your approval is recorded — someone else must approve it too';
        }
        return {
          githubEnvironment: environment.githubEnvironment,
          environment:
            bound.find(
              b => b.githubEnvironment === environment.githubEnvironment,
            )?.name ?? null,
          canApprove: reason === null,
          canReject: refused === null,
          reason,
        };
      }),
    };
  }
}
