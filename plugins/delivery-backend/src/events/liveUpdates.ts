import { LoggerService } from '@backstage/backend-plugin-api';
import { EventParams, EventsService } from '@backstage/plugin-events-node';
import { SignalsService } from '@backstage/plugin-signals-node';
import {
  DELIVERY_CHANGES,
  DeliveryChange,
  DeliveryChangedSignal,
  DeliveryProbeSignal,
  deliveryChannel,
} from '@internal/plugin-delivery-common';
import { RepositoryRef } from '../github/types';
import { EntityChannels } from './entityChannels';
import { GITHUB_EVENTS, gitHubChange } from './gitHubChanges';
import { GitHubLiveState } from './gitHubLiveState';

/** Where a replica tells every replica that the portal itself changed a repository. */
export const PORTAL_CHANGES_TOPIC = 'delivery.portal-changes';

/** GitHub's events as the events backend's GithubEventRouter republishes them; `ping` too. */
export const GITHUB_TOPICS = [...GITHUB_EVENTS, 'ping'].map(
  event => `github.${event}`,
);

interface PortalChange {
  host: string;
  owner: string;
  name: string;
  changes: DeliveryChange[];
}

/**
 * Live updates on this replica: hears GitHub's webhooks and the portal's own writes through the
 * events service (on PostgreSQL, the database-backed event bus reaches every replica: each
 * subscribes under its own instance id), applies them to this replica's GitHubLiveState, and then
 * signals each entity page of the repository. Every replica signals once it has applied a change,
 * so a page's last refresh after a change is served by replicas that all know it.
 */
export class LiveUpdates {
  constructor(
    private readonly options: {
      events: EventsService;
      signals: SignalsService;
      channels: EntityChannels;
      state: GitHubLiveState;
      /** The integrations.github host whose webhooks these are. */
      githubHost: string;
      /** This replica's instance id: its own subscription. */
      instanceId: string;
      logger: LoggerService;
    },
  ) {}

  async start(): Promise<void> {
    await this.options.events.subscribe({
      id: `live-updates-${this.options.instanceId}`,
      topics: [...GITHUB_TOPICS, PORTAL_CHANGES_TOPIC],
      onEvent: event => this.onEvent(event),
    });
  }

  /** Tells every replica (this one included) that the portal changed a repository. */
  async portalChanged(
    repo: RepositoryRef,
    changes: DeliveryChange[] = [...DELIVERY_CHANGES],
  ): Promise<void> {
    const change: PortalChange = {
      host: repo.host,
      owner: repo.owner,
      name: repo.name,
      changes,
    };
    try {
      await this.options.events.publish({
        topic: PORTAL_CHANGES_TOPIC,
        eventPayload: change,
      });
    } catch (error) {
      // The write succeeded; other replicas learn of it from GitHub or their polling.
      this.options.logger.warn(
        `Could not tell other replicas about a change to ${repo.owner}/${repo.name}: ${error}`,
      );
    }
  }

  /** Signals the probe to the caller's pages on the entity's channel. */
  async probe(entityRef: string, userEntityRef: string, nonce: string) {
    const channel = deliveryChannel(entityRef);
    await this.options.signals.publish<DeliveryProbeSignal>({
      recipients: { type: 'user', entityRef: userEntityRef },
      channel,
      message: { type: 'probe', nonce },
    });
    return { channel };
  }

  async onEvent(event: EventParams): Promise<void> {
    const { state, githubHost } = this.options;
    if (event.topic === PORTAL_CHANGES_TOPIC) {
      const change = event.eventPayload as PortalChange;
      const repo = {
        host: change.host,
        owner: change.owner,
        name: change.name,
      };
      state.markScopes(repo, ['*']);
      await this.signal(repo, change.changes);
      return;
    }
    if (!event.topic.startsWith('github.')) return;
    state.heard();
    const change = gitHubChange(
      event.topic.slice('github.'.length),
      event.eventPayload,
    );
    if (!change) return;
    state.apply(githubHost, change);
    if (change.changes.length > 0) {
      await this.signal(
        { host: githubHost, owner: change.owner, name: change.name },
        change.changes,
      );
    }
  }

  private async signal(
    repo: RepositoryRef,
    changes: DeliveryChange[],
  ): Promise<void> {
    const message: DeliveryChangedSignal = {
      type: 'changed',
      changes,
      repository: `${repo.owner}/${repo.name}`,
      at: new Date().toISOString(),
    };
    try {
      const entities = await this.options.channels.entitiesOf(repo);
      await Promise.all(
        entities.map(entityRef =>
          this.options.signals.publish<DeliveryChangedSignal>({
            recipients: { type: 'broadcast' },
            channel: deliveryChannel(entityRef),
            message,
          }),
        ),
      );
    } catch (error) {
      // Pages then see the change at their next poll.
      this.options.logger.warn(
        `Could not signal the change to ${message.repository}: ${error}`,
      );
    }
  }
}
