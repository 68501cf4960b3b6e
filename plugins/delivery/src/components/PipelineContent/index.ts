export { PipelineContent } from './PipelineContent';
