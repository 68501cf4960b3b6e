export { deliveryApiRef } from './DeliveryApi';
export type { AuditTrailQuery, DeliveryApi, PageRequest } from './DeliveryApi';
export { DeliveryClient } from './DeliveryClient';
