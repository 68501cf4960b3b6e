import {
  InfoCard,
  Link,
  StatusError,
  StatusOK,
  StatusPending,
  StatusRunning,
  Table,
  TableColumn,
} from '@backstage/core-components';
import Chip from '@material-ui/core/Chip';
import {
  EnvironmentHealthSummary,
  TeamService,
} from '@internal/plugin-delivery-common';
import { entityPath } from '../DeliveryOverview';

const HEALTH_COLORS: Partial<Record<EnvironmentHealthSummary, string>> = {
  healthy: '#2e7d32',
  progressing: '#1565c0',
  degraded: '#b45309',
  stalled: '#b71c1c',
  paused: '#546e7a',
};

function GateResultCell(props: { service: TeamService }) {
  const run = props.service.latestRun;
  if (!run) return <StatusPending>no run yet</StatusPending>;
  const label = (
    <Link to={run.htmlUrl}>
      #{run.runNumber} {run.title}
    </Link>
  );
  switch (run.result) {
    case 'passed':
      return <StatusOK>{label}</StatusOK>;
    case 'failed':
      return <StatusError>{label}</StatusError>;
    case 'running':
      return <StatusRunning>{label}</StatusRunning>;
    default:
      return <StatusPending>{label}</StatusPending>;
  }
}

const columns: TableColumn<TeamService>[] = [
  {
    title: 'Service',
    field: 'title',
    render: s => <Link to={entityPath(s.entityRef)}>{s.title}</Link>,
  },
  {
    title: 'Latest gate result',
    field: 'latestRun.result',
    render: s => <GateResultCell service={s} />,
  },
  {
    title: 'Critical findings',
    field: 'criticalFindings',
    render: s =>
      s.criticalFindings === null ? (
        '—'
      ) : (
        <Link to={`${entityPath(s.entityRef)}/security`}>
          {s.criticalFindings}
        </Link>
      ),
  },
  {
    title: 'Environments',
    field: 'environments',
    render: s => (
      <>
        {s.environments.map(e => (
          <Chip
            key={e.name}
            size="small"
            label={`${e.name}: ${
              e.health === 'missing' ? 'not deployed' : e.health
            }`}
            style={
              HEALTH_COLORS[e.health]
                ? {
                    backgroundColor: HEALTH_COLORS[e.health],
                    color: '#fff',
                    marginRight: 4,
                  }
                : { marginRight: 4 }
            }
            variant={HEALTH_COLORS[e.health] ? 'default' : 'outlined'}
          />
        ))}
      </>
    ),
  },
];

/** The services of the signed-in person's teams: gate result, critical findings, health. */
export function TeamServicesCard(props: { services: TeamService[] }) {
  return (
    <InfoCard title="Your team's services" noPadding>
      <Table
        columns={columns}
        data={props.services}
        options={{
          paging: false,
          search: false,
          toolbar: false,
          padding: 'dense',
        }}
        localization={{
          body: { emptyDataSourceMessage: 'Your teams own no services yet.' },
        }}
      />
    </InfoCard>
  );
}
