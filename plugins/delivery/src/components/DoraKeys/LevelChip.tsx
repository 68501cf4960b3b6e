import Chip from '@material-ui/core/Chip';
import { PerformanceLevel } from '@internal/plugin-delivery-common';
import { LEVEL_COLORS, LEVEL_LABELS } from '../../format/insights';

/** A DORA performance level, or "No data". */
export function LevelChip(props: { level: PerformanceLevel | null }) {
  const { level } = props;
  if (!level) {
    return <Chip size="small" variant="outlined" label="No data" />;
  }
  return (
    <Chip
      size="small"
      label={LEVEL_LABELS[level]}
      style={{ backgroundColor: LEVEL_COLORS[level], color: '#fff' }}
    />
  );
}
