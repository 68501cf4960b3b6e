export { ReviewDeploymentDialog } from './ReviewDeploymentDialog';
