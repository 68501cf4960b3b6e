import { InfoCard, Link } from '@backstage/core-components';
import List from '@material-ui/core/List';
import ListItem from '@material-ui/core/ListItem';
import ListItemText from '@material-ui/core/ListItemText';
import Typography from '@material-ui/core/Typography';
import { RecentDeployment } from '@internal/plugin-delivery-common';
import { entityPath } from '../DeliveryOverview';

const KIND_LABELS: Record<RecentDeployment['kind'], string> = {
  deployment: 'Deployed',
  redeploy: 'Redeployed',
  'pipeline-rollback': 'Rolled back by the pipeline',
  'portal-rollback': 'Rolled back in the portal',
};

/** The newest production deployments and rollbacks across the organisation. */
export function RecentDeploymentsCard(props: { recent: RecentDeployment[] }) {
  const { recent } = props;
  return (
    <InfoCard
      title="Recent deployments and rollbacks"
      subheader="Production, across the organisation"
    >
      {recent.length === 0 ? (
        <Typography color="textSecondary">
          No production deployments yet.
        </Typography>
      ) : (
        <List dense aria-label="Recent deployments and rollbacks">
          {recent.map(item => (
            <ListItem key={`${item.kind}-${item.id}`} divider>
              <ListItemText
                primary={
                  <>
                    {KIND_LABELS[item.kind]}{' '}
                    <Link to={entityPath(item.entityRefs[0])}>
                      {item.repository.split('/')[1]}
                    </Link>
                    {item.sha ? ` @ ${item.sha.slice(0, 7)}` : ''} —{' '}
                    {item.state}
                  </>
                }
                secondary={`${new Date(item.at).toLocaleString()}${
                  item.actor
                    ? ` · ${item.actor.replace(/^user:default\//, '')}`
                    : ''
                }${item.description ? ` · ${item.description}` : ''}`}
              />
            </ListItem>
          ))}
        </List>
      )}
    </InfoCard>
  );
}
