export { DeliveryHomePage } from './DeliveryHomePage';
