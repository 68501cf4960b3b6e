export { ScanSummaryCard } from './ScanSummaryCard';
