import {
  Content,
  Header,
  InfoCard,
  Link,
  Page,
  Progress,
} from '@backstage/core-components';
import Grid from '@material-ui/core/Grid';
import Typography from '@material-ui/core/Typography';
import { useHome } from '../../hooks/useInsights';
import { DeliveryErrorPanel } from '../DeliveryErrorPanel';
import { DoraKeysPanel } from '../DoraKeys';
import { PendingApprovalsCard } from './PendingApprovalsCard';
import { RecentDeploymentsCard } from './RecentDeploymentsCard';
import { TeamServicesCard } from './TeamServicesCard';

/**
 * The home page: what needs the signed-in person today. Everything comes from the portal's own
 * backend; no card needs the internet.
 */
export function DeliveryHomePage() {
  const { value, loading, error } = useHome();
  return (
    <Page themeId="home">
      <Header
        title="Home"
        subtitle="What needs you: reviews, your team's services, and how delivery is going"
      />
      <Content>
        {error && !value && (
          <DeliveryErrorPanel
            error={error}
            title="Could not load your home page"
          />
        )}
        {loading && !value && <Progress />}
        {value && (
          <Grid container spacing={3}>
            <Grid item xs={12} md={5}>
              <PendingApprovalsCard approvals={value.approvals} />
            </Grid>
            <Grid item xs={12} md={7}>
              <TeamServicesCard services={value.services} />
            </Grid>
            <Grid item xs={12}>
              <InfoCard
                title="Your team's four keys"
                subheader="The last 30 days against the 30 before"
                deepLink={{ title: 'Every service', link: '/delivery' }}
              >
                {value.teamKeys ? (
                  <DoraKeysPanel dora={value.teamKeys} />
                ) : (
                  <Typography color="textSecondary">
                    You belong to no team that owns services.{' '}
                    <Link to="/delivery">See every service</Link>.
                  </Typography>
                )}
              </InfoCard>
            </Grid>
            <Grid item xs={12}>
              <RecentDeploymentsCard recent={value.recent} />
            </Grid>
          </Grid>
        )}
      </Content>
    </Page>
  );
}
