export { EnvironmentErrorAlert } from './EnvironmentErrorAlert';
export { explainEnvironmentError } from './environmentErrors';
export type { ErrorExplanation } from './environmentErrors';
