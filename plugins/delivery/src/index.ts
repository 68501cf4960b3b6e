/**
 * Delivery dashboards for catalog entities: pipeline gates, scan results and their trend.
 *
 * The main entry serves apps on the legacy frontend system; `@internal/plugin-delivery/alpha`
 * holds the same cards and tabs for the new frontend system.
 *
 * @packageDocumentation
 */

export {
  deliveryPlugin,
  EntityDeliveryPipelineCard,
  EntityDeliveryScanSummaryCard,
  EntityDeliveryPipelineContent,
  EntityDeliverySecurityContent,
  EntityDeliveryEnvironmentsCard,
  EntityDeliveryDeploymentsContent,
} from './plugin';
export { deliveryApiRef, DeliveryClient } from './api';
export type {
  AuditTrailQuery,
  DeliveryApi,
  DoraQuery,
  PageRequest,
} from './api';
export { DeliveryHomePage } from './components/DeliveryHome';
export {
  ApprovalsInboxPage,
  ApprovalsSidebarItem,
} from './components/ApprovalsInbox';
export { DeliveryOverviewPage } from './components/DeliveryOverview';
export { DoraKeysPanel } from './components/DoraKeys';
export {
  GITHUB_PROJECT_SLUG_ANNOTATION,
  isDeliveryAvailable,
} from './annotations';
