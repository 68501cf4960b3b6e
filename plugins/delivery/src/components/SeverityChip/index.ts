export { SeverityChip } from './SeverityChip';
export { SEVERITY_COLORS, SEVERITY_LABELS } from './severityColors';
