import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { mockDeliveryApi } from '../../__testUtils__/deliveryFixtures';
import { overview, overviewRow } from '../../__testUtils__/insightsFixtures';
import { renderDeliveryComponent } from '../../__testUtils__/renderDeliveryComponent';
import { DeliveryOverviewPage } from './DeliveryOverviewPage';

/** The services in the order the table shows them. */
function serviceNames() {
  return screen
    .getAllByRole('link')
    .filter(link => link.getAttribute('href')?.startsWith('/catalog/'))
    .map(link => link.textContent);
}

describe('DeliveryOverviewPage', () => {
  it('lists every service with its owner, figures and level, and sorts by change failure rate', async () => {
    const api = mockDeliveryApi();
    api.getOverview.mockResolvedValue(
      overview([
        overviewRow('steady', { changeFailureRate: 0.05, level: 'elite' }),
        overviewRow('shaky', { changeFailureRate: 0.4, level: 'low' }),
        overviewRow('quiet', { changeFailureRate: null, level: null }),
        overviewRow('middling', { changeFailureRate: 0.12, level: 'medium' }),
      ]),
    );
    await renderDeliveryComponent(<DeliveryOverviewPage />, { api });
    expect(await screen.findByText('Services (4)')).toBeInTheDocument();
    expect(api.getOverview).toHaveBeenCalledWith({ days: 30 });
    expect(screen.getByText('40%')).toBeInTheDocument();
    expect(screen.getByText('Elite')).toBeInTheDocument();

    await userEvent.click(screen.getByText('Change failure rate'));
    expect(serviceNames()).toEqual(['steady', 'middling', 'shaky', 'quiet']);
    await userEvent.click(screen.getByText('Change failure rate'));
    expect(serviceNames()[0]).toBe('quiet');
  });

  it('asks again for another window', async () => {
    const api = mockDeliveryApi();
    api.getOverview.mockResolvedValue(overview([overviewRow('one')]));
    await renderDeliveryComponent(<DeliveryOverviewPage />, { api });
    await screen.findByText('Services (1)');
    await userEvent.click(screen.getByRole('button', { name: '90 days' }));
    expect(api.getOverview).toHaveBeenLastCalledWith({ days: 90 });
    expect(await screen.findByText('The last 90 days')).toBeInTheDocument();
  });
});
