import { useTheme } from '@material-ui/core/styles';
import { Line, LineChart, ResponsiveContainer, Tooltip, YAxis } from 'recharts';

/**
 * A small line of one key over the window's buckets (recharts). Colors come from the theme, so
 * the line and its tooltip read in light and dark themes alike; empty buckets are gaps.
 */
export function Sparkline(props: {
  points: Array<{ label: string; value: number | null }>;
  format: (value: number) => string;
  name: string;
}) {
  const theme = useTheme();
  const { points, format, name } = props;
  return (
    <div
      style={{ width: '100%', height: 48 }}
      role="img"
      aria-label={`${name} per ${points.length > 7 ? 'week' : 'day'}: ${points
        .map(p => (p.value === null ? '—' : format(p.value)))
        .join(', ')}`}
    >
      <ResponsiveContainer width="100%" height="100%">
        <LineChart
          data={points}
          margin={{ top: 4, right: 4, bottom: 4, left: 4 }}
        >
          <YAxis hide domain={[0, 'auto']} />
          <Tooltip
            formatter={value => [format(Number(value)), name]}
            labelFormatter={(_, payload) =>
              String(payload?.[0]?.payload?.label ?? '')
            }
            contentStyle={{
              background: theme.palette.background.paper,
              border: `1px solid ${theme.palette.divider}`,
              color: theme.palette.text.primary,
            }}
          />
          <Line
            type="monotone"
            dataKey="value"
            stroke={theme.palette.primary.main}
            strokeWidth={2}
            dot={false}
            connectNulls={false}
            isAnimationActive={false}
          />
        </LineChart>
      </ResponsiveContainer>
    </div>
  );
}
