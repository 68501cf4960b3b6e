import {
  BackstageCredentials,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  ApprovalRequest,
  PendingApproval,
  deliveryDeploymentApprovePermission,
} from '@internal/plugin-delivery-common';
import { ResourceOwnership } from '../access/resourceOwnership';
import { DeploymentApprovals } from '../environments/deploymentApprovals';
import { EnvironmentBindings } from '../environments/environmentBindings';
import {
  ComponentDirectory,
  InsightsComponent,
} from '../insights/componentDirectory';
import { DeploymentHistory } from '../insights/deploymentHistory';

/** A run waiting for a review, with the component whose repository it ran in. */
export interface WaitingApproval {
  component: InsightsComponent;
  approval: PendingApproval;
}

/** What the person may decide, and the waiting runs they started (four eyes: reject only). */
export interface DecidableApprovals {
  /** Oldest wait first. */
  approvals: WaitingApproval[];
  /** Oldest wait first. */
  startedByYou: WaitingApproval[];
}

/** The deployments waiting for a review the signed-in person may give: the home page's view. */
export interface PendingApprovalsSource {
  forPerson(credentials: BackstageCredentials): Promise<ApprovalRequest[]>;
}

/**
 * Pending approvals from what the events path keeps: the repositories whose runs were last
 * recorded waiting (one query), their components as the catalog has them (one query), the
 * person's delivery.deployment.approve on them (one round), and the repository binding that
 * allows reviews. Only those repositories' waiting runs are read, through the cached GitHub
 * reads a webhook expires; a run the person started is counted apart, never offered.
 */
export class KnownPendingApprovals implements PendingApprovalsSource {
  constructor(
    private readonly options: {
      history: Pick<DeploymentHistory, 'waitingRepositories'>;
      directory: Pick<ComponentDirectory, 'ofRepositories'>;
      approvals: Pick<DeploymentApprovals, 'waitingRuns'>;
      bindings: EnvironmentBindings;
      ownership: ResourceOwnership;
      permissions: PermissionsService;
      githubHost: string;
    },
  ) {}

  async decidable(
    credentials: BackstageCredentials,
  ): Promise<DecidableApprovals> {
    const repositories = await this.options.history.waitingRepositories();
    const candidates = await this.options.directory.ofRepositories(
      repositories,
      credentials,
    );
    if (candidates.length === 0) return { approvals: [], startedByYou: [] };
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
    const me = (credentials.principal as { userEntityRef?: string })
      .userEntityRef;
    const waiting = await Promise.all(
      allowed.map(async component => {
        const [owner, name] = component.repository!.split('/');
        const runs = await this.options.approvals
          .waitingRuns(
            { host: this.options.githubHost, owner, name },
            this.options.bindings.of(component.entity),
          )
          // One repository GitHub cannot answer for now must not empty everyone's inbox.
          .catch(() => []);
        return runs.map(approval => ({ component, approval }));
      }),
    );
    const all = waiting
      .flat()
      .sort(
        (a, b) =>
          waitingSince(a.approval).localeCompare(waitingSince(b.approval)) ||
          a.approval.runId - b.approval.runId,
      );
    const mine = (w: WaitingApproval) =>
      Boolean(me && w.approval.requestedBy.userRefs.includes(me));
    return {
      approvals: all.filter(w => !mine(w)),
      startedByYou: all.filter(mine),
    };
  }

  async forPerson(
    credentials: BackstageCredentials,
  ): Promise<ApprovalRequest[]> {
    const { approvals } = await this.decidable(credentials);
    return approvals
      .map(
        ({ component, approval: run }): ApprovalRequest => ({
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
      )
      .sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  }

  private bound(component: InsightsComponent): boolean {
    const [owner, name] = component.repository!.split('/');
    return this.options.ownership.isRepositoryBound(component.entity, {
      host: this.options.githubHost,
      owner,
      name,
    });
  }
}

/** When a run began waiting: its earliest pending environment's wait, else its start. */
export function waitingSince(approval: PendingApproval): string {
  const starts = approval.environments
    .map(e => e.waitTimerStartedAt)
    .filter((at): at is string => Boolean(at))
    .sort();
  return starts[0] ?? approval.createdAt;
}
