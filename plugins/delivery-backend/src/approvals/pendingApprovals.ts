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
import {
  EnvironmentBinding,
  EnvironmentBindings,
} from '../environments/environmentBindings';
import { RepositoryRef } from '../github/types';
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

/** How long the components a person may decide are kept before they are asked again. */
const PERSON_KEPT_MS = 30_000;
/** People whose components are kept at most (then all are dropped and asked again). */
const PEOPLE_KEPT = 10_000;

/** A component the person may decide, with what reading its waiting runs needs. */
interface DecidableComponent {
  component: InsightsComponent;
  repo: RepositoryRef;
  bindings: EnvironmentBinding[];
  /** Its repository, lowercase, as the history names it. */
  key: string;
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

  private readonly people = new Map<
    string,
    { at: number; asked: Set<string>; components: DecidableComponent[] }
  >();

  async decidable(
    credentials: BackstageCredentials,
  ): Promise<DecidableApprovals> {
    const repositories = (await this.options.history.waitingRepositories()).map(
      r => r.toLocaleLowerCase('en-US'),
    );
    const components = await this.components(repositories, credentials);
    const me = (credentials.principal as { userEntityRef?: string })
      .userEntityRef;
    const waiting = await Promise.all(
      components.map(async ({ component, repo, bindings }) => {
        const runs = await this.options.approvals
          .waitingRuns(repo, bindings)
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

  /**
   * The components of these repositories the person may decide: kept for a while per person
   * (the catalog and the permissions are asked again after PERSON_KEPT_MS, or at once when a
   * repository they were not asked about starts waiting).
   */
  private async components(
    repositories: string[],
    credentials: BackstageCredentials,
  ): Promise<DecidableComponent[]> {
    const person = (credentials.principal as { userEntityRef?: string })
      .userEntityRef;
    const now = Date.now();
    const kept = person ? this.people.get(person) : undefined;
    if (
      kept &&
      now - kept.at < PERSON_KEPT_MS &&
      repositories.every(r => kept.asked.has(r))
    ) {
      const waiting = new Set(repositories);
      return kept.components.filter(c => waiting.has(c.key));
    }
    const components = await this.ask(repositories, credentials);
    if (person) {
      if (this.people.size >= PEOPLE_KEPT) this.people.clear();
      this.people.set(person, {
        at: now,
        asked: new Set(repositories),
        components,
      });
    }
    return components;
  }

  /** The catalog's components of the repositories, then the person's approve permission. */
  private async ask(
    repositories: string[],
    credentials: BackstageCredentials,
  ): Promise<DecidableComponent[]> {
    const candidates = await this.options.directory.ofRepositories(
      repositories,
      credentials,
    );
    if (candidates.length === 0) return [];
    const decisions = await this.options.permissions.authorize(
      candidates.map(c => ({
        permission: deliveryDeploymentApprovePermission,
        resourceRef: c.entityRef.toLocaleLowerCase('en-US'),
      })),
      { credentials },
    );
    return candidates.flatMap((component, index): DecidableComponent[] => {
      if (decisions[index].result !== AuthorizeResult.ALLOW) return [];
      const [owner, name] = component.repository!.split('/');
      const repo = { host: this.options.githubHost, owner, name };
      if (!this.options.ownership.isRepositoryBound(component.entity, repo)) {
        return [];
      }
      try {
        const bindings = this.options.bindings.of(component.entity);
        const key = component.repository!.toLocaleLowerCase('en-US');
        return [{ component, repo, bindings, key }];
      } catch {
        // Environments it misnames cannot be reviewed here; its page says why.
        return [];
      }
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
