import Button from '@material-ui/core/Button';
import CircularProgress from '@material-ui/core/CircularProgress';
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
}) {
  const { run, allowed, busy, onRerun } = props;
  if (!allowed || !run.rerunnable) return null;
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
      aria-label={`Re-run failed jobs of run #${run.runNumber}`}
      onClick={event => {
        // The button sits in a clickable table row; the click must not also select the row.
        event.stopPropagation();
        onRerun(run.id);
      }}
    >
      Re-run failed jobs
    </Button>
  );
}
