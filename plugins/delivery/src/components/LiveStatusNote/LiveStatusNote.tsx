import Typography from '@material-ui/core/Typography';
import { LiveStatus } from '../../hooks/useDeliveryLive';

const TEXT: Record<LiveStatus, (pollSeconds: number) => string> = {
  live: () => 'Live: changes show as they happen.',
  connecting: () => 'Connecting to live updates…',
  polling: pollSeconds =>
    `Live updates are not reaching this page: refreshing every ${pollSeconds} s.`,
};

/** One line under a view saying whether it updates live or polls, and how often. */
export function LiveStatusNote(props: {
  status: LiveStatus;
  /** How often the view polls when live updates do not reach it. */
  pollSeconds: number;
}) {
  return (
    <Typography
      variant="caption"
      color="textSecondary"
      display="block"
      data-testid="live-status"
      data-status={props.status}
    >
      {TEXT[props.status](props.pollSeconds)}
    </Typography>
  );
}
