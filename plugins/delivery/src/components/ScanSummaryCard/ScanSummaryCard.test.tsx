import { screen, within } from '@testing-library/react';
import {
  dashboard,
  findingCounts,
  mockDeliveryApi,
  staleFreshness,
} from '../../__testUtils__/deliveryFixtures';
import { renderDeliveryComponent } from '../../__testUtils__/renderDeliveryComponent';
import { ScanSummaryCard } from './ScanSummaryCard';

describe('ScanSummaryCard', () => {
  it('shows progress until the dashboard arrives', async () => {
    const api = mockDeliveryApi();
    api.getDashboard.mockReturnValue(new Promise(() => {}));
    await renderDeliveryComponent(<ScanSummaryCard />, { api });
    expect(screen.getByTestId('progress')).toBeInTheDocument();
  });

  it('counts open findings per tool and severity, with totals', async () => {
    const api = mockDeliveryApi();
    api.getDashboard.mockResolvedValue(dashboard());
    await renderDeliveryComponent(<ScanSummaryCard />, { api });

    const table = await screen.findByRole('table', {
      name: 'Open findings by tool and severity',
    });
    const trivy = within(table).getByRole('row', { name: /^Trivy/ });
    expect(within(trivy).getByLabelText('Trivy: 3 critical')).toHaveTextContent(
      '3',
    );
    expect(within(trivy).getByLabelText('Trivy: 5 high')).toHaveTextContent(
      '5',
    );
    const all = within(table).getByRole('row', { name: /^All tools/ });
    expect(within(all).getByLabelText('All tools: 7 high')).toBeInTheDocument();
    expect(all).toHaveTextContent('17');
  });

  it("shows SonarCloud's failing quality gate and the condition that failed it", async () => {
    const api = mockDeliveryApi();
    api.getDashboard.mockResolvedValue(dashboard());
    await renderDeliveryComponent(<ScanSummaryCard />, { api });

    const gate = await screen.findByTestId('quality-gate');
    expect(gate).toHaveTextContent('Failed');
    expect(gate).toHaveTextContent('quality gate ERROR: new coverage 41%');
    expect(gate).toHaveTextContent('Coverage on New Code: 41.0 (needs ≥ 80)');
    expect(
      within(gate).getByRole('link', { name: /^Open in SonarCloud/ }),
    ).toHaveAttribute(
      'href',
      'https://sonarcloud.io/dashboard?id=acme-corp_titanic-service',
    );
  });

  it('says so when no scanner reports an open finding', async () => {
    const api = mockDeliveryApi();
    api.getDashboard.mockResolvedValue(
      dashboard({ findingCounts: findingCounts({}), sonarcloud: null }),
    );
    await renderDeliveryComponent(<ScanSummaryCard />, { api });
    expect(await screen.findByText('No open findings')).toBeInTheDocument();
    expect(screen.queryByTestId('quality-gate')).not.toBeInTheDocument();
  });

  it('shows an error panel when the backend fails', async () => {
    const api = mockDeliveryApi();
    api.getDashboard.mockRejectedValue(new Error('backend unavailable'));
    await renderDeliveryComponent(<ScanSummaryCard />, { api });
    expect(
      await screen.findByText(/Could not load scan results/),
    ).toBeInTheDocument();
  });

  it('warns that the counts are an old copy', async () => {
    const api = mockDeliveryApi();
    api.getDashboard.mockResolvedValue(
      dashboard({ freshness: staleFreshness(3 * 3600) }),
    );
    await renderDeliveryComponent(<ScanSummaryCard />, { api });
    expect(await screen.findByTestId('stale-data-warning')).toHaveTextContent(
      'cached 3 hours ago',
    );
  });
});
