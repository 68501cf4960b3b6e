export { DeliveryPipelineCard } from './DeliveryPipelineCard';
