import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { deliveryPermissions } from '@internal/plugin-delivery-common';
import { CachedGitHub } from './cachedGitHub';
import { readDeliveryConfig } from './config';
import { DeliveryService } from './deliveryService';
import { GitHubClients } from './githubClient';
import { GitHubPipelines } from './githubPipelines';
import { createEnvironmentsService } from './environmentsConfig';
import { createEnvironmentsRouter } from './service/environmentsRouter';
import { ResourceOwnership } from './resourceOwnership';
import { createRouter } from './service/router';
import { SonarCloud } from './sonarCloud';

/** Delivery dashboards: pipeline gates, re-runs, scan findings and SonarCloud per entity. */
export const deliveryPlugin = createBackendPlugin({
  pluginId: 'delivery',
  register(env) {
    env.registerInit({
      deps: {
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        cache: coreServices.cache,
        auth: coreServices.auth,
        httpAuth: coreServices.httpAuth,
        httpRouter: coreServices.httpRouter,
        permissions: coreServices.permissions,
        permissionsRegistry: coreServices.permissionsRegistry,
        auditor: coreServices.auditor,
        catalog: catalogServiceRef,
        database: coreServices.database,
        lifecycle: coreServices.lifecycle,
      },
      async init(deps) {
        const { config, logger, cache } = deps;
        const settings = readDeliveryConfig(config);
        const clients = GitHubClients.fromConfig(config, {
          logger,
          host: settings.githubHost,
        });
        const github = new CachedGitHub({
          clients,
          cache,
          logger,
          freshSeconds: settings.freshSeconds,
          keepSeconds: settings.keepSeconds,
        });
        const ownership = ResourceOwnership.fromConfig(config);
        const delivery = new DeliveryService({
          catalog: deps.catalog,
          permissions: deps.permissions,
          auditor: deps.auditor,
          github,
          pipelines: new GitHubPipelines({
            github,
            gates: settings.gates,
            workflow: settings.workflow,
          }),
          sonarcloud: new SonarCloud({
            ...settings.sonarcloud,
            cache,
            logger,
            freshSeconds: settings.freshSeconds,
            keepSeconds: settings.keepSeconds,
          }),
          githubHost: clients.defaultHost,
          ownership,
          trendRuns: settings.trendRuns,
          accessSeconds: settings.accessSeconds,
        });
        deps.permissionsRegistry.addPermissions(deliveryPermissions);
        deps.httpRouter.use(
          await createRouter({ httpAuth: deps.httpAuth, delivery }),
        );
        const environments = await createEnvironmentsService({
          ...deps,
          ownership,
          github,
          githubHost: clients.defaultHost,
        });
        deps.lifecycle.addStartupHook(async () =>
          environments.resumeFollowing(
            await deps.auth.getOwnServiceCredentials(),
          ),
        );
        deps.lifecycle.addShutdownHook(() => environments.stop());
        deps.httpRouter.use(
          await createEnvironmentsRouter({
            httpAuth: deps.httpAuth,
            environments,
          }),
        );
        logger.info(
          `Delivery dashboards read GitHub at ${
            clients.integrationConfig(clients.defaultHost).apiBaseUrl
          } and SonarCloud at ${settings.sonarcloud.baseUrl}`,
        );
      },
    });
  },
});
