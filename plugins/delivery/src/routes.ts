import { createRouteRef } from '@backstage/core-plugin-api';

/** Where a legacy app mounts the Pipeline tab (an EntityLayout.Route). */
export const pipelineRouteRef = createRouteRef({ id: 'delivery:pipeline' });

/** Where a legacy app mounts the Security tab (an EntityLayout.Route). */
export const securityRouteRef = createRouteRef({ id: 'delivery:security' });

/** Where a legacy app mounts the Deployments tab (an EntityLayout.Route). */
export const deploymentsRouteRef = createRouteRef({
  id: 'delivery:deployments',
});
