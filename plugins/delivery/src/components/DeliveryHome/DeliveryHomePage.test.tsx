import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { mockDeliveryApi } from '../../__testUtils__/deliveryFixtures';
import { home } from '../../__testUtils__/insightsFixtures';
import { renderDeliveryComponent } from '../../__testUtils__/renderDeliveryComponent';
import { DeliveryHomePage } from './DeliveryHomePage';

describe('DeliveryHomePage', () => {
  it('shows the review waiting for the person, their team’s services, recent rollbacks and the team’s keys', async () => {
    const api = mockDeliveryApi();
    api.getHome.mockResolvedValue(home());
    await renderDeliveryComponent(<DeliveryHomePage />, { api });

    const approvals = await screen.findByRole('list', {
      name: 'Deployments waiting for your review',
    });
    expect(
      within(approvals).getByRole('link', { name: 'Titanic service' }),
    ).toHaveAttribute(
      'href',
      '/catalog/default/component/titanic-service/deployments',
    );
    expect(approvals).toHaveTextContent('→ prod');
    expect(screen.getByText('Waiting for your review (1)')).toBeInTheDocument();
    expect(screen.getByText('#20 Raise coverage')).toBeInTheDocument();
    expect(screen.getByText('prod: not deployed')).toBeInTheDocument();
    expect(
      screen.getByRole('list', { name: 'Recent deployments and rollbacks' }),
    ).toHaveTextContent('Rolled back in the portal');
    expect(screen.getByTestId('dora-leadTime')).toHaveTextContent('2.0 h');
    expect(screen.getByTestId('dora-changeFailureRate')).toHaveTextContent(
      '8.3%',
    );
    // Restore time fell from 2 h to 30 min: an improvement.
    expect(screen.getByText('▼ from 2.0 h')).toBeInTheDocument();
  });

  it('lists the deployments behind a figure', async () => {
    const api = mockDeliveryApi();
    api.getHome.mockResolvedValue(home());
    await renderDeliveryComponent(<DeliveryHomePage />, { api });
    await userEvent.click(
      (
        await screen.findAllByText('The 1 deployment behind it')
      )[0],
    );
    const dialog = await screen.findByRole('dialog');
    expect(within(dialog).getByRole('link', { name: /^#102/ })).toHaveAttribute(
      'href',
      'https://github.com/acme-corp/titanic-service/actions/runs/102',
    );
    expect(dialog).toHaveTextContent(
      'rolled back by the pipeline, restored after 30 min',
    );
  });

  it('says so when nothing waits and the person owns nothing', async () => {
    const api = mockDeliveryApi();
    api.getHome.mockResolvedValue(
      home({ approvals: [], services: [], teamKeys: null, recent: [] }),
    );
    await renderDeliveryComponent(<DeliveryHomePage />, { api });
    expect(
      await screen.findByText('Nothing waits for your review.'),
    ).toBeInTheDocument();
    expect(
      screen.getByText(/You belong to no team that owns services/),
    ).toBeInTheDocument();
  });
});
