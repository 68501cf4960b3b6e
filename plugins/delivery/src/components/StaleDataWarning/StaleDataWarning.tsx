import Alert from '@material-ui/lab/Alert';
import { Freshness } from '@internal/plugin-delivery-common';
import { formatAge } from '../../format/durations';

const SOURCE_NAMES: Record<string, string> = {
  github: 'GitHub',
  sonarcloud: 'SonarCloud',
};

function formatTime(iso: string): string {
  return new Date(iso).toLocaleTimeString(undefined, {
    hour: '2-digit',
    minute: '2-digit',
  });
}

/**
 * Says that the data on screen is an old copy (the backend could not refresh it, e.g. GitHub
 * rate-limited it), how old it is and when fresh data is expected. Renders nothing for fresh data.
 */
export function StaleDataWarning(props: { freshness?: Freshness | null }) {
  const { freshness } = props;
  if (!freshness?.stale) return null;
  const staleSources = freshness.sources.filter(source => source.stale);
  const sources = staleSources.length > 0 ? staleSources : freshness.sources;
  const names =
    sources.map(s => SOURCE_NAMES[s.source] ?? s.source).join(' and ') ||
    'the source';
  const reasons = Array.from(
    new Set(sources.map(s => s.staleReason).filter(Boolean)),
  );
  const retryAt = sources
    .map(s => s.retryAt)
    .filter((at): at is string => Boolean(at))
    .sort()
    .pop();
  return (
    <Alert severity="warning" role="alert" data-testid="stale-data-warning">
      Showing data cached {formatAge(freshness.ageSeconds)} ago: {names} could
      not be refreshed
      {reasons.length > 0 ? ` (${reasons.join('; ')})` : ''}.
      {retryAt ? ` Fresh data expected after ${formatTime(retryAt)}.` : ''}
    </Alert>
  );
}
