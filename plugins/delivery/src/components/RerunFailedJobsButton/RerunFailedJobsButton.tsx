import Button from '@material-ui/core/Button';
import CircularProgress from '@material-ui/core/CircularProgress';
import IconButton from '@material-ui/core/IconButton';
import Tooltip from '@material-ui/core/Tooltip';
import ReplayIcon from '@material-ui/icons/Replay';
import { PipelineRunSummary } from '@internal/plugin-delivery-common';

/**
 * Re-runs a run's failed jobs. Renders nothing unless the user may do it and the run can be
 * re-run, so nobody is offered a button that can only fail.
 */
export function RerunFailedJobsButton(props: {
  run: PipelineRunSummary & { rerunnable: boolean };
  allowed: boolean;
  busy: boolean;
  onRerun: (runId: number) => void;
  /** An icon with a tooltip, for a table row. */
  compact?: boolean;
}) {
  const { run, allowed, busy, onRerun, compact } = props;
  if (!allowed || !run.rerunnable) return null;
  const label = `Re-run failed jobs of run #${run.runNumber}`;
  // The button sits in a clickable table row; the click must not also select the row.
  const onClick = (event: { stopPropagation: () => void }) => {
    event.stopPropagation();
    onRerun(run.id);
  };
  if (compact) {
    return (
      <Tooltip title={label}>
        <span>
          <IconButton
            size="small"
            color="primary"
            aria-label={label}
            disabled={busy}
            onClick={onClick}
          >
            {busy ? (
              <CircularProgress size={16} aria-hidden="true" />
            ) : (
              <ReplayIcon fontSize="small" />
            )}
          </IconButton>
        </span>
      </Tooltip>
    );
  }
  return (
    <Button
      size="small"
      variant="outlined"
      color="primary"
      disabled={busy}
      startIcon={
        busy ? (
          <CircularProgress size={14} aria-hidden="true" />
        ) : (
          <ReplayIcon />
        )
      }
      aria-label={label}
      onClick={onClick}
    >
      Re-run failed jobs
    </Button>
  );
}
