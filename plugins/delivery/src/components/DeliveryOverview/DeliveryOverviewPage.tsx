import {
  Content,
  ContentHeader,
  Header,
  Link,
  Page,
  Progress,
  Table,
  TableColumn,
} from '@backstage/core-components';
import { parseEntityRef } from '@backstage/catalog-model';
import Typography from '@material-ui/core/Typography';
import {
  PERFORMANCE_LEVELS,
  ServiceOverviewRow,
} from '@internal/plugin-delivery-common';
import { useState } from 'react';
import { formatFrequency, formatRate, formatSpan } from '../../format/insights';
import { useOverview } from '../../hooks/useInsights';
import { DeliveryErrorPanel } from '../DeliveryErrorPanel';
import { LevelChip } from '../DoraKeys';
import { WindowPicker } from './WindowPicker';

/** Where a component's page is. */
export function entityPath(entityRef: string): string {
  const ref = parseEntityRef(entityRef);
  return `/catalog/${ref.namespace}/${ref.kind.toLocaleLowerCase('en-US')}/${
    ref.name
  }`;
}

const shortRef = (ref: string) => ref.replace(/^[a-z]+:default\//, '');
/** Nulls sort last whichever way a column is sorted. */
const byNumber =
  (pick: (row: ServiceOverviewRow) => number | null) =>
  (a: ServiceOverviewRow, b: ServiceOverviewRow) =>
    (pick(a) ?? Number.POSITIVE_INFINITY) -
    (pick(b) ?? Number.POSITIVE_INFINITY);

const columns: TableColumn<ServiceOverviewRow>[] = [
  {
    title: 'Service',
    field: 'title',
    highlight: true,
    render: row => <Link to={entityPath(row.entityRef)}>{row.title}</Link>,
  },
  {
    title: 'Owner',
    field: 'owner',
    render: row => shortRef(row.owner),
  },
  {
    title: 'Last deploy',
    field: 'lastDeployment.at',
    filtering: false,
    customSort: (a, b) =>
      (a.lastDeployment?.at ?? '').localeCompare(b.lastDeployment?.at ?? ''),
    render: row => {
      if (row.pending) return 'reading history…';
      return row.lastDeployment
        ? new Date(row.lastDeployment.at).toLocaleString()
        : '—';
    },
  },
  {
    title: 'Deploys',
    field: 'deploymentsPerWeek',
    type: 'numeric',
    filtering: false,
    render: row => formatFrequency(row.deploymentsPerWeek),
  },
  {
    title: 'Lead time',
    field: 'leadTimeMedianSeconds',
    type: 'numeric',
    filtering: false,
    customSort: byNumber(row => row.leadTimeMedianSeconds),
    render: row => formatSpan(row.leadTimeMedianSeconds),
  },
  {
    title: 'Change failure rate',
    field: 'changeFailureRate',
    type: 'numeric',
    filtering: false,
    customSort: byNumber(row => row.changeFailureRate),
    render: row => formatRate(row.changeFailureRate),
  },
  {
    title: 'Time to restore',
    field: 'timeToRestoreMedianSeconds',
    type: 'numeric',
    filtering: false,
    customSort: byNumber(row => row.timeToRestoreMedianSeconds),
    render: row => formatSpan(row.timeToRestoreMedianSeconds),
  },
  {
    title: 'Gate pass rate',
    field: 'gatePassRate',
    type: 'numeric',
    filtering: false,
    customSort: byNumber(row => row.gatePassRate),
    render: row =>
      row.gatePassRate === null
        ? '—'
        : `${formatRate(row.gatePassRate)} of ${row.pipelineRuns}`,
  },
  {
    title: 'Critical findings',
    field: 'criticalFindings',
    type: 'numeric',
    filtering: false,
    customSort: byNumber(row => row.criticalFindings),
    render: row => (row.criticalFindings === null ? '—' : row.criticalFindings),
  },
  {
    title: 'DORA level',
    field: 'level',
    lookup: Object.fromEntries(PERFORMANCE_LEVELS.map(l => [l, l])),
    customSort: byNumber(row =>
      row.level === null ? null : PERFORMANCE_LEVELS.indexOf(row.level),
    ),
    render: row => <LevelChip level={row.level} />,
  },
];

/**
 * The platform team's overview: every service the viewer may read, with owner, last deploy,
 * the four keys, gate pass rate, critical findings and DORA level; sortable and filterable.
 */
export function DeliveryOverviewPage() {
  const [days, setDays] = useState(30);
  const { value, loading, error } = useOverview(days);
  return (
    <Page themeId="tool">
      <Header
        title="Delivery"
        subtitle="Every service's delivery performance, from the history the portal keeps"
      />
      <Content>
        <ContentHeader title={`The last ${days} days`}>
          <WindowPicker days={days} onChange={setDays} />
        </ContentHeader>
        {error && !value && (
          <DeliveryErrorPanel
            error={error}
            title="Could not load the overview"
          />
        )}
        {loading && <Progress />}
        {value && (
          <>
            <Table
              title={`Services (${value.services.length})`}
              columns={columns}
              data={value.services}
              options={{
                paging: true,
                pageSize: 25,
                pageSizeOptions: [25, 50, 100],
                search: true,
                filtering: true,
                sorting: true,
                padding: 'dense',
              }}
            />
            <Typography variant="caption" color="textSecondary" component="p">
              DORA levels after the {value.reference.source}:{' '}
              {value.reference.note}
            </Typography>
          </>
        )}
      </Content>
    </Page>
  );
}
