import {
  Link,
  StatusAborted,
  StatusError,
  StatusOK,
  StatusPending,
  StatusRunning,
  Table,
  TableColumn,
} from '@backstage/core-components';
import Grid from '@material-ui/core/Grid';
import Tab from '@material-ui/core/Tab';
import Tabs from '@material-ui/core/Tabs';
import Typography from '@material-ui/core/Typography';
import { useEffect, useState } from 'react';
import { formatAge, secondsSince } from '../../format/durations';
import { useAuditTrail } from '../../hooks/useAuditTrail';
import { useEnvironments } from '../../hooks/useEnvironments';
import { DeliveryErrorPanel } from '../DeliveryErrorPanel';
import { EnvironmentsCard } from '../EnvironmentsCard';
import { HistoryEvent, environmentHistory } from './deploymentHistory';
import { RepositoryRequired } from '../RepositoryRequired';

const AUDIT_LIMIT = 200;

const KIND_LABELS: Record<HistoryEvent['kind'], string> = {
  deploy: 'Deploy',
  approve: 'Approval',
  reject: 'Rejection',
  rollback: 'Rollback',
};

function ResultStatus(props: { result: string }) {
  const { result } = props;
  if (result === 'success' || result.startsWith('succeeded')) {
    return <StatusOK>{result}</StatusOK>;
  }
  if (['failure', 'error', 'failed', 'denied'].includes(result)) {
    return <StatusError>{result}</StatusError>;
  }
  if (['in_progress', 'queued', 'pending'].includes(result)) {
    return <StatusRunning>{result.replace('_', ' ')}</StatusRunning>;
  }
  if (result === 'inactive' || result === 'no-op') {
    return <StatusAborted>{result}</StatusAborted>;
  }
  return <StatusPending>{result}</StatusPending>;
}

const columns: TableColumn<HistoryEvent>[] = [
  {
    title: 'When',
    field: 'at',
    width: '140px',
    cellStyle: { whiteSpace: 'nowrap' },
    render: event => (
      <span title={event.at}>{`${formatAge(secondsSince(event.at))} ago`}</span>
    ),
  },
  {
    title: 'Event',
    field: 'kind',
    width: '110px',
    render: event => KIND_LABELS[event.kind],
  },
  { title: 'Who', field: 'actor', width: '160px' },
  {
    title: 'Change',
    field: 'change',
    render: event => (
      <Typography variant="body2" style={{ fontFamily: 'monospace' }}>
        {event.url ? <Link to={event.url}>{event.change}</Link> : event.change}
      </Typography>
    ),
  },
  {
    title: 'Result',
    field: 'result',
    width: '220px',
    cellStyle: { whiteSpace: 'nowrap' },
    render: event => <ResultStatus result={event.result} />,
  },
  { title: 'Note', field: 'note' },
];

function DeploymentHistory(props: {
  environments: ReturnType<typeof useEnvironments>;
  audit: ReturnType<typeof useAuditTrail>;
}) {
  const { environments, audit } = props;
  const [selected, setSelected] = useState(0);
  const names = environments.value?.environments.map(e => e.name) ?? [];
  const index = Math.min(selected, Math.max(0, names.length - 1));
  const environment = environments.value?.environments[index];
  const events = environment
    ? environmentHistory(environment, audit.value?.entries ?? [])
    : [];

  return (
    <>
      <Tabs
        value={index}
        onChange={(_event, value: number) => setSelected(value)}
        indicatorColor="primary"
        aria-label="Environment"
      >
        {names.map(name => (
          <Tab key={name} label={name} />
        ))}
      </Tabs>
      {audit.error && (
        <DeliveryErrorPanel
          error={audit.error}
          title="Could not load the audit trail"
        />
      )}
      <Table<HistoryEvent>
        title={environment ? `History of ${environment.name}` : 'History'}
        subtitle="GitHub deployments, and approvals, rejections and rollbacks from the audit trail"
        isLoading={!environments.value || (audit.loading && !audit.value)}
        options={{ paging: false, search: false, padding: 'dense' }}
        columns={columns}
        data={events}
        emptyContent={
          <Typography style={{ padding: 16 }}>
            Nothing happened in this environment yet.
          </Typography>
        }
      />
    </>
  );
}

/**
 * Entity tab "Deployments": the environments with their actions, and per environment the history
 * of deploys, approvals and rollbacks.
 */
export function DeploymentsContent() {
  return (
    <RepositoryRequired>
      <DeploymentsContentBody />
    </RepositoryRequired>
  );
}

function DeploymentsContentBody() {
  const environments = useEnvironments();
  const audit = useAuditTrail(AUDIT_LIMIT);
  // Each refresh of the environments (polled) brings the audit trail along.
  const { retry: retryAudit } = audit;
  const observedAt = environments.value?.observedAt;
  useEffect(() => {
    if (observedAt) retryAudit();
  }, [observedAt, retryAudit]);
  return (
    <Grid container spacing={3}>
      <Grid item xs={12}>
        {/* One poll feeds the card and the history. */}
        <EnvironmentsCard environments={environments} />
      </Grid>
      <Grid item xs={12}>
        <DeploymentHistory environments={environments} audit={audit} />
      </Grid>
    </Grid>
  );
}
