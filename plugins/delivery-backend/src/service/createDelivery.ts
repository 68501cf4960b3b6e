import {
  AuditorService,
  AuthService,
  CacheService,
  DatabaseService,
  HttpAuthService,
  LoggerService,
  PermissionsService,
  SchedulerService,
  RootConfigService,
} from '@backstage/backend-plugin-api';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { EventsService } from '@backstage/plugin-events-node';
import { NotificationService } from '@backstage/plugin-notifications-node';
import { SignalsService } from '@backstage/plugin-signals-node';
import express from 'express';
import { EntityAccess } from '../access/entityAccess';
import { ResourceOwnership } from '../access/resourceOwnership';
import { ViewerAccesses } from '../access/viewerAccess';
import { DeliveryStatus } from '../actions/deliveryStatus';
import { PendingApprovalsPage } from '../actions/pendingApprovalsPage';
import { DeliveryActions } from '../actions/registerDeliveryActions';
import { DashboardService } from '../dashboard/dashboardService';
import {
  ApprovalQuorum,
  minimumApprovals,
} from '../environments/approvalQuorum';
import { AuditedAttempts } from '../environments/auditedAttempt';
import { AuditTrail } from '../environments/auditTrail';
import { DeploymentApprovals } from '../environments/deploymentApprovals';
import { EnvironmentBindings } from '../environments/environmentBindings';
import { EnvironmentsReader } from '../environments/environmentsReader';
import { EnvironmentsService } from '../environments/environmentsService';
import { ProtectionGates } from '../environments/protectionGates';
import { ProtectionRuleReviews } from '../environments/protectionRuleReviews';
import { ReviewEligibility } from '../environments/reviewEligibility';
import { ReviewerIdentities } from '../environments/reviewerIdentity';
import { Rollbacks } from '../environments/rollback';
import { RolloutFollower } from '../environments/rolloutFollower';
import { AnnotatedEntities } from '../access/annotatedEntities';
import { EntityChannels } from '../events/entityChannels';
import { GitHubLiveState } from '../events/gitHubLiveState';
import { HistoryFeed } from '../events/historyFeed';
import { ProtectionRuleFeed } from '../events/protectionRuleFeed';
import { LiveProbes } from '../events/liveProbes';
import { LiveUpdates } from '../events/liveUpdates';
import { FindingsService } from '../findings/findingsService';
import { SonarCloud } from '../findings/sonarCloud';
import { CachedGitHub } from '../github/cachedGitHub';
import { GitHubClients } from '../github/client';
import { KubernetesClusters } from '../kubernetes/clusters';
import { createInsights } from '../insights/createInsights';
import { ApprovalNotifications } from '../approvals/approvalNotifications';
import { ApprovalsInbox } from '../approvals/approvalsInbox';
import { GitHubPipelines } from '../pipeline/githubPipelines';
import { PipelineService } from '../pipeline/pipelineService';
import { readDeliveryConfig } from './config';
import { createRouter } from './router';

/** The core services the delivery backend is built from. */
export interface DeliveryDependencies {
  config: RootConfigService;
  logger: LoggerService;
  cache: CacheService;
  database: DatabaseService;
  auth: AuthService;
  httpAuth: HttpAuthService;
  permissions: PermissionsService;
  auditor: AuditorService;
  catalog: CatalogService;
  scheduler: SchedulerService;
  events: EventsService;
  signals: SignalsService;
  notifications: NotificationService;
  /** This replica's instance id (coreServices.rootInstanceMetadata). */
  instanceId: string;
}

/** The delivery backend, built: its router, and what runs beside the requests. */
export interface Delivery {
  router: express.Router;
  /** What the actions registered in the actions registry read through. */
  actions: DeliveryActions;
  /** Follows again the rollouts a stopped backend left unfinished. */
  start(): Promise<void>;
  /**
   * Subscribes to GitHub's webhooks and the portal's changes on the event bus. Call it once every
   * plugin has started: before the events backend serves its bus, a subscription made over HTTP
   * is refused and the replica would hear only the events posted to itself.
   */
  listen(): Promise<void>;
  /** Stops following rollouts. */
  stop(): void;
}

