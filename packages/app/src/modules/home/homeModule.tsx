import { createFrontendModule } from '@backstage/frontend-plugin-api';
import { HomePageLayoutBlueprint } from '@backstage/plugin-home-react/alpha';

/*
 * The home page is the delivery plugin's "what needs you" page: reviews waiting for the signed-in
 * person, their team's services, recent deployments and rollbacks, and their team's four keys.
 * It replaces the home plugin's layout, so none of the boilerplate widgets (jokes fetched from
 * the internet, world clocks, links to backstage.io) is shown.
 */
const deliveryHomeLayout = HomePageLayoutBlueprint.make({
  params: {
    loader: async () => {
      const { DeliveryHomePage } = await import('@internal/plugin-delivery');
      return () => <DeliveryHomePage />;
    },
  },
});

export const homeModule = createFrontendModule({
  pluginId: 'home',
  extensions: [deliveryHomeLayout],
});
