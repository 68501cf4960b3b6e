import { InfoCard, Progress } from '@backstage/core-components';
import Box from '@material-ui/core/Box';
import Grid from '@material-ui/core/Grid';
import Typography from '@material-ui/core/Typography';
import { FindingsFilter } from '@internal/plugin-delivery-common';
import { useState } from 'react';
import { useFindings } from '../../hooks/useFindings';
import { useFindingsTrend } from '../../hooks/useFindingsTrend';
import { DeliveryErrorPanel } from '../DeliveryErrorPanel';
import { FindingsTrendChart } from '../FindingsTrendChart';
import { StaleDataWarning } from '../StaleDataWarning';
import { FindingsFilters } from './FindingsFilters';
import { FindingsTable, PAGE_SIZES } from './FindingsTable';
import { RepositoryRequired } from '../RepositoryRequired';

const TREND_RUNS = 10;

function TrendCard() {
  const { value, error } = useFindingsTrend(TREND_RUNS);
  return (
    <InfoCard
      title="Open findings over time"
      subheader={
        value
          ? `Last ${value.points.length} runs on ${value.branch}`
          : `Last ${TREND_RUNS} runs of the default branch`
      }
    >
      {error && !value && (
        <DeliveryErrorPanel error={error} title="Could not load the trend" />
      )}
      {!error && !value && <Progress />}
      {value && <FindingsTrendChart points={value.points} />}
    </InfoCard>
  );
}

function SecurityContentBody() {
  const [filter, setFilter] = useState<FindingsFilter>({ state: ['open'] });
  const [page, setPage] = useState(0);
  const [pageSize, setPageSize] = useState(PAGE_SIZES[0]);
  const { value, loading, error } = useFindings(filter, {
    offset: page * pageSize,
    limit: pageSize,
  });

  const changeFilter = (next: FindingsFilter) => {
    setFilter(next);
    setPage(0);
  };

  return (
    <Grid container spacing={3}>
      {value?.freshness.stale && (
        <Grid item xs={12}>
          <StaleDataWarning freshness={value.freshness} />
        </Grid>
      )}
      <Grid item xs={12} lg={7}>
        <TrendCard />
      </Grid>
      <Grid item xs={12} lg={5}>
        <InfoCard title="Filters">
          <FindingsFilters
            filter={filter}
            counts={value?.counts}
            tools={value?.tools ?? filter.tool ?? []}
            onChange={changeFilter}
          />
        </InfoCard>
      </Grid>
      <Grid item xs={12}>
        {error && !value ? (
          <DeliveryErrorPanel error={error} title="Could not load findings" />
        ) : (
          <FindingsTable
            findings={value?.findings ?? []}
            totalCount={value?.totalCount ?? 0}
            page={page}
            pageSize={pageSize}
            loading={loading}
            onPageChange={setPage}
            onPageSizeChange={size => {
              setPageSize(size);
              setPage(0);
            }}
            emptyContent={
              <Box p={4} textAlign="center">
                <Typography variant="body1">
                  {loading
                    ? 'Loading findings…'
                    : 'No findings match these filters.'}
                </Typography>
              </Box>
            }
          />
        )}
      </Grid>
    </Grid>
  );
}

/** Entity tab: findings of every scanner with filters and paging, and their trend over runs. */
export function SecurityContent() {
  return (
    <RepositoryRequired>
      <SecurityContentBody />
    </RepositoryRequired>
  );
}
