export { DeliveryErrorPanel, deliveryErrorDetails } from './DeliveryErrorPanel';
