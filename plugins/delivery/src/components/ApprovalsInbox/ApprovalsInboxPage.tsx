import {
  Content,
  ContentHeader,
  Header,
  Link,
  Page,
  Progress,
} from '@backstage/core-components';
import { parseEntityRef } from '@backstage/catalog-model';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Chip from '@material-ui/core/Chip';
import Paper from '@material-ui/core/Paper';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableContainer from '@material-ui/core/TableContainer';
import TableHead from '@material-ui/core/TableHead';
import TablePagination from '@material-ui/core/TablePagination';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import { InboxApproval } from '@internal/plugin-delivery-common';
import { ReactNode, useState } from 'react';
import { formatAge, secondsSince } from '../../format/durations';
import { DeliveryErrorPanel } from '../DeliveryErrorPanel';
import { entityPath } from '../DeliveryOverview';
import { ReviewDeploymentDialog } from '../ReviewDeploymentDialog';
import { useApprovals } from './useApprovals';

const PAGE_SIZES = [10, 25, 50, 100];

const useStyles = makeStyles(theme => ({
  gates: { display: 'flex', flexWrap: 'wrap', gap: theme.spacing(0.5) },
  commit: { fontStyle: 'italic' },
  actions: { display: 'flex', gap: theme.spacing(1) },
  review: { whiteSpace: 'nowrap' },
}));

