import { screen, waitFor, within } from '@testing-library/react';
import {
  backendError,
  dashboard,
  gate,
  entityWithoutSlug,
  mockDeliveryApi,
  passingRun,
  staleFreshness,
} from '../../__testUtils__/deliveryFixtures';
import { renderDeliveryComponent } from '../../__testUtils__/renderDeliveryComponent';
import { DeliveryPipelineCard } from './DeliveryPipelineCard';

describe('DeliveryPipelineCard', () => {
  it('shows progress until the dashboard arrives', async () => {
    const api = mockDeliveryApi();
    api.getDashboard.mockReturnValue(new Promise(() => {}));
    await renderDeliveryComponent(<DeliveryPipelineCard />, { api });
    expect(screen.getByTestId('progress')).toBeInTheDocument();
  });

  it('shows every gate of the latest run with its status, duration and logs', async () => {
    const api = mockDeliveryApi();
    api.getDashboard.mockResolvedValue(dashboard({ latestRun: passingRun() }));
    await renderDeliveryComponent(<DeliveryPipelineCard />, { api });

    const chain = await screen.findByRole('list', { name: 'Pipeline gates' });
    const gates = within(chain).getAllByRole('listitem');
    expect(gates.map(g => g.getAttribute('aria-label'))).toEqual([
      'Gitleaks: Passed',
      'Checkov: Passed',
      'SonarCloud: Passed',
      'Tests & coverage: Passed',
      'Build: Passed',
      'Trivy: Passed',
      'Deploy: Passed',
    ]);
    expect(within(gates[0]).getByText(/47s/)).toBeInTheDocument();
    expect(
      within(gates[0]).getByRole('link', { name: /^Gitleaks logs/ }),
    ).toHaveAttribute(
      'href',
      'https://github.com/acme-corp/titanic-service/actions/runs/1/job/gitleaks',
    );
    expect(screen.getByRole('link', { name: /^Run #41/ })).toBeInTheDocument();
    expect(screen.queryByTestId('failed-gate-summary')).not.toBeInTheDocument();
  });

  it('highlights the failing gate with the reason it failed', async () => {
    const api = mockDeliveryApi();
    api.getDashboard.mockResolvedValue(dashboard());
    await renderDeliveryComponent(<DeliveryPipelineCard />, { api });

    const failing = await screen.findByTestId('gate-tests');
    expect(failing).toHaveAttribute('aria-label', 'Tests & coverage: Failed');
    expect(within(failing).getByText('coverage 64% < 70%')).toBeInTheDocument();
    const summary = screen.getByTestId('failed-gate-summary');
    expect(summary).toHaveTextContent(
      'Stopped at Tests & coverage: coverage 64% < 70%',
    );
    expect(
      within(summary).getByRole('link', { name: /^view logs/ }),
    ).toHaveAttribute(
      'href',
      'https://github.com/acme-corp/titanic-service/actions/runs/1/job/tests',
    );
    expect(screen.getByTestId('gate-build')).toHaveAttribute(
      'aria-label',
      'Build: Skipped',
    );
  });

  it('lists the jobs of a gate spanning several environments, one waiting for approval', async () => {
    const deployJob = (environment: string, status: 'success' | 'waiting') => ({
      ...gate('deploy', status).jobs[0],
      jobId: environment === 'staging' ? 1 : 2,
      name: `Deploy ${environment}`,
      environment,
      status,
      durationSeconds: status === 'success' ? 79 : null,
    });
    const api = mockDeliveryApi();
    api.getDashboard.mockResolvedValue(
      dashboard({
        latestRun: passingRun({
          status: 'waiting',
          conclusion: null,
          gates: [
            gate('deploy', 'waiting', {
              jobs: [
                deployJob('staging', 'success'),
                deployJob('production', 'waiting'),
              ],
            }),
          ],
        }),
      }),
    );
    await renderDeliveryComponent(<DeliveryPipelineCard />, { api });
    const jobs = await screen.findByRole('list', { name: 'Deploy jobs' });
    expect(jobs).toHaveTextContent(/staging.* 1m 19s/);
    expect(jobs).toHaveTextContent(/production.* waiting for approval/);
    expect(screen.getByTestId('gate-deploy')).toHaveAttribute(
      'aria-label',
      'Deploy: Waiting for approval',
    );
  });

  it('says there is no run yet when the default branch has none', async () => {
    const api = mockDeliveryApi();
    api.getDashboard.mockResolvedValue(dashboard({ latestRun: null }));
    await renderDeliveryComponent(<DeliveryPipelineCard />, { api });
    expect(await screen.findByText('No pipeline runs yet')).toBeInTheDocument();
  });

  it('shows the backend error when the dashboard cannot be loaded', async () => {
    const api = mockDeliveryApi();
    api.getDashboard.mockRejectedValue(
      await backendError(404, 'NotFoundError', 'Unknown repository', {
        reason: 'unknown-repository',
      }),
    );
    await renderDeliveryComponent(<DeliveryPipelineCard />, { api });
    expect(
      await screen.findByText(/Could not load the pipeline/),
    ).toBeInTheDocument();
    expect(screen.getAllByText(/Unknown repository/).length).toBeGreaterThan(0);
  });

  it('warns with the age of the data when GitHub rate-limited the backend', async () => {
    const api = mockDeliveryApi();
    api.getDashboard.mockResolvedValue(
      dashboard({ freshness: staleFreshness(12 * 60) }),
    );
    await renderDeliveryComponent(<DeliveryPipelineCard />, { api });
    const warning = await screen.findByTestId('stale-data-warning');
    expect(warning).toHaveTextContent('Showing data cached 12 minutes ago');
    expect(warning).toHaveTextContent('GitHub API rate limit exceeded');
    // The cached data is still shown under the warning.
    expect(screen.getByText('coverage 64% < 70%')).toBeInTheDocument();
  });

  it('explains a rate limit with nothing cached and says when to come back', async () => {
    const api = mockDeliveryApi();
    api.getDashboard.mockRejectedValue(
      await backendError(503, 'ServiceUnavailableError', 'rate limited', {
        reason: 'rate-limited',
        retryAfterSeconds: 600,
      }),
    );
    await renderDeliveryComponent(<DeliveryPipelineCard />, { api });
    expect(
      await screen.findByText('GitHub is rate-limiting the portal'),
    ).toBeInTheDocument();
    expect(screen.getByText(/Try again in 10 minutes/)).toBeInTheDocument();
  });

  it('asks for the annotation instead of calling the backend for an entity without one', async () => {
    const api = mockDeliveryApi();
    await renderDeliveryComponent(<DeliveryPipelineCard />, {
      api,
      entity: entityWithoutSlug,
    });
    expect(
      (await screen.findAllByText(/github.com\/project-slug/)).length,
    ).toBeGreaterThan(0);
    await waitFor(() => expect(api.getDashboard).not.toHaveBeenCalled());
  });
});
