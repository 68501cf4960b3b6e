import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import {
  finding,
  findingsPage,
  mockDeliveryApi,
  staleFreshness,
  trend,
} from '../../__testUtils__/deliveryFixtures';
import { renderDeliveryComponent } from '../../__testUtils__/renderDeliveryComponent';
import { SecurityContent } from './SecurityContent';

const entity = {
  kind: 'Component',
  namespace: 'default',
  name: 'titanic-service',
};

function apiWithFindings() {
  const api = mockDeliveryApi();
  api.getFindings.mockResolvedValue(findingsPage());
  api.getTrend.mockResolvedValue(trend());
  return api;
}

describe('SecurityContent', () => {
  it('asks the backend for the first page of open findings', async () => {
    const api = apiWithFindings();
    await renderDeliveryComponent(<SecurityContent />, { api });
    expect(await screen.findByText('Findings (250)')).toBeInTheDocument();
    expect(api.getFindings).toHaveBeenCalledWith(
      entity,
      { state: ['open'] },
      { offset: 0, limit: 20 },
    );
  });

  it('shows each finding with a severity chip, tool, rule and location', async () => {
    const api = apiWithFindings();
    await renderDeliveryComponent(<SecurityContent />, { api });
    const row = await screen.findByRole('row', { name: /CVE-2024-1001/ });
    expect(within(row).getByText('CRITICAL')).toBeInTheDocument();
    expect(within(row).getByText('Trivy')).toBeInTheDocument();
    expect(
      within(row).getByRole('link', { name: /^library\/openssl:1/ }),
    ).toHaveAttribute(
      'href',
      'https://github.com/acme-corp/titanic-service/security/code-scanning/1',
    );
    const secret = screen.getByRole('row', { name: /generic-api-key/ });
    expect(within(secret).getByText('HIGH')).toBeInTheDocument();
  });

  it('filters by severity, tool and state and starts again at the first page', async () => {
    const api = apiWithFindings();
    await renderDeliveryComponent(<SecurityContent />, { api });
    await screen.findByText('Findings (250)');

    await userEvent.click(screen.getByRole('button', { name: 'Critical (3)' }));
    await waitFor(() =>
      expect(api.getFindings).toHaveBeenLastCalledWith(
        entity,
        { state: ['open'], severity: ['critical'] },
        { offset: 0, limit: 20 },
      ),
    );
    expect(
      screen.getByRole('button', { name: 'Critical (3)' }),
    ).toHaveAttribute('aria-pressed', 'true');

    await userEvent.click(screen.getByRole('button', { name: 'Trivy (8)' }));
    await waitFor(() =>
      expect(api.getFindings).toHaveBeenLastCalledWith(
        entity,
        { state: ['open'], severity: ['critical'], tool: ['Trivy'] },
        { offset: 0, limit: 20 },
      ),
    );

    await userEvent.click(screen.getByRole('button', { name: 'Dismissed' }));
    await waitFor(() =>
      expect(api.getFindings).toHaveBeenLastCalledWith(
        entity,
        {
          state: ['open', 'dismissed'],
          severity: ['critical'],
          tool: ['Trivy'],
        },
        { offset: 0, limit: 20 },
      ),
    );
  });

  it('pages through findings on the server, beyond the first 100', async () => {
    const api = apiWithFindings();
    await renderDeliveryComponent(<SecurityContent />, { api });
    await screen.findByText('Findings (250)');
    expect(screen.getAllByText('1-20 of 250').length).toBeGreaterThan(0);

    api.getFindings.mockResolvedValue(
      findingsPage({ findings: [finding(21)] }),
    );
    await userEvent.click(screen.getByRole('button', { name: 'Next Page' }));
    await waitFor(() =>
      expect(api.getFindings).toHaveBeenLastCalledWith(
        entity,
        { state: ['open'] },
        { offset: 20, limit: 20 },
      ),
    );
    expect((await screen.findAllByText('21-40 of 250')).length).toBeGreaterThan(
      0,
    );
    expect(
      await screen.findByRole('row', { name: /CVE-2024-1021/ }),
    ).toBeInTheDocument();
  });

  it('draws the trend of open findings across the last runs', async () => {
    const api = apiWithFindings();
    await renderDeliveryComponent(<SecurityContent />, { api });
    const chart = await screen.findByTestId('findings-trend-chart');
    expect(chart).toHaveAttribute(
      'aria-label',
      'Open findings over the last 3 runs; latest run #42: 3 critical, 4 high, 0 medium, 0 low',
    );
    expect(within(chart).getByText('#40')).toBeInTheDocument();
    expect(api.getTrend).toHaveBeenCalledWith(entity, { runs: 10 });
  });

  it('says when no finding matches the filters', async () => {
    const api = apiWithFindings();
    api.getFindings.mockResolvedValue(
      findingsPage({ findings: [], totalCount: 0 }),
    );
    await renderDeliveryComponent(<SecurityContent />, { api });
    expect(
      await screen.findByText('No findings match these filters.'),
    ).toBeInTheDocument();
  });

  it('shows an error panel when findings cannot be loaded', async () => {
    const api = apiWithFindings();
    api.getFindings.mockRejectedValue(new Error('code scanning unavailable'));
    await renderDeliveryComponent(<SecurityContent />, { api });
    expect(
      await screen.findByText(/Could not load findings/),
    ).toBeInTheDocument();
  });

  it('warns when the findings are a stale copy', async () => {
    const api = apiWithFindings();
    api.getFindings.mockResolvedValue(
      findingsPage({ freshness: staleFreshness(2 * 86400) }),
    );
    await renderDeliveryComponent(<SecurityContent />, { api });
    expect(await screen.findByTestId('stale-data-warning')).toHaveTextContent(
      'cached 2 days ago',
    );
  });
});
