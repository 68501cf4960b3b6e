import {
  EmptyState,
  InfoCard,
  Link,
  Progress,
  Table,
  TableColumn,
} from '@backstage/core-components';
import Box from '@material-ui/core/Box';
import Grid from '@material-ui/core/Grid';
import Typography from '@material-ui/core/Typography';
import { PipelineRun } from '@internal/plugin-delivery-common';
import { useEffect, useState } from 'react';
import {
  formatAge,
  formatDuration,
  secondsSince,
} from '../../format/durations';
import {
  useRerunFailedJobs,
  useRerunPermission,
} from '../../hooks/useRerunFailedJobs';
import { useRunHistory } from '../../hooks/useRunHistory';
import { DeliveryErrorPanel } from '../DeliveryErrorPanel';
import {
  CompactGateChain,
  GateChain,
  GateStatusIcon,
  runAsGateStatus,
  runStatusLabel,
} from '../GateChain';
import { RerunFailedJobsButton } from '../RerunFailedJobsButton';
import { StaleDataWarning } from '../StaleDataWarning';
import { RerunOutcome } from './RerunOutcome';
import { RepositoryRequired } from '../RepositoryRequired';

const RUN_LIMIT = 20;
/** While a run is queued or running, the list refreshes this often (the backend caches GitHub). */
const POLL_MS = 5000;
const ACTIVE_RUN_STATUSES: string[] = [
  'queued',
  'in_progress',
  'requested',
  'pending',
];

function failedGateText(run: PipelineRun): string | null {
  const gate = run.gates.find(g => g.id === run.failedGateId);
  if (!gate) return null;
  return gate.reason ? `${gate.title}: ${gate.reason}` : gate.title;
}

function PipelineContentBody() {
  const { value, loading, error, retry } = useRunHistory(RUN_LIMIT);
  const permission = useRerunPermission();
  const [rerunState, rerun] = useRerunFailedJobs();
  const [rerunRunId, setRerunRunId] = useState<number>();
  const [outcomeVisible, setOutcomeVisible] = useState(false);
  const [selectedRunId, setSelectedRunId] = useState<number>();

  // A run waiting for a reviewer can wait for days: only queued and running runs are polled.
  const inProgress = value?.runs.some(run =>
    ACTIVE_RUN_STATUSES.includes(run.status),
  );
  useEffect(() => {
    if (!inProgress || loading) return undefined;
    const timer = setTimeout(retry, POLL_MS);
    return () => clearTimeout(timer);
  }, [inProgress, loading, retry]);

  if (error && !value) {
    return (
      <DeliveryErrorPanel error={error} title="Could not load pipeline runs" />
    );
  }
  if (!value) return <Progress />;
  if (value.runs.length === 0) {
    return (
      <EmptyState
        missing="data"
        title="No pipeline runs yet"
        description={`GitHub Actions has no workflow run for ${value.repository.slug}.`}
      />
    );
  }

  const onRerun = async (runId: number) => {
    setRerunRunId(runId);
    setOutcomeVisible(true);
    const result = await rerun(runId);
    if (!(result instanceof Error)) retry();
  };
  const rerunRun = value.runs.find(run => run.id === rerunRunId);
  const selected =
    value.runs.find(run => run.id === selectedRunId) ?? value.runs[0];

  const nowrap = { whiteSpace: 'nowrap' as const };
  const columns: TableColumn<PipelineRun>[] = [
    {
      title: 'Run',
      field: 'runNumber',
      width: '80px',
      cellStyle: nowrap,
      render: run => (
        <Link to={run.htmlUrl} onClick={e => e.stopPropagation()}>
          #{run.runNumber}
          {run.runAttempt > 1 ? ` (${run.runAttempt})` : ''}
        </Link>
      ),
    },
    {
      title: 'Status',
      field: 'conclusion',
      width: '170px',
      cellStyle: nowrap,
      render: run => (
        <GateStatusIcon status={runAsGateStatus(run.status, run.conclusion)}>
          {runStatusLabel(run.status, run.conclusion)}
        </GateStatusIcon>
      ),
    },
    {
      title: 'Gates',
      field: 'gates',
      width: '180px',
      cellStyle: nowrap,
      render: run => <CompactGateChain gates={run.gates} />,
    },
    {
      title: 'Stopped at',
      field: 'failedGateId',
      render: run => (
        <Typography variant="body2" color="error">
          {failedGateText(run) ?? ''}
        </Typography>
      ),
    },
    {
      title: 'Commit',
      field: 'title',
      render: run => (
        <>
          <Typography variant="body2">{run.title}</Typography>
          <Typography variant="caption" color="textSecondary">
            {run.branch} · {run.headSha.slice(0, 7)} · {run.event}
            {run.actor ? ` by ${run.actor}` : ''}
          </Typography>
        </>
      ),
    },
    {
      title: 'Started',
      field: 'createdAt',
      width: '130px',
      cellStyle: nowrap,
      render: run => (
        <>
          <Typography variant="body2">
            {formatAge(secondsSince(run.createdAt))} ago
          </Typography>
          <Typography variant="caption" color="textSecondary">
            {run.durationSeconds !== null
              ? `took ${formatDuration(run.durationSeconds)}`
              : runStatusLabel(run.status, run.conclusion).toLowerCase()}
          </Typography>
        </>
      ),
    },
    {
      title: '',
      field: 'rerunnable',
      width: '56px',
      sorting: false,
      render: run => (
        <RerunFailedJobsButton
          compact
          run={run}
          allowed={permission.allowed}
          busy={rerunState.loading && rerunRunId === run.id}
          onRerun={onRerun}
        />
      ),
    },
  ];

  return (
    <Grid container spacing={3}>
      {(value.freshness.stale || outcomeVisible) && (
        <Grid item xs={12}>
          <StaleDataWarning freshness={value.freshness} />
          {outcomeVisible && !rerunState.loading && (
            <RerunOutcome
              runNumber={rerunRun?.runNumber}
              result={rerunState.value}
              error={rerunState.error}
              onClose={() => setOutcomeVisible(false)}
            />
          )}
        </Grid>
      )}
      <Grid item xs={12}>
        <InfoCard
          title={`Gates of run #${selected.runNumber}`}
          subheader={`${selected.branch} · ${selected.title} · ${runStatusLabel(
            selected.status,
            selected.conclusion,
          )}`}
          action={
            <Box pt={2} pr={1}>
              <RerunFailedJobsButton
                run={selected}
                allowed={permission.allowed}
                busy={rerunState.loading && rerunRunId === selected.id}
                onRerun={onRerun}
              />
            </Box>
          }
        >
          <GateChain
            gates={selected.gates}
            failedGateId={selected.failedGateId}
          />
        </InfoCard>
      </Grid>
      <Grid item xs={12}>
        <Table<PipelineRun>
          title={`Pipeline runs (${value.runs.length} of ${value.totalCount})`}
          subtitle={`${value.repository.slug} · click a run to see its gates`}
          options={{
            paging: false,
            search: false,
            padding: 'dense',
            rowStyle: run =>
              run.id === selected.id
                ? { backgroundColor: 'rgba(0,0,0,0.04)' }
                : {},
          }}
          isLoading={loading && !value}
          columns={columns}
          data={value.runs}
          onRowClick={(_event, run) => run && setSelectedRunId(run.id)}
        />
      </Grid>
    </Grid>
  );
}

/** Entity tab: the pipeline's run history with each run's gates, and re-running failed jobs. */
export function PipelineContent() {
  return (
    <RepositoryRequired>
      <PipelineContentBody />
    </RepositoryRequired>
  );
}