const shortRef = (ref: string) => ref.replace(/^[a-z]+:default\//, '');

function Gates(props: { gates: InboxApproval['gatesPassed'] }) {
  const classes = useStyles();
  if (props.gates === null) {
    return (
      <Typography variant="body2" color="textSecondary">
        not known right now
      </Typography>
    );
  }
  if (props.gates.length === 0) {
    return (
      <Typography variant="body2" color="textSecondary">
        none
      </Typography>
    );
  }
  return (
    <div className={classes.gates}>
      {props.gates.map(gate => (
        <Chip key={gate.id} label={`✓ ${gate.title}`} size="small" />
      ))}
    </div>
  );
}

function ApprovalRow(props: {
  item: InboxApproval;
  onDecide: (item: InboxApproval) => void;
}) {
  const { item, onDecide } = props;
  const classes = useStyles();
  const environments = item.environments
    .map(e => e.environment ?? e.githubEnvironment)
    .join(', ');
  const timers = item.environments.filter(e => e.waitTimerMinutes > 0);
  return (
    <TableRow data-testid={`approval-${item.runId}`}>
      <TableCell>
        <Link to={`${entityPath(item.entityRef)}/deployments`}>
          {item.title}
        </Link>
        <Typography variant="body2" color="textSecondary">
          {shortRef(item.owner)}
        </Typography>
      </TableCell>
      <TableCell>
        <Typography variant="body2">{environments}</Typography>
        {timers.map(e => (
          <Typography key={e.githubEnvironment} variant="caption">
            wait timer {e.waitTimerMinutes} min
          </Typography>
        ))}
        {item.environments
          .filter(e => e.approvalsRequired > 1)
          .map(e => (
            <Typography
              key={`${e.githubEnvironment}-approvals`}
              variant="caption"
              display="block"
              title={e.approvedBy
                .map(v => v.displayName ?? v.userEntityRef)
                .join(', ')}
            >
              {e.approvedBy.length} of {e.approvalsRequired} approvals
            </Typography>
          ))}
      </TableCell>
      <TableCell>
        <Link to={item.htmlUrl}>
          {item.runName} #{item.runNumber}
        </Link>
        <Typography variant="body2" color="textSecondary">
          {item.branch} @ {item.headSha.slice(0, 7)}
        </Typography>
        {item.commitMessage && (
          <Typography variant="body2" className={classes.commit}>
            {item.commitMessage}
          </Typography>
        )}
      </TableCell>
      <TableCell>
        {item.requestedBy.login ?? 'unknown'}
        {item.requestedBy.userRefs.length > 0 && (
          <Typography variant="body2" color="textSecondary">
            {item.requestedBy.userRefs
              .map(ref => parseEntityRef(ref).name)
              .join(', ')}
          </Typography>
        )}
      </TableCell>
      <TableCell title={new Date(item.waitingSince).toLocaleString()}>
        {formatAge(secondsSince(item.waitingSince))}
      </TableCell>
      <TableCell>
        <Gates gates={item.gatesPassed} />
      </TableCell>
      <TableCell>
        <div className={classes.actions}>
          <Button
            size="small"
            color="primary"
            variant="contained"
            className={classes.review}
            onClick={() => onDecide(item)}
            aria-label={`Review ${item.title} run #${item.runNumber}`}
          >
            Review
          </Button>
        </div>
      </TableCell>
    </TableRow>
  );
}

function ApprovalsTable(props: {
  label: string;
  items: InboxApproval[];
  onDecide: (item: InboxApproval) => void;
  children?: ReactNode;
}) {
  return (
    <TableContainer component={Paper}>
      <Table size="small" aria-label={props.label}>
        <TableHead>
          <TableRow>
            <TableCell>Service</TableCell>
            <TableCell>Deploys to</TableCell>
            <TableCell>Run and commit</TableCell>
            <TableCell>Requested by</TableCell>
            <TableCell>Waiting for</TableCell>
            <TableCell>Gates passed</TableCell>
            <TableCell>Decide</TableCell>
          </TableRow>
        </TableHead>
        <TableBody>
          {props.items.map(item => (
            <ApprovalRow
              key={`${item.entityRef}-${item.runId}`}
              item={item}
              onDecide={props.onDecide}
            />
          ))}
        </TableBody>
      </Table>
      {props.children}
    </TableContainer>
  );
}

/**
 * The approvals inbox: every deployment waiting for a review the signed-in person may give,
 * across the catalog, longest waiting first, decided right here. The runs the person started are
 * shown apart: they may reject them, and someone else must approve them.
 */
export function ApprovalsInboxPage() {
  const [page, setPage] = useState({ offset: 0, limit: 25 });
  const { value, loading, error, retry } = useApprovals(page);
  const [deciding, setDeciding] = useState<InboxApproval>();

  return (
    <Page themeId="tool">
      <Header
        title="Approvals"
        subtitle="Deployments waiting for your review, longest waiting first"
      />
      <Content>
        <ContentHeader
          title={
            value
              ? `${value.totalCount} waiting for your review`
              : 'Waiting for your review'
          }
        />
        {error && !value && (
          <DeliveryErrorPanel
            error={error}
            title="Could not load your approvals"
          />
        )}
        {loading && !value && <Progress />}
        {value && (
          <>
            {value.totalCount === 0 ? (
              <Paper>
                <Box p={3}>
                  <Typography color="textSecondary">
                    Nothing waits for your review.
                  </Typography>
                </Box>
              </Paper>
            ) : (
              <ApprovalsTable
                label="Deployments waiting for your review"
                items={value.items}
                onDecide={setDeciding}
              >
                <TablePagination
                  component="div"
                  count={value.totalCount}
                  page={Math.floor(page.offset / page.limit)}
                  rowsPerPage={page.limit}
                  rowsPerPageOptions={PAGE_SIZES}
                  onPageChange={(_, next) =>
                    setPage(p => ({ ...p, offset: next * p.limit }))
                  }
                  onRowsPerPageChange={event =>
                    setPage({ offset: 0, limit: Number(event.target.value) })
                  }
                />
              </ApprovalsTable>
            )}
            {value.startedByYou.length > 0 && (
              <Box mt={4} data-testid="started-by-you">
                <Typography variant="h6">Started by you</Typography>
                <Typography variant="body2" color="textSecondary" paragraph>
                  You started these deployments, so someone else must approve
                  them. You may still reject one.
                </Typography>
                <ApprovalsTable
                  label="Waiting deployments you started"
                  items={value.startedByYou}
                  onDecide={setDeciding}
                />
              </Box>
            )}
            <Box mt={1}>
              <Typography variant="caption" color="textSecondary">
                As of {new Date(value.observedAt).toLocaleTimeString()}; asked
                again every few seconds while this page is open.
              </Typography>
            </Box>
          </>
        )}
        {deciding && (
          <ReviewDeploymentDialog
            open
            entity={parseEntityRef(deciding.entityRef)}
            reviewWith={value?.reviewWith}
            approval={deciding}
            pending={deciding.environments[0]}
            onClose={() => setDeciding(undefined)}
            onReviewed={retry}
          />
        )}
      </Content>
    </Page>
  );
}
