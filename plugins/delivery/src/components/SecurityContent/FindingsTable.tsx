import { ReactNode } from 'react';
import { Link, Table, TableColumn } from '@backstage/core-components';
import Typography from '@material-ui/core/Typography';
import { Finding } from '@internal/plugin-delivery-common';
import { formatAge, secondsSince } from '../../format/durations';
import { SeverityChip } from '../SeverityChip';

export const PAGE_SIZES = [20, 50, 100];

function location(finding: Finding): string {
  const { path, startLine } = finding.location;
  return startLine ? `${path}:${startLine}` : path;
}

const columns: TableColumn<Finding>[] = [
  {
    title: 'Severity',
    field: 'severity',
    width: '110px',
    render: finding => <SeverityChip severity={finding.severity} />,
  },
  {
    title: 'Tool',
    field: 'tool',
    width: '120px',
    cellStyle: { whiteSpace: 'nowrap' },
  },
  {
    title: 'Rule',
    field: 'rule.id',
    render: finding => {
      const name = finding.rule.name ?? finding.rule.id;
      return (
        <>
          {finding.helpUrl ? (
            <Link to={finding.helpUrl}>{name}</Link>
          ) : (
            <Typography variant="body2">{name}</Typography>
          )}
          {finding.rule.name && (
            <Typography variant="caption" color="textSecondary" component="div">
              {finding.rule.id}
            </Typography>
          )}
        </>
      );
    },
  },
  {
    title: 'Message',
    field: 'message',
    render: finding => (
      <Typography variant="body2" style={{ wordBreak: 'break-word' }}>
        {finding.message}
      </Typography>
    ),
  },
  {
    title: 'Location',
    field: 'location.path',
    render: finding => (
      <Link to={finding.htmlUrl} style={{ wordBreak: 'break-all' }}>
        {location(finding)}
      </Link>
    ),
  },
  { title: 'State', field: 'state', width: '90px' },
  {
    title: 'First seen',
    field: 'firstSeenAt',
    width: '130px',
    cellStyle: { whiteSpace: 'nowrap' },
    render: finding => `${formatAge(secondsSince(finding.firstSeenAt))} ago`,
  },
];

/**
 * One page of findings; the backend pages (`offset`/`limit`), so the table is told the total and
 * the current page instead of slicing a full list.
 */
export function FindingsTable(props: {
  findings: Finding[];
  totalCount: number;
  page: number;
  pageSize: number;
  loading: boolean;
  onPageChange: (page: number) => void;
  onPageSizeChange: (pageSize: number) => void;
  emptyContent: ReactNode;
}) {
  const {
    findings,
    totalCount,
    page,
    pageSize,
    loading,
    onPageChange,
    onPageSizeChange,
    emptyContent,
  } = props;
  return (
    <Table<Finding>
      title={`Findings (${totalCount})`}
      options={{
        paging: true,
        pageSize,
        pageSizeOptions: PAGE_SIZES,
        emptyRowsWhenPaging: false,
        search: false,
        sorting: false,
        padding: 'dense',
      }}
      isLoading={loading}
      columns={columns}
      data={findings}
      page={page}
      totalCount={totalCount}
      onPageChange={(nextPage, nextPageSize) => {
        if (nextPageSize !== pageSize) onPageSizeChange(nextPageSize);
        else onPageChange(nextPage);
      }}
      onRowsPerPageChange={onPageSizeChange}
      emptyContent={emptyContent}
    />
  );
}
