export { RerunFailedJobsButton } from './RerunFailedJobsButton';
