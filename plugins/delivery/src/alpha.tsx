import {
  ApiBlueprint,
  PageBlueprint,
  createFrontendPlugin,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/frontend-plugin-api';
import {
  EntityCardBlueprint,
  EntityContentBlueprint,
} from '@backstage/plugin-catalog-react/alpha';
import { DeliveryClient, deliveryApiRef } from './api';
import { isDeliveryAvailable } from './annotations';
import AssignmentTurnedInIcon from '@material-ui/icons/AssignmentTurnedIn';
import TimelineIcon from '@material-ui/icons/Timeline';

/*
 * The delivery plugin for the new frontend system. Every card and tab appears only on entities
 * with a github.com/project-slug annotation; the app can override `filter` in app-config.
 */

const deliveryApi = ApiBlueprint.make({
  params: defineParams =>
    defineParams({
      api: deliveryApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: ({ discoveryApi, fetchApi }) =>
        new DeliveryClient({ discoveryApi, fetchApi }),
    }),
});

/** `entity-card:delivery/pipeline` */
export const deliveryPipelineCard = EntityCardBlueprint.make({
  name: 'pipeline',
  params: {
    type: 'content',
    filter: isDeliveryAvailable,
    loader: () =>
      import('./components/DeliveryPipelineCard').then(m => (
        <m.DeliveryPipelineCard />
      )),
  },
});

/** `entity-card:delivery/scan-summary` */
export const deliveryScanSummaryCard = EntityCardBlueprint.make({
  name: 'scan-summary',
  params: {
    type: 'content',
    filter: isDeliveryAvailable,
    loader: () =>
      import('./components/ScanSummaryCard').then(m => <m.ScanSummaryCard />),
  },
});

/** `entity-content:delivery/pipeline`, the "Pipeline" tab */
export const deliveryPipelineContent = EntityContentBlueprint.make({
  name: 'pipeline',
  params: {
    path: '/pipeline',
    title: 'Pipeline',
    filter: isDeliveryAvailable,
    loader: () =>
      import('./components/PipelineContent').then(m => <m.PipelineContent />),
  },
});

/** `entity-content:delivery/security`, the "Security" tab */
export const deliverySecurityContent = EntityContentBlueprint.make({
  name: 'security',
  params: {
    path: '/security',
    title: 'Security',
    filter: isDeliveryAvailable,
    loader: () =>
      import('./components/SecurityContent').then(m => <m.SecurityContent />),
  },
});

/** `entity-card:delivery/environments`: dev → staging → prod lanes with approvals and rollback */
export const deliveryEnvironmentsCard = EntityCardBlueprint.make({
  name: 'environments',
  params: {
    type: 'content',
    filter: isDeliveryAvailable,
    loader: () =>
      import('./components/EnvironmentsCard').then(m => <m.EnvironmentsCard />),
  },
});

/** `entity-content:delivery/deployments`, the "Deployments" tab */
export const deliveryDeploymentsContent = EntityContentBlueprint.make({
  name: 'deployments',
  params: {
    path: '/deployments',
    title: 'Deployments',
    filter: isDeliveryAvailable,
    loader: () =>
      import('./components/DeploymentsContent').then(m => (
        <m.DeploymentsContent />
      )),
  },
});

/** `page:delivery/overview`: every service's delivery performance, at /delivery */
export const deliveryOverviewPage = PageBlueprint.make({
  name: 'overview',
  params: {
    path: '/delivery',
    title: 'Delivery',
    icon: <TimelineIcon fontSize="inherit" />,
    loader: () =>
      import('./components/DeliveryOverview').then(m => (
        <m.DeliveryOverviewPage />
      )),
  },
});

/** `page:delivery/approvals`: every deployment waiting for the person's review, at /approvals */
export const deliveryApprovalsPage = PageBlueprint.make({
  name: 'approvals',
  params: {
    path: '/approvals',
    title: 'Approvals',
    icon: <AssignmentTurnedInIcon fontSize="inherit" />,
    loader: () =>
      import('./components/ApprovalsInbox').then(m => <m.ApprovalsInboxPage />),
  },
});

export default createFrontendPlugin({
  pluginId: 'delivery',
  title: 'Delivery',
  info: { packageJson: () => import('../package.json') },
  extensions: [
    deliveryApi,
    deliveryPipelineCard,
    deliveryScanSummaryCard,
    deliveryPipelineContent,
    deliverySecurityContent,
    deliveryEnvironmentsCard,
    deliveryDeploymentsContent,
    deliveryOverviewPage,
    deliveryApprovalsPage,
  ],
});
