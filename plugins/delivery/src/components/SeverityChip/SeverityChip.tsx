import Chip from '@material-ui/core/Chip';
import { FindingSeverity } from '@internal/plugin-delivery-common';
import { SEVERITY_COLORS } from './severityColors';

/** A finding's severity as a colored chip ("CRITICAL"). */
export function SeverityChip(props: { severity: FindingSeverity | string }) {
  const { severity } = props;
  const color =
    SEVERITY_COLORS[severity as FindingSeverity] ?? SEVERITY_COLORS.info;
  return (
    <Chip
      size="small"
      label={severity.toUpperCase()}
      style={{ backgroundColor: color, color: '#fff', fontWeight: 600 }}
    />
  );
}
