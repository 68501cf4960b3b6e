import { BackstageCredentials } from '@backstage/backend-plugin-api';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { PermissionsService } from '@backstage/backend-plugin-api';
import {
  ApprovalRequest,
  deliveryDeploymentApprovePermission,
} from '@internal/plugin-delivery-common';
import { ResourceOwnership } from '../access/resourceOwnership';
import { DeploymentApprovals } from '../environments/deploymentApprovals';
import { EnvironmentBindings } from '../environments/environmentBindings';
import { InsightsComponent } from './componentDirectory';
import { DeploymentHistory } from './deploymentHistory';

/**
 * The deployments waiting for a review the signed-in person may give. The approvals inbox
 * (issue 15) replaces this with its own source; the home page only needs this interface.
 */
export interface PendingApprovalsSource {
  forPerson(
    components: InsightsComponent[],
    credentials: BackstageCredentials,
  ): Promise<ApprovalRequest[]>;
}

/**
 * Pending approvals from what the delivery backend already knows: the repositories whose runs
 * the history last saw waiting, confirmed through the cached GitHub reads the environments view
 * uses, for the components the person may approve (delivery.deployment.approve, one round) and
 * whose repository binding allows reviews — less the runs the person started themselves.
 */
export class KnownPendingApprovals implements PendingApprovalsSource {
  constructor(
    private readonly options: {
      history: DeploymentHistory;
      approvals: DeploymentApprovals;
      bindings: EnvironmentBindings;
      ownership: ResourceOwnership;
      permissions: PermissionsService;
      githubHost: string;
    },
  ) {}

  async forPerson(
    components: InsightsComponent[],
    credentials: BackstageCredentials,
  ): Promise<ApprovalRequest[]> {
    const waiting = new Set(
      (await this.options.history.waitingRuns()).map(run => run.repository),
    );
    const candidates = components.filter(
      c => c.repository && waiting.has(c.repository),
    );
    if (candidates.length === 0) return [];
    const decisions = await this.options.permissions.authorize(
      candidates.map(c => ({
        permission: deliveryDeploymentApprovePermission,
        resourceRef: c.entityRef.toLocaleLowerCase('en-US'),
      })),
      { credentials },
    );
    const allowed = candidates.filter(
      (c, index) =>
        decisions[index].result === AuthorizeResult.ALLOW && this.bound(c),
    );
    // Four eyes: a run the person started is someone else's to approve.
    const me = (credentials.principal as { userEntityRef?: string })
      .userEntityRef;
    const requests = await Promise.all(
      allowed.map(async component => {
        const [owner, name] = component.repository!.split('/');
        const bindings = this.options.bindings.of(component.entity);
        const runs = await this.options.approvals
          .waitingRuns({ host: this.options.githubHost, owner, name }, bindings)
          .catch(() => []);
        const theirs = runs.filter(
          run => !me || !run.requestedBy.userRefs.includes(me),
        );
        return theirs.map(
          (run): ApprovalRequest => ({
            entityRef: component.entityRef,
            title: component.title,
            repository: component.repository!,
            runId: run.runId,
            runNumber: run.runNumber,
            runName: run.runName,
            headSha: run.headSha,
            branch: run.branch,
            environments: run.environments.map(e => e.githubEnvironment),
            environmentNames: run.environments.flatMap(e =>
              e.environment ? [e.environment] : [],
            ),
            createdAt: run.createdAt,
            htmlUrl: run.htmlUrl,
          }),
        );
      }),
    );
    return requests
      .flat()
      .sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  }

  private bound(component: InsightsComponent): boolean {
    try {
      const [owner, name] = component.repository!.split('/');
      this.options.ownership.assertRepositoryBound(component.entity, {
        host: this.options.githubHost,
        owner,
        name,
      });
      return true;
    } catch {
      return false;
    }
  }
}