/** Builds the delivery backend's object graph from its configuration and the core services. */
export async function createDelivery(
  deps: DeliveryDependencies,
): Promise<Delivery> {
  const { logger, cache, auditor } = deps;
  const settings = readDeliveryConfig(deps.config);
  const githubHost = settings.github.host;

  const clients = new GitHubClients({
    integrations: settings.github.integrations,
    defaultHost: githubHost,
    logger,
  });
  const annotated = new AnnotatedEntities(deps);
  const liveState = new GitHubLiveState({
    pollingFreshMs: settings.freshSeconds * 1000,
    safetyNetMs: settings.webhooks.safetyNetSeconds * 1000,
  });
  const live = new LiveUpdates({
    events: deps.events,
    signals: deps.signals,
    channels: new EntityChannels(annotated),
    state: liveState,
    githubHost,
    instanceId: deps.instanceId,
    logger,
  });
  const github = new CachedGitHub({
    clients,
    cache,
    logger,
    freshSeconds: settings.freshSeconds,
    keepSeconds: settings.keepSeconds,
    changes: liveState,
    // The portal's own approvals and re-runs reach every replica and every open page at once.
    onExpire: repo => void live.portalChanged(repo),
  });
  const sonarcloud = new SonarCloud({
    ...settings.sonarcloud,
    cache,
    logger,
    freshSeconds: settings.freshSeconds,
    keepSeconds: settings.keepSeconds,
  });
  const clusters = new KubernetesClusters(settings.kubernetes.clusters);

  const access = new EntityAccess(deps);
  const viewers = new ViewerAccesses({
    access,
    githubHost,
    accessSeconds: settings.accessSeconds,
  });
  const ownership = new ResourceOwnership(settings.configuredLocations);

  const pipelines = new GitHubPipelines({
    github,
    gates: settings.gates,
    workflow: settings.github.workflow,
  });

  const auditTrail = await AuditTrail.create(deps.database);
  const bindings = new EnvironmentBindings(
    settings.environments,
    clusters.defaultCluster,
  );
  const quorum = await ApprovalQuorum.create(
    deps.database,
    minimumApprovals(settings.environments),
  );
  const gates = settings.github.protectionRule
    ? await ProtectionGates.create(deps.database)
    : undefined;
  const approvals = new DeploymentApprovals(github, annotated, quorum, gates);
  const reader = new EnvironmentsReader({
    clusters,
    approvals,
    quorum,
    snapshotMs: settings.kubernetes.snapshotMs,
  });
  const follower = new RolloutFollower({
    clusters,
    auditTrail,
    access,
    bindings,
    reader,
    logger,
    intervalMs: settings.rollback.followIntervalMs,
    timeoutMs: settings.rollback.followTimeoutMs,
  });

  const findings = new FindingsService({
    viewers,
    github,
    pipelines,
    sonarcloud,
    trendRuns: settings.trendRuns,
  });
  const insights = await createInsights({
    deps,
    settings,
    github,
    access,
    auditTrail,
    approvals,
    bindings,
    reader,
    ownership,
    findings,
  });

  const historyFeed = new HistoryFeed({
    events: deps.events,
    history: insights.history,
    github,
    githubHost,
    workflow: settings.github.workflow,
    logger,
  });
  const approvalNotifications = new ApprovalNotifications({
    notifications: deps.notifications,
    directory: insights.directory,
    approvals,
    bindings,
    gates,
    ownership,
    auth: deps.auth,
    logger,
    githubHost,
  });
  insights.history.onRunWaitChanges(approvalNotifications.changed);
  const protectionRuleFeed = gates
    ? new ProtectionRuleFeed({
        events: deps.events,
        gates,
        github,
        githubHost,
        apiBaseUrl:
          clients.integrationConfig(githubHost).apiBaseUrl ??
          'https://api.github.com',
        onRequested: approvalNotifications.changed,
        logger,
      })
    : undefined;
  const inbox = new ApprovalsInbox({
    source: insights.pendingApprovals,
    quorum,
    pipelines,
    githubHost,
    reviewWith: settings.github.reviewWith,
  });

  const dashboard = new DashboardService({
    viewers,
    github,
    pipelines,
    sonarcloud,
  });
  const reviewers =
    settings.github.reviewWith === 'reviewer'
      ? new ReviewerIdentities({
          clients,
          people: annotated,
          host: githubHost,
        })
      : undefined;
  const environments = new EnvironmentsService({
    access,
    attempts: new AuditedAttempts({ access, auditor, auditTrail, logger }),
    auditTrail,
    clusters,
    bindings,
    reader,
    approvals,
    rollbacks: new Rollbacks(),
    follower,
    ownership,
    githubHost,
    reviewers,
    protectionRule: gates
      ? new ProtectionRuleReviews({
          gates,
          github,
          people: annotated,
          onDecided: approvalNotifications.changed,
          quorum,
        })
      : undefined,
  });
  const eligibility = new ReviewEligibility({
    access,
    approvals,
    bindings,
    ownership,
    quorum,
    reviewers,
    githubHost,
  });
  const router = createRouter({
    httpAuth: deps.httpAuth,
    insights: insights.insights,
    home: insights.home,
    inbox,
    dashboard,
    pipeline: new PipelineService({
      viewers,
      access,
      auditor,
      github,
      pipelines,
      ownership,
      githubHost,
    }),
    findings,
    environments,
    eligibility,
    probes: new LiveProbes({ viewers, live }),
  });

  logger.info(
    `Delivery dashboards read GitHub at ${
      clients.integrationConfig(githubHost).apiBaseUrl
    }, SonarCloud at ${settings.sonarcloud.baseUrl} and Kubernetes clusters ${
      clusters.names.join(', ') || '(none configured)'
    }`,
  );
  const resumeRollouts = async () =>
    follower.resume(await deps.auth.getOwnServiceCredentials());
  return {
    router,
    actions: {
      status: new DeliveryStatus({ dashboard, environments }),
      pendingApprovals: new PendingApprovalsPage(inbox),
    },
    listen: async () => {
      await live.start();
      await historyFeed.start();
      await protectionRuleFeed?.start();
    },
    start: async () => {
      await resumeRollouts();
      // A replica that stops mid-rollback leaves its entry progressing: whichever replica runs
      // this sweep next follows the rollout to its end.
      await deps.scheduler.scheduleTask({
        id: 'delivery-unfinished-rollbacks',
        scope: 'global',
        frequency: { milliseconds: settings.rollback.sweepIntervalMs },
        timeout: { minutes: 1 },
        initialDelay: { milliseconds: settings.rollback.sweepIntervalMs },
        fn: resumeRollouts,
      });
      await insights.start();
    },
    stop: () => follower.stop(),
  };
}
