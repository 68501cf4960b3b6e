import {
  coreServices,
  createBackendModule,
  resolvePackagePath,
} from '@backstage/backend-plugin-api';
import { ScmIntegrations } from '@backstage/integration';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { scaffolderActionsExtensionPoint } from '@backstage/plugin-scaffolder-node';
import { createBranchAction } from './actions/createBranch';
import { createFetchServiceAction } from './actions/fetchService';
import { createGithubEnvironmentsAction } from './actions/githubEnvironments';
import { createWaitForEntityAction } from './actions/waitForEntity';
import { createWriteCatalogAction } from './actions/writeCatalog';
import { findPortalRoot } from './referenceManifest';

/** Where the reference service is read from: config, else the portal repository holding this module. */
export function resolveSourceRoot(configured: string | undefined): string {
  if (configured) return configured;
  const packageDirectory = resolvePackagePath(
    '@internal/plugin-scaffolder-backend-module-titanic',
  );
  const root = findPortalRoot(packageDirectory);
  if (!root) {
    throw new Error(
      `No reference service found above ${packageDirectory}; set titanic.scaffolder.sourceRoot to the ` +
        'directory holding titanic-service/ and infra/',
    );
  }
  return root;
}

/** Scaffolder actions that create a new service from the Titanic reference service. */
export const scaffolderModuleTitanic = createBackendModule({
  pluginId: 'scaffolder',
  moduleId: 'titanic',
  register(reg) {
    reg.registerInit({
      deps: {
        scaffolder: scaffolderActionsExtensionPoint,
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        catalog: catalogServiceRef,
      },
      async init({ scaffolder, config, logger, catalog }) {
        const sourceRoot = resolveSourceRoot(
          config.getOptionalString('titanic.scaffolder.sourceRoot'),
        );
        const integrations = ScmIntegrations.fromConfig(config);
        logger.info(
          `Titanic templates read the reference service from ${sourceRoot}`,
        );
        scaffolder.addActions(
          createFetchServiceAction({ sourceRoot, integrations }),
          createWriteCatalogAction({ sourceRoot, integrations }),
          createWaitForEntityAction({ catalog }),
          createGithubEnvironmentsAction({ integrations }),
          createBranchAction({ integrations }),
        );
      },
    });
  },
});
