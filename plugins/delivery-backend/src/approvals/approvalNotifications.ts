import { AuthService, LoggerService } from '@backstage/backend-plugin-api';
import { parseEntityRef } from '@backstage/catalog-model';
import { NotificationService } from '@backstage/plugin-notifications-node';
import { PendingApproval } from '@internal/plugin-delivery-common';
import { ResourceOwnership } from '../access/resourceOwnership';
import { DeploymentApprovals } from '../environments/deploymentApprovals';
import { EnvironmentBindings } from '../environments/environmentBindings';
import { ProtectionGates } from '../environments/protectionGates';
import { RepositoryRef, fullName } from '../github/types';
import {
  ComponentDirectory,
  InsightsComponent,
} from '../insights/componentDirectory';
import { RunWaitChange } from '../insights/deploymentHistory';

/** The notifications' topic: people can mute it in their notification settings. */
export const APPROVALS_TOPIC = 'Deployment approvals';

/** A run first seen already waiting is told only if it began this recently (ms). */
const FIRST_SIGHT_MS = 60 * 60 * 1000;

/**
 * Tells people about deployments waiting for a review, through Backstage's notifications: the
 * owning group (less the requester) when a run begins waiting, the requester when it is decided —
 * by whom and with what comment, as GitHub recorded the review, whether it was given in the
 * portal or on GitHub. Each run's notice has a scope, so a notice told twice is one notice.
 */
export class ApprovalNotifications {
  constructor(
    private readonly options: {
      notifications: NotificationService;
      directory: Pick<ComponentDirectory, 'ofRepositories'>;
      approvals: Pick<
        DeploymentApprovals,
        'waitingRuns' | 'run' | 'reviews' | 'requester'
      >;
      bindings: EnvironmentBindings;
      /** The portal's protection-rule gates, whose decisions GitHub keeps no review of. */
      gates?: Pick<ProtectionGates, 'ofRun'>;
      ownership: Pick<ResourceOwnership, 'isRepositoryBound'>;
      auth: AuthService;
      logger: LoggerService;
      githubHost: string;
      /** The clock (ms); tests set it. */
      now?: () => number;
    },
  ) {}

  /** The history's listener: tells every change, and never fails the recording. */
  readonly changed = async (changes: RunWaitChange[]): Promise<void> => {
    await Promise.all(
      changes.map(change =>
        this.tell(change).catch(error =>
          this.options.logger.warn(
            `Could not tell about run ${change.runId} of ${change.repository}: ${error}`,
          ),
        ),
      ),
    );
  };

  private async tell(change: RunWaitChange): Promise<void> {
    const now = this.options.now?.() ?? Date.now();
    if (change.change === 'began' && now - change.updatedAt > FIRST_SIGHT_MS) {
      return;
    }
    const credentials = await this.options.auth.getOwnServiceCredentials();
    const [owner, name] = change.repository.split('/');
    const repo: RepositoryRef = { host: this.options.githubHost, owner, name };
    // Only the components read from the repository they name speak for it.
    const components = (
      await this.options.directory.ofRepositories(
        [change.repository],
        credentials,
      )
    ).filter(component =>
      this.options.ownership.isRepositoryBound(component.entity, repo),
    );
    if (components.length === 0) return;
    if (change.change === 'ended') {
      await this.decided(repo, components[0], change);
      return;
    }
    // One notice per owning team, however many of its components the repository holds.
    const byOwner = new Map<string, InsightsComponent>();
    for (const component of components) {
      if (component.owner && !byOwner.has(component.owner)) {
        byOwner.set(component.owner, component);
      }
    }
    for (const component of byOwner.values()) {
      await this.waiting(repo, component, change.runId);
    }
  }

