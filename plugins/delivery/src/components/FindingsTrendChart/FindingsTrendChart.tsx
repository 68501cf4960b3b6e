import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import { useTheme } from '@material-ui/core/styles';
import { FindingSeverity, TrendPoint } from '@internal/plugin-delivery-common';
import { SEVERITY_COLORS, SEVERITY_LABELS } from '../SeverityChip';

/** The severities stacked in the chart, most severe at the bottom where it is read first. */
const STACKED: FindingSeverity[] = ['critical', 'high', 'medium', 'low'];

const WIDTH = 640;
const HEIGHT = 200;
const PAD = { top: 12, right: 12, bottom: 28, left: 36 };

function niceMax(value: number): number {
  if (value <= 5) return 5;
  const magnitude = 10 ** Math.floor(Math.log10(value));
  const steps = [1, 2, 2.5, 5, 10];
  const step = steps.find(s => s * magnitude >= value) ?? 10;
  return step * magnitude;
}

/**
 * Open findings per severity at each of the last runs, as stacked areas: a small SVG rather than
 * a chart library, since the shape is fixed and the plugin stays light.
 */
export function FindingsTrendChart(props: { points: TrendPoint[] }) {
  const theme = useTheme();
  const { points } = props;
  if (points.length === 0) {
    return (
      <Typography variant="body2" color="textSecondary">
        No runs on the default branch yet, so there is no trend to show.
      </Typography>
    );
  }
  const innerWidth = WIDTH - PAD.left - PAD.right;
  const innerHeight = HEIGHT - PAD.top - PAD.bottom;
  const totals = points.map(p =>
    STACKED.reduce((sum, s) => sum + (p.counts.total[s] ?? 0), 0),
  );
  const max = niceMax(Math.max(...totals, 1));
  const x = (index: number) =>
    PAD.left +
    (points.length === 1
      ? innerWidth / 2
      : (index / (points.length - 1)) * innerWidth);
  const y = (value: number) =>
    PAD.top + innerHeight - (value / max) * innerHeight;

  // Cumulative tops per severity layer, bottom (critical) first.
  const layers = STACKED.map((severity, layerIndex) => {
    const tops = points.map(p =>
      STACKED.slice(0, layerIndex + 1).reduce(
        (sum, s) => sum + (p.counts.total[s] ?? 0),
        0,
      ),
    );
    const bottoms = points.map(p =>
      STACKED.slice(0, layerIndex).reduce(
        (sum, s) => sum + (p.counts.total[s] ?? 0),
        0,
      ),
    );
    const upper = tops.map((v, i) => `${x(i)},${y(v)}`);
    const lower = bottoms.map((v, i) => `${x(i)},${y(v)}`).reverse();
    const single = points.length === 1;
    // One run draws a bar-like band instead of a zero-width area.
    const path = single
      ? `M${x(0) - 12},${y(bottoms[0])} L${x(0) - 12},${y(tops[0])} L${
          x(0) + 12
        },${y(tops[0])} L${x(0) + 12},${y(bottoms[0])} Z`
      : `M${upper.join(' L')} L${lower.join(' L')} Z`;
    return { severity, path };
  });

  const ticks = [0, max / 2, max];
  const labelEvery = Math.ceil(points.length / 10);
  const latest = points[points.length - 1];
  const description = `Open findings over the last ${
    points.length
  } runs; latest run #${latest.runNumber}: ${STACKED.map(
    s => `${latest.counts.total[s] ?? 0} ${SEVERITY_LABELS[s].toLowerCase()}`,
  ).join(', ')}`;

  return (
    <Box>
      <svg
        viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
        width="100%"
        style={{ maxHeight: 240 }}
        role="img"
        aria-label={description}
        data-testid="findings-trend-chart"
      >
        {ticks.map(tick => (
          <g key={tick}>
            <line
              x1={PAD.left}
              x2={WIDTH - PAD.right}
              y1={y(tick)}
              y2={y(tick)}
              stroke={theme.palette.divider}
            />
            <text
              x={PAD.left - 6}
              y={y(tick) + 4}
              textAnchor="end"
              fontSize={11}
              fill={theme.palette.text.secondary}
            >
              {Math.round(tick)}
            </text>
          </g>
        ))}
        {layers.map(layer => (
          <path
            key={layer.severity}
            d={layer.path}
            fill={SEVERITY_COLORS[layer.severity]}
            fillOpacity={0.8}
            stroke={SEVERITY_COLORS[layer.severity]}
          />
        ))}
        {points.map((point, index) => (
          <g key={point.runId}>
            <rect
              x={x(index) - 6}
              y={PAD.top}
              width={12}
              height={innerHeight}
              fill="transparent"
            >
              <title>
                {`Run #${point.runNumber} (${point.headSha.slice(
                  0,
                  7,
                )}): ${STACKED.map(
                  s => `${point.counts.total[s] ?? 0} ${s}`,
                ).join(', ')}${
                  point.failedGateId
                    ? ` — stopped at ${point.failedGateId}`
                    : ''
                }`}
              </title>
            </rect>
            {index % labelEvery === 0 || index === points.length - 1 ? (
              <text
                x={x(index)}
                y={HEIGHT - 8}
                textAnchor="middle"
                fontSize={11}
                fill={theme.palette.text.secondary}
              >
                #{point.runNumber}
              </text>
            ) : null}
          </g>
        ))}
      </svg>
      <Typography variant="body2" align="center" gutterBottom>
        Latest run #{latest.runNumber}:{' '}
        {STACKED.map(
          severity =>
            `${latest.counts.total[severity] ?? 0} ${SEVERITY_LABELS[
              severity
            ].toLowerCase()}`,
        ).join(' · ')}
      </Typography>
      <Box display="flex" style={{ gap: 16 }} justifyContent="center">
        {STACKED.map(severity => (
          <Box
            key={severity}
            display="flex"
            alignItems="center"
            style={{ gap: 4 }}
          >
            <span
              style={{
                width: 12,
                height: 12,
                borderRadius: 2,
                backgroundColor: SEVERITY_COLORS[severity],
                display: 'inline-block',
              }}
            />
            <Typography variant="caption">
              {SEVERITY_LABELS[severity]}
            </Typography>
          </Box>
        ))}
      </Box>
    </Box>
  );
}
