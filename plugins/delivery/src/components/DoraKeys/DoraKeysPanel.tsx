import Box from '@material-ui/core/Box';
import Grid from '@material-ui/core/Grid';
import Link from '@material-ui/core/Link';
import Paper from '@material-ui/core/Paper';
import Typography from '@material-ui/core/Typography';
import {
  DoraKeys,
  DoraLevels,
  DoraResponse,
  DoraSeriesPoint,
} from '@internal/plugin-delivery-common';
import { useState } from 'react';
import { formatFrequency, formatRate, formatSpan } from '../../format/insights';
import { DeploymentsBehindDialog } from './DeploymentsBehindDialog';
import { LevelChip } from './LevelChip';
import { Sparkline } from './Sparkline';

interface KeyView {
  id: keyof Omit<DoraLevels, 'overall'>;
  title: string;
  value: (keys: DoraKeys) => number | null;
  format: (value: number) => string;
  /** Whether a higher value is better (the trend's arrow color). */
  higherIsBetter: boolean;
  sample: (keys: DoraKeys) => string;
  ids: (keys: DoraKeys) => number[];
  point: (point: DoraSeriesPoint) => number | null;
}

const KEYS: KeyView[] = [
  {
    id: 'deploymentFrequency',
    title: 'Deployment frequency',
    value: keys => keys.deploymentFrequency.perWeek,
    format: formatFrequency,
    higherIsBetter: true,
    sample: keys =>
      `${keys.deploymentFrequency.deployments} production deployments`,
    ids: keys => keys.deploymentFrequency.deploymentIds,
    point: point => point.deployments,
  },
  {
    id: 'leadTime',
    title: 'Lead time for changes',
    value: keys => keys.leadTime.medianSeconds,
    format: formatSpan,
    higherIsBetter: false,
    sample: keys =>
      `median of ${keys.leadTime.commits} commits · p90 ${formatSpan(
        keys.leadTime.p90Seconds,
      )}${
        keys.leadTime.clockSkewedCommits
          ? ` · ${keys.leadTime.clockSkewedCommits} with a skewed clock`
          : ''
      }`,
    ids: keys => keys.leadTime.deploymentIds,
    point: point => point.leadTimeMedianSeconds,
  },
  {
    id: 'changeFailureRate',
    title: 'Change failure rate',
    value: keys => keys.changeFailureRate.rate,
    format: formatRate,
    higherIsBetter: false,
    sample: keys =>
      `${keys.changeFailureRate.failed} of ${keys.changeFailureRate.changes} changes failed`,
    ids: keys => keys.changeFailureRate.deploymentIds,
    point: point => point.changeFailureRate,
  },
  {
    id: 'timeToRestore',
    title: 'Time to restore',
    value: keys => keys.timeToRestore.medianSeconds,
    format: formatSpan,
    higherIsBetter: false,
    sample: keys =>
      `median of ${keys.timeToRestore.restored} restored failures${
        keys.timeToRestore.unrestored
          ? ` · ${keys.timeToRestore.unrestored} not restored`
          : ''
      }`,
    ids: keys => keys.timeToRestore.deploymentIds,
    point: point => point.timeToRestoreMedianSeconds,
  },
];

function Trend(props: {
  view: KeyView;
  now: number | null;
  before: number | null;
}) {
  const { view, now, before } = props;
  if (now === null || before === null || now === before) {
    return (
      <Typography variant="caption" color="textSecondary">
        {before === null ? 'no earlier figure' : 'unchanged'}
      </Typography>
    );
  }
  const better = view.higherIsBetter ? now > before : now < before;
  return (
    <Typography
      variant="caption"
      style={{ color: better ? '#2e7d32' : '#c62828', fontWeight: 600 }}
    >
      {now > before ? '▲' : '▼'} from {view.format(before)}
    </Typography>
  );
}

/**
 * The four DORA keys of a component, team or organisation: value, DORA level, trend against the
 * window before, a sparkline, the sample size, and the deployments behind each figure.
 */
export function DoraKeysPanel(props: { dora: DoraResponse }) {
  const { dora } = props;
  const [open, setOpen] = useState<KeyView | null>(null);
  const label = (point: DoraSeriesPoint) =>
    new Date(point.from).toLocaleDateString();
  return (
    <Box>
      <Grid container spacing={2}>
        {KEYS.map(view => {
          const value = view.value(dora.keys);
          const ids = view.ids(dora.keys);
          return (
            <Grid item xs={12} sm={6} lg={3} key={view.id}>
              <Paper variant="outlined" style={{ padding: 12, height: '100%' }}>
                <Box
                  display="flex"
                  justifyContent="space-between"
                  alignItems="center"
                >
                  <Typography variant="subtitle2">{view.title}</Typography>
                  <LevelChip level={dora.levels[view.id]} />
                </Box>
                <Typography
                  variant="h5"
                  data-testid={`dora-${view.id}`}
                  component="p"
                >
                  {value === null ? '—' : view.format(value)}
                </Typography>
                <Trend
                  view={view}
                  now={value}
                  before={view.value(dora.previous)}
                />
                <Sparkline
                  name={view.title}
                  format={view.format}
                  points={dora.series.map(point => ({
                    label: label(point),
                    value: view.point(point),
                  }))}
                />
                <Typography
                  variant="caption"
                  color="textSecondary"
                  component="p"
                >
                  {view.sample(dora.keys)}
                </Typography>
                {ids.length > 0 && (
                  <Link
                    component="button"
                    variant="caption"
                    onClick={() => setOpen(view)}
                  >
                    The {ids.length} deployment{ids.length === 1 ? '' : 's'}{' '}
                    behind it
                  </Link>
                )}
              </Paper>
            </Grid>
          );
        })}
      </Grid>
      <Typography
        variant="caption"
        color="textSecondary"
        component="p"
        style={{ marginTop: 8 }}
      >
        Levels after the {dora.reference.source}; a change counts as failed when
        a deployment status fails, the pipeline or the portal rolls it back, or
        a fix follows within {dora.settings.fixWindowHours} h.
        {dora.pending.length > 0 &&
          ` Still reading the history of ${dora.pending.length} component(s).`}
      </Typography>
      <DeploymentsBehindDialog
        open={open !== null}
        title={open ? `${open.title}: the deployments behind it` : ''}
        deployments={
          open
            ? dora.deployments.filter(d => open.ids(dora.keys).includes(d.id))
            : []
        }
        onClose={() => setOpen(null)}
      />
    </Box>
  );
}