  /** To the owning group, but not to whoever started the run: they may not approve it. */
  private async waiting(
    repo: RepositoryRef,
    component: InsightsComponent,
    runId: number,
  ): Promise<void> {
    const runs = await this.options.approvals.waitingRuns(
      repo,
      this.options.bindings.of(component.entity),
    );
    const run = runs.find(r => r.runId === runId);
    if (!run) return;
    const environments = environmentNames(run);
    const by = run.requestedBy.login ?? 'someone';
    await this.options.notifications.send({
      recipients: {
        type: 'entity',
        entityRef: component.owner,
        excludeEntityRef: run.requestedBy.userRefs,
      },
      payload: {
        title: `${component.title}: run #${run.runNumber} waits for your review to deploy to ${environments}`,
        description: `${run.runName} on ${run.branch} (${run.headSha.slice(
          0,
          7,
        )}), started by ${by}. Approve or reject it in the approvals inbox; ${by} may not approve it.`,
        link: '/approvals',
        severity: 'high',
        topic: APPROVALS_TOPIC,
        scope: `delivery-approval:${repo.owner}/${repo.name}:${runId}`,
      },
    });
  }

  /** To whoever started the run: approved (by whom, with what), rejected, or no longer waiting. */
  private async decided(
    repo: RepositoryRef,
    component: InsightsComponent,
    change: RunWaitChange,
  ): Promise<void> {
    const run = await this.options.approvals.run(repo, change.runId);
    const requester = await this.options.approvals.requester(run);
    if (requester.userRefs.length === 0) return;
    const [review] = await this.options.approvals.reviews(repo, change.runId);
    // The portal's own rule was answered as its App: the gate says who decided, GitHub does not.
    const gate = review
      ? undefined
      : (await this.options.gates?.ofRun(fullName(repo), change.runId))
          ?.filter(g => g.state !== 'waiting')
          .at(-1);
    if (gate) {
      await this.options.notifications.send({
        recipients: { type: 'entity', entityRef: requester.userRefs },
        payload: {
          title: `${component.title}: your run #${run.run_number} was ${gate.state} for ${gate.environment}`,
          description: gate.comment ?? `${gate.state} in the portal`,
          link: entityPage(component.entityRef, 'deployments'),
          severity: gate.state === 'rejected' ? 'high' : 'normal',
          topic: APPROVALS_TOPIC,
          scope: `delivery-decision:${repo.owner}/${repo.name}:${change.runId}`,
        },
      });
      return;
    }
    const environments =
      review?.environments.map(e => e.name).join(', ') || 'its environments';
    const reviewer = review?.user?.login ?? 'someone';
    const outcome = review
      ? `${
          review.state === 'approved' ? 'approved' : 'rejected'
        } for ${environments}`
      : `no longer waits (${change.conclusion ?? change.status})`;
    await this.options.notifications.send({
      recipients: { type: 'entity', entityRef: requester.userRefs },
      payload: {
        title: `${component.title}: your run #${run.run_number} was ${outcome}`,
        description: review
          ? `${reviewer} ${review.state}: ${review.comment || 'no comment'}`
          : `${run.name ?? 'The run'} on ${
              run.head_branch ?? ''
            } ended waiting without a review.`,
        link: entityPage(component.entityRef, 'deployments'),
        severity: review?.state === 'rejected' ? 'high' : 'normal',
        topic: APPROVALS_TOPIC,
        scope: `delivery-decision:${repo.owner}/${repo.name}:${change.runId}`,
      },
    });
  }
}

function environmentNames(run: PendingApproval): string {
  return run.environments
    .map(e => e.environment ?? e.githubEnvironment)
    .join(', ');
}

/** The entity's page in the portal, e.g. /catalog/default/component/titanic-service/deployments. */
function entityPage(entityRef: string, tab: string): string {
  const { kind, namespace, name } = parseEntityRef(entityRef);
  return `/catalog/${encodeURIComponent(namespace)}/${encodeURIComponent(
    kind.toLocaleLowerCase('en-US'),
  )}/${encodeURIComponent(name)}/${tab}`;
}
