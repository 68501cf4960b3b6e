export {
  DeliveryErrorPanel,
  deliveryErrorDetails,
  deliveryErrorMessage,
} from './DeliveryErrorPanel';
