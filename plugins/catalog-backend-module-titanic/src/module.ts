import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { ScmIntegrations } from '@backstage/integration';
import { catalogProcessingExtensionPoint } from '@backstage/plugin-catalog-node';
import { RepositoryHostsProcessor } from './repositoryHostsProcessor';

/** Fills the repository pickers of annotated templates with the configured GitHub hosts. */
export const catalogModuleTitanicRepositoryHosts = createBackendModule({
  pluginId: 'catalog',
  moduleId: 'titanic-repository-hosts',
  register(reg) {
    reg.registerInit({
      deps: {
        catalog: catalogProcessingExtensionPoint,
        config: coreServices.rootConfig,
      },
      async init({ catalog, config }) {
        const hosts = ScmIntegrations.fromConfig(config)
          .github.list()
          .map(integration => integration.config.host);
        catalog.addProcessor(new RepositoryHostsProcessor(hosts));
      },
    });
  },
});
