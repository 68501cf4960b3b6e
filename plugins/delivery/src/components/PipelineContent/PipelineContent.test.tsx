import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import {
  backendError,
  mockDeliveryApi,
  passingRun,
  runHistory,
  staleFreshness,
} from '../../__testUtils__/deliveryFixtures';
import { renderDeliveryComponent } from '../../__testUtils__/renderDeliveryComponent';
import { PipelineContent } from './PipelineContent';

describe('PipelineContent', () => {
  it('shows progress until the runs arrive', async () => {
    const api = mockDeliveryApi();
    api.getRuns.mockReturnValue(new Promise(() => {}));
    await renderDeliveryComponent(<PipelineContent />, { api });
    expect(screen.getByTestId('progress')).toBeInTheDocument();
  });

  it('lists runs with their gates and where each one stopped', async () => {
    const api = mockDeliveryApi();
    api.getRuns.mockResolvedValue(runHistory());
    await renderDeliveryComponent(<PipelineContent />, { api });

    expect(
      await screen.findByText('Pipeline runs (2 of 57)'),
    ).toBeInTheDocument();
    expect(api.getRuns).toHaveBeenCalledWith(
      { kind: 'Component', namespace: 'default', name: 'titanic-service' },
      { limit: 20 },
    );
    const failingRow = screen.getByRole('row', { name: /#42/ });
    expect(
      within(failingRow).getByText('Tests & coverage: coverage 64% < 70%'),
    ).toBeInTheDocument();
    expect(
      within(failingRow).getByRole('img', {
        name: 'Tests & coverage: Failed — coverage 64% < 70%',
      }),
    ).toBeInTheDocument();
    // The newest run's full gate chain is open above the table.
    expect(screen.getByText('Gates of run #42')).toBeInTheDocument();
  });

  it("opens a run's full gate chain when its row is clicked", async () => {
    const api = mockDeliveryApi();
    api.getRuns.mockResolvedValue(runHistory());
    await renderDeliveryComponent(<PipelineContent />, { api });

    await userEvent.click(await screen.findByText('Tidy the seed script'));
    expect(await screen.findByText('Gates of run #41')).toBeInTheDocument();
  });

  it('hides the re-run button from people without delivery.pipeline.rerun', async () => {
    const api = mockDeliveryApi();
    api.getRuns.mockResolvedValue(runHistory());
    await renderDeliveryComponent(<PipelineContent />, {
      api,
      rerunAllowed: false,
    });
    await screen.findByText('Pipeline runs (2 of 57)');
    expect(
      screen.queryByRole('button', { name: /Re-run failed jobs/ }),
    ).not.toBeInTheDocument();
  });

  it('offers re-running only for failed runs to people allowed to', async () => {
    const api = mockDeliveryApi();
    api.getRuns.mockResolvedValue(runHistory());
    await renderDeliveryComponent(<PipelineContent />, { api });
    const failingRow = await screen.findByRole('row', { name: /#42/ });
    expect(
      await within(failingRow).findByRole('button', {
        name: 'Re-run failed jobs of run #42',
      }),
    ).toBeInTheDocument();
    const passingRow = screen.getByRole('row', { name: /#41/ });
    expect(within(passingRow).queryByRole('button')).not.toBeInTheDocument();
  });

  it('re-runs the failed jobs and says which jobs run again', async () => {
    const api = mockDeliveryApi();
    api.getRuns.mockResolvedValue(runHistory());
    api.rerunFailedJobs.mockResolvedValue({
      runId: 9001,
      runAttempt: 2,
      jobs: ['Tests & lint'],
      htmlUrl: 'https://github.com/acme-corp/titanic-service/actions/runs/9001',
    });
    await renderDeliveryComponent(<PipelineContent />, { api });
    const failingRow = await screen.findByRole('row', { name: /#42/ });
    await userEvent.click(
      await within(failingRow).findByRole('button', {
        name: 'Re-run failed jobs of run #42',
      }),
    );

    const outcome = await screen.findByTestId('rerun-outcome');
    expect(outcome).toHaveTextContent(
      'Re-running 1 failed job of run #42 as attempt 2: Tests & lint.',
    );
    expect(api.rerunFailedJobs).toHaveBeenCalledWith(
      { kind: 'Component', namespace: 'default', name: 'titanic-service' },
      9001,
    );
    // The list is fetched again to show the new attempt.
    await waitFor(() => expect(api.getRuns).toHaveBeenCalledTimes(2));
  });

  it('explains why a re-run was refused', async () => {
    const api = mockDeliveryApi();
    api.getRuns.mockResolvedValue(runHistory());
    api.rerunFailedJobs.mockRejectedValue(
      await backendError(
        409,
        'ConflictError',
        'Run 9001 is still in progress',
        {
          reason: 'not-rerunnable',
        },
      ),
    );
    await renderDeliveryComponent(<PipelineContent />, { api });
    const failingRow = await screen.findByRole('row', { name: /#42/ });
    await userEvent.click(
      await within(failingRow).findByRole('button', {
        name: 'Re-run failed jobs of run #42',
      }),
    );
    expect(await screen.findByTestId('rerun-outcome')).toHaveTextContent(
      'Could not re-run the failed jobs of run #42: Run 9001 is still in progress',
    );
  });

  it('says there are no runs yet', async () => {
    const api = mockDeliveryApi();
    api.getRuns.mockResolvedValue(runHistory({ runs: [], totalCount: 0 }));
    await renderDeliveryComponent(<PipelineContent />, { api });
    expect(await screen.findByText('No pipeline runs yet')).toBeInTheDocument();
  });

  it('shows the error when runs cannot be loaded', async () => {
    const api = mockDeliveryApi();
    api.getRuns.mockRejectedValue(new Error('GitHub is down'));
    await renderDeliveryComponent(<PipelineContent />, { api });
    expect(
      await screen.findByText(/Could not load pipeline runs/),
    ).toBeInTheDocument();
  });

  it('warns when the run list is a stale copy', async () => {
    const api = mockDeliveryApi();
    api.getRuns.mockResolvedValue(
      runHistory({
        runs: [passingRun()],
        totalCount: 1,
        freshness: staleFreshness(25 * 60),
      }),
    );
    await renderDeliveryComponent(<PipelineContent />, { api });
    expect(await screen.findByTestId('stale-data-warning')).toHaveTextContent(
      'cached 25 minutes ago',
    );
  });
});

describe('PipelineContent while a run is in progress', () => {
  it('polls the run list until the run completes', async () => {
    const api = mockDeliveryApi();
    api.getRuns.mockResolvedValueOnce(
      runHistory({
        runs: [passingRun({ status: 'in_progress', conclusion: null })],
      }),
    );
    api.getRuns.mockResolvedValue(runHistory({ runs: [passingRun()] }));
    await renderDeliveryComponent(<PipelineContent />, { api });
    await screen.findByText('Running');
    await waitFor(() => expect(api.getRuns).toHaveBeenCalledTimes(2), {
      timeout: 8000,
    });
    expect(await screen.findByText('Passed')).toBeInTheDocument();
  });
});
