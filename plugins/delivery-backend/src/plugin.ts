import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { actionsRegistryServiceRef } from '@backstage/backend-plugin-api/alpha';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { eventsServiceRef } from '@backstage/plugin-events-node';
import { notificationService } from '@backstage/plugin-notifications-node';
import { signalsServiceRef } from '@backstage/plugin-signals-node';
import { deliveryPermissions } from '@internal/plugin-delivery-common';
import { registerDeliveryActions } from './actions/registerDeliveryActions';
import { createDelivery } from './service/createDelivery';

/** Delivery dashboards: pipeline gates, re-runs, scan findings, environments and rollbacks per entity. */
export const deliveryPlugin = createBackendPlugin({
  pluginId: 'delivery',
  register(env) {
    env.registerInit({
      deps: {
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        cache: coreServices.cache,
        database: coreServices.database,
        auth: coreServices.auth,
        httpAuth: coreServices.httpAuth,
        httpRouter: coreServices.httpRouter,
        permissions: coreServices.permissions,
        permissionsRegistry: coreServices.permissionsRegistry,
        auditor: coreServices.auditor,
        catalog: catalogServiceRef,
        lifecycle: coreServices.lifecycle,
        rootLifecycle: coreServices.rootLifecycle,
        scheduler: coreServices.scheduler,
        events: eventsServiceRef,
        signals: signalsServiceRef,
        notifications: notificationService,
        instanceMetadata: coreServices.rootInstanceMetadata,
        actionsRegistry: actionsRegistryServiceRef,
      },
      async init({
        httpRouter,
        permissionsRegistry,
        lifecycle,
        rootLifecycle,
        instanceMetadata,
        actionsRegistry,
        ...services
      }) {
        const delivery = await createDelivery({
          ...services,
          instanceId: instanceMetadata.getId(),
        });
        permissionsRegistry.addPermissions(deliveryPermissions);
        httpRouter.use(delivery.router);
        registerDeliveryActions(actionsRegistry, delivery.actions);
        lifecycle.addStartupHook(delivery.start);
        // Once every plugin has started, the events backend's bus among them.
        rootLifecycle.addStartupHook(delivery.listen);
        lifecycle.addShutdownHook(delivery.stop);
      },
    });
  },
});
