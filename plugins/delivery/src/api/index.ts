export { deliveryApiRef } from './DeliveryApi';
export type { DeliveryApi, PageRequest } from './DeliveryApi';
export { DeliveryClient } from './DeliveryClient';
