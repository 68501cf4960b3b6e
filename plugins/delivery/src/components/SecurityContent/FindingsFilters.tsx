import { CSSProperties, ReactNode } from 'react';
import Box from '@material-ui/core/Box';
import Chip from '@material-ui/core/Chip';
import Typography from '@material-ui/core/Typography';
import {
  FINDING_SEVERITIES,
  FINDING_STATES,
  FindingCounts,
  FindingSeverity,
  FindingState,
  FindingsFilter,
} from '@internal/plugin-delivery-common';
import { SEVERITY_COLORS, SEVERITY_LABELS } from '../SeverityChip';

const STATE_LABELS: Record<FindingState, string> = {
  open: 'Open',
  dismissed: 'Dismissed',
  fixed: 'Fixed',
};

function toggle<T>(values: T[] | undefined, value: T): T[] {
  const current = values ?? [];
  return current.includes(value)
    ? current.filter(v => v !== value)
    : [...current, value];
}

function FilterGroup(props: { label: string; children: ReactNode }) {
  return (
    <Box
      display="flex"
      alignItems="center"
      flexWrap="wrap"
      style={{ gap: 8 }}
      role="group"
      aria-label={`${props.label} filter`}
    >
      <Typography variant="subtitle2" component="span" style={{ minWidth: 64 }}>
        {props.label}
      </Typography>
      {props.children}
    </Box>
  );
}

function ToggleChip(props: {
  label: string;
  selected: boolean;
  color?: string;
  onClick: () => void;
}) {
  const { label, selected, color, onClick } = props;
  let style: CSSProperties | undefined;
  if (color) {
    style = selected
      ? { backgroundColor: color, color: '#fff', fontWeight: 600 }
      : { borderColor: color };
  }
  return (
    <Chip
      label={label}
      clickable
      size="small"
      aria-pressed={selected}
      color={selected && !color ? 'primary' : 'default'}
      variant={selected ? 'default' : 'outlined'}
      onClick={onClick}
      style={style}
    />
  );
}

/**
 * Severity, tool and state filters as toggle chips. Severity and tool chips show how many
 * findings they hold in the selected states, so empty choices are visible before a click.
 */
export function FindingsFilters(props: {
  filter: FindingsFilter;
  counts?: FindingCounts;
  tools: string[];
  onChange: (filter: FindingsFilter) => void;
}) {
  const { filter, counts, tools, onChange } = props;
  const count = (n: number | undefined) => (counts ? ` (${n ?? 0})` : '');
  return (
    <Box display="flex" flexDirection="column" style={{ gap: 8 }}>
      <FilterGroup label="Severity">
        {FINDING_SEVERITIES.map((severity: FindingSeverity) => (
          <ToggleChip
            key={severity}
            label={`${SEVERITY_LABELS[severity]}${count(
              counts?.total[severity],
            )}`}
            color={SEVERITY_COLORS[severity]}
            selected={filter.severity?.includes(severity) ?? false}
            onClick={() =>
              onChange({
                ...filter,
                severity: toggle(filter.severity, severity),
              })
            }
          />
        ))}
      </FilterGroup>
      <FilterGroup label="Tool">
        {tools.map(tool => (
          <ToggleChip
            key={tool}
            label={`${tool}${count(counts?.byTool[tool]?.total)}`}
            selected={filter.tool?.includes(tool) ?? false}
            onClick={() =>
              onChange({ ...filter, tool: toggle(filter.tool, tool) })
            }
          />
        ))}
      </FilterGroup>
      <FilterGroup label="State">
        {FINDING_STATES.map(state => (
          <ToggleChip
            key={state}
            label={STATE_LABELS[state]}
            selected={filter.state?.includes(state) ?? false}
            onClick={() =>
              onChange({ ...filter, state: toggle(filter.state, state) })
            }
          />
        ))}
      </FilterGroup>
    </Box>
  );
}
