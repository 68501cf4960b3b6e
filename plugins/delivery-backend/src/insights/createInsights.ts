import {
  AuthService,
  DatabaseService,
  LoggerService,
  PermissionsService,
  SchedulerService,
} from '@backstage/backend-plugin-api';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { EntityAccess } from '../access/entityAccess';
import { repositoryOfEntity } from '../access/entityRepository';
import { ResourceOwnership } from '../access/resourceOwnership';
import { AuditTrail } from '../environments/auditTrail';
import { DeploymentApprovals } from '../environments/deploymentApprovals';
import { EnvironmentBindings } from '../environments/environmentBindings';
import { EnvironmentsReader } from '../environments/environmentsReader';
import { FindingsService } from '../findings/findingsService';
import { CachedGitHub } from '../github/cachedGitHub';
import type { DeliveryConfig } from '../service/config';
import { ComponentDirectory } from './componentDirectory';
import { DeploymentHistory } from './deploymentHistory';
import { GitHubHistoryReader } from './githubHistory';
import { HistoryBackfill } from './historyBackfill';
import { HomeService } from './homeService';
import { InsightsService } from './insightsService';
import { PortalRollbackFeed } from './portalRollbacks';
import { KnownPendingApprovals } from '../approvals/pendingApprovals';
import { fullName } from '../github/types';

/** The insights' part of the object graph, built from what the rest of the plugin built. */
export interface Insights {
  /** The hook the events path calls with every deployment, deployment_status and workflow_run. */
  history: DeploymentHistory;
  insights: InsightsService;
  home: HomeService;
  directory: ComponentDirectory;
  /** The waiting deployments each person may decide, from what the events path keeps. */
  pendingApprovals: KnownPendingApprovals;
  /** Schedules the reads that keep known repositories current until the events path does. */
  start(): Promise<void>;
}

/** The core services the insights use. */
export interface InsightsDependencies {
  logger: LoggerService;
  database: DatabaseService;
  auth: AuthService;
  permissions: PermissionsService;
  catalog: CatalogService;
  scheduler: SchedulerService;
}

export async function createInsights(options: {
  deps: InsightsDependencies;
  settings: DeliveryConfig;
  github: CachedGitHub;
  access: EntityAccess;
  auditTrail: AuditTrail;
  approvals: DeploymentApprovals;
  bindings: EnvironmentBindings;
  reader: EnvironmentsReader;
  ownership: ResourceOwnership;
  findings: FindingsService;
}): Promise<Insights> {
  const { deps, settings } = options;
  const host = settings.github.host;
  const insightsSettings = settings.insights;
  const githubReader = new GitHubHistoryReader({
    github: options.github,
    host,
    workflow: settings.github.workflow,
  });
  const history = await DeploymentHistory.create({
    database: deps.database,
    comparer: githubReader,
    productionEnvironment: insightsSettings.githubEnvironment,
    webBaseUrl: `https://${host}`,
  });
  const backfill = new HistoryBackfill({
    history,
    reader: githubReader,
    logger: deps.logger,
    settings: {
      days: insightsSettings.backfillDays,
      maxDeployments: insightsSettings.maxDeployments,
      maxRuns: insightsSettings.maxRuns,
      concurrency: 4,
    },
  });
  const directory = new ComponentDirectory({
    catalog: deps.catalog,
    permissions: deps.permissions,
    access: options.access,
  });
  const repositoryOf = async (entityRef: string) => {
    const credentials = await deps.auth.getOwnServiceCredentials();
    const entity = await deps.catalog
      .getEntityByRef(entityRef, { credentials })
      .catch(() => undefined);
    if (!entity) return null;
    try {
      const repo = repositoryOfEntity(entity, host);
      return fullName(repo);
    } catch {
      return null;
    }
  };
  const rollbacks = new PortalRollbackFeed({
    auditTrail: options.auditTrail,
    history,
    environment: insightsSettings.environment,
    repositoryOf,
  });
  const insights = new InsightsService({
    directory,
    history,
    backfill,
    rollbacks,
    settings: insightsSettings,
  });
  const pendingApprovals = new KnownPendingApprovals({
    history,
    directory,
    approvals: options.approvals,
    bindings: options.bindings,
    ownership: options.ownership,
    permissions: deps.permissions,
    githubHost: host,
  });
  const home = new HomeService({
    directory,
    history,
    backfill,
    insights,
    approvals: pendingApprovals,
    findings: options.findings,
    reader: options.reader,
    bindings: options.bindings,
  });
  return {
    history,
    insights,
    home,
    pendingApprovals,
    directory,
    start: async () => {
      if (insightsSettings.refreshMinutes <= 0) return;
      const refresh = async () => {
        // Components registered since the last read are first seen here.
        const credentials = await deps.auth.getOwnServiceCredentials();
        const { items } = await deps.catalog.getEntities(
          {
            filter: { kind: 'component' },
            fields: ['kind', 'metadata', 'spec.owner'],
          },
          { credentials },
        );
        const repositories = new Set<string>();
        for (const entity of items) {
          try {
            const repo = repositoryOfEntity(entity, host);
            repositories.add(fullName(repo));
          } catch {
            // No repository: nothing to read.
          }
        }
        await backfill.ensure([...repositories]);
        await backfill.refreshAll();
        await rollbacks.sync();
      };
      await deps.scheduler.scheduleTask({
        id: 'delivery-insights-refresh',
        scope: 'global',
        frequency: { minutes: insightsSettings.refreshMinutes },
        timeout: { minutes: 15 },
        initialDelay: { seconds: 5 },
        fn: refresh,
      });
    },
  };
}
