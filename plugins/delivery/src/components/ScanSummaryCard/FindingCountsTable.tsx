import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import { makeStyles } from '@material-ui/core/styles';
import {
  FINDING_SEVERITIES,
  FindingCounts,
  FindingSeverity,
  SeverityCounts,
} from '@internal/plugin-delivery-common';
import { SEVERITY_COLORS, SEVERITY_LABELS } from '../SeverityChip';

const useStyles = makeStyles(theme => ({
  count: {
    display: 'inline-block',
    minWidth: 28,
    padding: '0 6px',
    borderRadius: 10,
    color: '#fff',
    fontWeight: 600,
    textAlign: 'center',
  },
  zero: {
    color: theme.palette.text.disabled,
  },
  totalRow: {
    '& > *': { fontWeight: theme.typography.fontWeightBold as number },
  },
}));

function CountCell(props: {
  severity: FindingSeverity;
  count: number;
  tool: string;
}) {
  const classes = useStyles();
  const { severity, count, tool } = props;
  return (
    <TableCell
      align="center"
      aria-label={`${tool}: ${count} ${SEVERITY_LABELS[
        severity
      ].toLowerCase()}`}
    >
      {count > 0 ? (
        <span
          className={classes.count}
          style={{ backgroundColor: SEVERITY_COLORS[severity] }}
        >
          {count}
        </span>
      ) : (
        <span className={classes.zero}>0</span>
      )}
    </TableCell>
  );
}

function CountsRow(props: {
  tool: string;
  counts: SeverityCounts;
  className?: string;
}) {
  const { tool, counts, className } = props;
  return (
    <TableRow className={className}>
      <TableCell component="th" scope="row">
        {tool}
      </TableCell>
      {FINDING_SEVERITIES.map(severity => (
        <CountCell
          key={severity}
          severity={severity}
          tool={tool}
          count={counts[severity] ?? 0}
        />
      ))}
      <TableCell align="center">{counts.total}</TableCell>
    </TableRow>
  );
}

/** Open findings per tool (rows) and severity (columns), with a total row. */
export function FindingCountsTable(props: { counts: FindingCounts }) {
  const classes = useStyles();
  const { counts } = props;
  const tools = Object.keys(counts.byTool);
  return (
    <Table size="small" aria-label="Open findings by tool and severity">
      <TableHead>
        <TableRow>
          <TableCell>Tool</TableCell>
          {FINDING_SEVERITIES.map(severity => (
            <TableCell key={severity} align="center">
              {SEVERITY_LABELS[severity]}
            </TableCell>
          ))}
          <TableCell align="center">Total</TableCell>
        </TableRow>
      </TableHead>
      <TableBody>
        {tools.map(tool => (
          <CountsRow key={tool} tool={tool} counts={counts.byTool[tool]} />
        ))}
        <CountsRow
          tool="All tools"
          counts={counts.total}
          className={classes.totalRow}
        />
      </TableBody>
    </Table>
  );
}
