export { StaleDataWarning } from './StaleDataWarning';
