import {
  createApiFactory,
  createComponentExtension,
  createPlugin,
  createRoutableExtension,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/core-plugin-api';
import { DeliveryClient, deliveryApiRef } from './api';
import {
  deploymentsRouteRef,
  pipelineRouteRef,
  securityRouteRef,
} from './routes';

/** The delivery plugin for apps on the legacy frontend system (`createApp` from core-app-api). */
export const deliveryPlugin = createPlugin({
  id: 'delivery',
  apis: [
    createApiFactory({
      api: deliveryApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: ({ discoveryApi, fetchApi }) =>
        new DeliveryClient({ discoveryApi, fetchApi }),
    }),
  ],
  routes: {
    pipeline: pipelineRouteRef,
    security: securityRouteRef,
    deployments: deploymentsRouteRef,
  },
});

/** Entity card: the gate chain of the latest run on the default branch. */
export const EntityDeliveryPipelineCard = deliveryPlugin.provide(
  createComponentExtension({
    name: 'EntityDeliveryPipelineCard',
    component: {
      lazy: () =>
        import('./components/DeliveryPipelineCard').then(
          m => m.DeliveryPipelineCard,
        ),
    },
  }),
);

/** Entity card: open findings by tool and severity, and SonarCloud's quality gate. */
export const EntityDeliveryScanSummaryCard = deliveryPlugin.provide(
  createComponentExtension({
    name: 'EntityDeliveryScanSummaryCard',
    component: {
      lazy: () =>
        import('./components/ScanSummaryCard').then(m => m.ScanSummaryCard),
    },
  }),
);

/** Entity tab content: run history with gates and re-running failed jobs. */
export const EntityDeliveryPipelineContent = deliveryPlugin.provide(
  createRoutableExtension({
    name: 'EntityDeliveryPipelineContent',
    mountPoint: pipelineRouteRef,
    component: () =>
      import('./components/PipelineContent').then(m => m.PipelineContent),
  }),
);

/** Entity tab content: filterable, paged findings and their trend. */
export const EntityDeliverySecurityContent = deliveryPlugin.provide(
  createRoutableExtension({
    name: 'EntityDeliverySecurityContent',
    mountPoint: securityRouteRef,
    component: () =>
      import('./components/SecurityContent').then(m => m.SecurityContent),
  }),
);

/** Entity card: dev → staging → prod lanes with approve/reject and rollback. */
export const EntityDeliveryEnvironmentsCard = deliveryPlugin.provide(
  createComponentExtension({
    name: 'EntityDeliveryEnvironmentsCard',
    component: {
      lazy: () =>
        import('./components/EnvironmentsCard').then(m => m.EnvironmentsCard),
    },
  }),
);

/** Entity tab content: the environments and each one's deploys, approvals and rollbacks. */
export const EntityDeliveryDeploymentsContent = deliveryPlugin.provide(
  createRoutableExtension({
    name: 'EntityDeliveryDeploymentsContent',
    mountPoint: deploymentsRouteRef,
    component: () =>
      import('./components/DeploymentsContent').then(m => m.DeploymentsContent),
  }),
);
