export { deliveryApiRef } from './DeliveryApi';
export type {
  AuditTrailQuery,
  DeliveryApi,
  DoraQuery,
  PageRequest,
} from './DeliveryApi';
export { DeliveryClient } from './DeliveryClient';
