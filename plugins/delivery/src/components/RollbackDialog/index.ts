export { RollbackDialog, defaultRollbackTarget } from './RollbackDialog';
export { rolloutSeconds } from './rolloutDuration';
