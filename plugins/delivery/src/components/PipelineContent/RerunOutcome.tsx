import { Link } from '@backstage/core-components';
import Alert from '@material-ui/lab/Alert';
import { RerunResponse } from '@internal/plugin-delivery-common';
import { deliveryErrorMessage } from '../DeliveryErrorPanel';

/** What happened after "Re-run failed jobs": the jobs GitHub re-runs, or why it refused. */
export function RerunOutcome(props: {
  runNumber: number | undefined;
  result?: RerunResponse;
  error?: Error;
  onClose: () => void;
}) {
  const { runNumber, result, error, onClose } = props;
  const run = runNumber !== undefined ? `run #${runNumber}` : 'the run';
  if (error) {
    return (
      <Alert severity="error" onClose={onClose} data-testid="rerun-outcome">
        Could not re-run the failed jobs of {run}: {deliveryErrorMessage(error)}
      </Alert>
    );
  }
  if (!result) return null;
  const jobs = result.jobs.length;
  return (
    <Alert severity="success" onClose={onClose} data-testid="rerun-outcome">
      Re-running {jobs} failed job{jobs === 1 ? '' : 's'} of {run} as attempt{' '}
      {result.runAttempt}
      {jobs > 0 ? `: ${result.jobs.join(', ')}` : ''}.{' '}
      <Link to={result.htmlUrl}>Follow it on GitHub</Link>
    </Alert>
  );
}
