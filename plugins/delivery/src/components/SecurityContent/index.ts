export { SecurityContent } from './SecurityContent';
