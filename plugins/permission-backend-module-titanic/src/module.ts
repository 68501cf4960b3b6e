import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { policyExtensionPoint } from '@backstage/plugin-permission-node/alpha';
import { TitanicPermissionPolicy } from './policy';

/** Installs the portal's permission policy in place of the default allow-all. */
export const permissionModuleTitanicPolicy = createBackendModule({
  pluginId: 'permission',
  moduleId: 'titanic-policy',
  register(reg) {
    reg.registerInit({
      deps: {
        policy: policyExtensionPoint,
        config: coreServices.rootConfig,
        userInfo: coreServices.userInfo,
      },
      async init({ policy, config, userInfo }) {
        policy.setPolicy(
          new TitanicPermissionPolicy({
            platformGroups: config.getOptionalStringArray(
              'permission.titanic.platformGroups',
            ) ?? ['group:default/platform-team'],
            userInfo,
          }),
        );
      },
    });
  },
});
