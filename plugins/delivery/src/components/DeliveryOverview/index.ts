export { DeliveryOverviewPage, entityPath } from './DeliveryOverviewPage';
export { WindowPicker } from './WindowPicker';
