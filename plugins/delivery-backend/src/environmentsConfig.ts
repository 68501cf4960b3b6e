import {
  AuditorService,
  DatabaseService,
  LoggerService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { AuditTrail } from './auditTrail';
import { CachedGitHub } from './cachedGitHub';
import { DeploymentApprovals } from './deploymentApprovals';
import { readEnvironmentTemplates } from './environmentBindings';
import { EnvironmentsReader } from './environments';
import { EnvironmentsService } from './environmentsService';
import { KubernetesClusters } from './kubernetes/clusters';
import { ResourceOwnership } from './resourceOwnership';
import { Rollbacks } from './rollback';

/**
 * Builds the environments half of the plugin from `delivery.kubernetes`, `delivery.environments`
 * and `delivery.rollback`, reusing the plugin's GitHub cache and credentials.
 */
export async function createEnvironmentsService(deps: {
  config: Config;
  logger: LoggerService;
  database: DatabaseService;
  catalog: CatalogService;
  permissions: PermissionsService;
  auditor: AuditorService;
  github: CachedGitHub;
  githubHost: string;
  ownership: ResourceOwnership;
}): Promise<EnvironmentsService> {
  const { config, logger } = deps;
  const clusters = KubernetesClusters.fromConfig(config);
  const approvals = new DeploymentApprovals(deps.github);
  const service = new EnvironmentsService({
    catalog: deps.catalog,
    permissions: deps.permissions,
    auditor: deps.auditor,
    auditTrail: await AuditTrail.create(deps.database),
    logger,
    clusters,
    templates: readEnvironmentTemplates(config),
    approvals,
    reader: new EnvironmentsReader({
      clusters,
      approvals,
      snapshotMs:
        config.getOptionalNumber('delivery.kubernetes.cacheMilliseconds') ??
        2000,
    }),
    rollbacks: new Rollbacks(),
    ownership: deps.ownership,
    githubHost: deps.githubHost,
    followIntervalMs:
      config.getOptionalNumber(
        'delivery.rollback.followIntervalMilliseconds',
      ) ?? 250,
    followTimeoutMs:
      (config.getOptionalNumber('delivery.rollback.followTimeoutSeconds') ??
        900) * 1000,
  });
  logger.info(
    `Delivery environments read Kubernetes clusters ${
      clusters.names.join(', ') || '(none configured)'
    }`,
  );
  return service;
}
