import {
  EmptyState,
  InfoCard,
  Link,
  Progress,
} from '@backstage/core-components';
import Box from '@material-ui/core/Box';
import IconButton from '@material-ui/core/IconButton';
import Tooltip from '@material-ui/core/Tooltip';
import Typography from '@material-ui/core/Typography';
import RefreshIcon from '@material-ui/icons/Refresh';
import Alert from '@material-ui/lab/Alert';
import { PipelineRun } from '@internal/plugin-delivery-common';
import {
  formatAge,
  formatDuration,
  secondsSince,
} from '../../format/durations';
import { useDeliveryDashboard } from '../../hooks/useDeliveryDashboard';
import { DeliveryErrorPanel } from '../DeliveryErrorPanel';
import { GateChain, runStatusLabel } from '../GateChain';
import { StaleDataWarning } from '../StaleDataWarning';
import { RepositoryRequired } from '../RepositoryRequired';

const TITLE = 'Pipeline gates';

function RunSubheader(props: { run: PipelineRun }) {
  const { run } = props;
  const attempt = run.runAttempt > 1 ? ` (attempt ${run.runAttempt})` : '';
  const took =
    run.durationSeconds !== null
      ? ` in ${formatDuration(run.durationSeconds)}`
      : '';
  // One inline span: the card header lays out its children as flex items, which drops spaces.
  return (
    <span>
      <Link to={run.htmlUrl}>Run #{run.runNumber}</Link>
      {`${attempt} on `}
      <strong>{run.branch}</strong>
      {` · ${run.title} · ${run.headSha.slice(0, 7)} · ${runStatusLabel(
        run.status,
        run.conclusion,
      )} ${formatAge(secondsSince(run.createdAt))} ago${took}`}
    </span>
  );
}

/** Says which gate stopped the run and why, with the way to its logs. */
function FailedGateSummary(props: { run: PipelineRun }) {
  const gate = props.run.gates.find(g => g.id === props.run.failedGateId);
  if (!gate) return null;
  return (
    <Alert severity="error" data-testid="failed-gate-summary">
      Stopped at <strong>{gate.title}</strong>
      {gate.reason ? `: ${gate.reason}` : ''}
      {gate.logsUrl && (
        <>
          {' '}
          — <Link to={gate.logsUrl}>view logs</Link>
        </>
      )}
    </Alert>
  );
}

function PipelineCardBody() {
  const { value, loading, error, retry } = useDeliveryDashboard();
  const refresh = (
    <Tooltip title="Refresh">
      <IconButton aria-label="Refresh pipeline gates" onClick={retry}>
        <RefreshIcon />
      </IconButton>
    </Tooltip>
  );

  if (error && !value) {
    return (
      <InfoCard title={TITLE} action={refresh}>
        <DeliveryErrorPanel error={error} title="Could not load the pipeline" />
      </InfoCard>
    );
  }
  if (!value) {
    return (
      <InfoCard title={TITLE}>
        <Progress />
      </InfoCard>
    );
  }
  const run = value.latestRun;
  return (
    <InfoCard
      title={TITLE}
      subheader={run ? <RunSubheader run={run} /> : value.repository.slug}
      action={refresh}
    >
      {loading && <Progress />}
      <StaleDataWarning freshness={value.freshness} />
      {run ? (
        <Box display="flex" flexDirection="column" style={{ gap: 12 }}>
          <GateChain gates={run.gates} failedGateId={run.failedGateId} />
          <FailedGateSummary run={run} />
        </Box>
      ) : (
        <EmptyState
          missing="data"
          title="No pipeline runs yet"
          description={
            <Typography variant="body2">
              {value.repository.slug} has no workflow run on its default branch{' '}
              <strong>{value.repository.defaultBranch}</strong>.
            </Typography>
          }
        />
      )}
    </InfoCard>
  );
}

/** Entity card: the gate chain of the latest run on the default branch. */
export function DeliveryPipelineCard() {
  return (
    <RepositoryRequired card={{ title: TITLE }}>
      <PipelineCardBody />
    </RepositoryRequired>
  );
}
