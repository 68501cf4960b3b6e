import { InfoCard, Link } from '@backstage/core-components';
import List from '@material-ui/core/List';
import ListItem from '@material-ui/core/ListItem';
import ListItemText from '@material-ui/core/ListItemText';
import Typography from '@material-ui/core/Typography';
import { ApprovalRequest } from '@internal/plugin-delivery-common';
import { entityPath } from '../DeliveryOverview';

/** Deployments waiting for a review the signed-in person may give. */
export function PendingApprovalsCard(props: { approvals: ApprovalRequest[] }) {
  const { approvals } = props;
  return (
    <InfoCard
      title={`Waiting for your review (${approvals.length})`}
      subheader="Deployments you may approve or reject"
    >
      {approvals.length === 0 ? (
        <Typography color="textSecondary">
          Nothing waits for your review.
        </Typography>
      ) : (
        <List dense aria-label="Deployments waiting for your review">
          {approvals.map(approval => (
            <ListItem key={`${approval.entityRef}-${approval.runId}`} divider>
              <ListItemText
                primary={
                  <>
                    <Link to={`${entityPath(approval.entityRef)}/deployments`}>
                      {approval.title}
                    </Link>
                    {` → ${(approval.environmentNames.length
                      ? approval.environmentNames
                      : approval.environments
                    ).join(', ')}`}
                  </>
                }
                secondary={`${approval.runName} #${approval.runNumber} · ${
                  approval.branch
                } @ ${approval.headSha.slice(0, 7)} · waiting since ${new Date(
                  approval.createdAt,
                ).toLocaleString()}`}
              />
            </ListItem>
          ))}
        </List>
      )}
    </InfoCard>
  );
}
