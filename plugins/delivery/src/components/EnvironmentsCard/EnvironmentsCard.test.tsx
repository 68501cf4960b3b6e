import { act, screen, waitFor, within } from '@testing-library/react';
import {
  ApprovalVote,
  EnvironmentsResponse,
  PendingApproval,
} from '@internal/plugin-delivery-common';
import {
  backendError,
  entityWithoutSlug,
  mockDeliveryApi,
} from '../../__testUtils__/deliveryFixtures';
import {
  environment,
  environmentsResponse,
  waitingRun,
  rollbackResponse,
  rolloutStatus,
} from '../../__testUtils__/environmentFixtures';
import { runOnFakeClock } from '../../__testUtils__/fakeClock';
import { FakeSignals } from '../../__testUtils__/fakeSignals';
import { PROBE_ATTEMPTS, PROBE_INTERVAL_MS } from '../../hooks/useDeliveryLive';
import { renderDeliveryComponent } from '../../__testUtils__/renderDeliveryComponent';
import { EnvironmentsCard } from './EnvironmentsCard';

const entity = {
  kind: 'Component',
  namespace: 'default',
  name: 'titanic-service',
};

function lane(name: string) {
  return screen.getByRole('group', { name: `${name} environment` });
}

describe('EnvironmentsCard', () => {
  const user = runOnFakeClock();

  it('shows progress until the environments arrive', async () => {
    const api = mockDeliveryApi();
    api.getEnvironments.mockReturnValue(new Promise(() => {}));
    await renderDeliveryComponent(<EnvironmentsCard />, { api });
    expect(screen.getByTestId('progress')).toBeInTheDocument();
  });

  it('shows dev → staging → prod with version, health, replicas, age and the waiting run', async () => {
    const api = mockDeliveryApi();
    api.getEnvironments.mockResolvedValue(environmentsResponse());
    await renderDeliveryComponent(<EnvironmentsCard />, { api });

    await screen.findByRole('group', { name: 'dev environment' });
    const names = screen
      .getAllByRole('group')
      .map(group => group.getAttribute('aria-label'));
    expect(names).toEqual([
      'dev environment',
      'staging environment',
      'prod environment',
    ]);
    const staging = lane('staging');
    expect(within(staging).getByText('1.4.0')).toHaveAttribute(
      'title',
      'ghcr.io/acme-corp/titanic-service:1.4.0',
    );
    expect(within(staging).getByText('revision 6')).toBeInTheDocument();
    expect(within(staging).getByText('Healthy')).toBeInTheDocument();
    expect(within(staging).getByText('2/2 replicas ready')).toBeInTheDocument();
    expect(within(staging).getByText('rolled out 2 hours ago')).toBeVisible();
    expect(
      within(staging).queryByTestId('waiting-for-approval'),
    ).not.toBeInTheDocument();

    const prod = lane('prod');
    expect(within(prod).getByTestId('waiting-for-approval')).toHaveTextContent(
      'Waiting for approval: run #58',
    );
    expect(
      within(prod).getByRole('button', {
        name: 'Review the deployment to prod',
      }),
    ).toBeEnabled();
    expect(api.getEnvironments).toHaveBeenCalledWith(entity);
  });

  it('explains a lane whose cluster cannot be read', async () => {
    const api = mockDeliveryApi();
    api.getEnvironments.mockResolvedValue(
      environmentsResponse({
        environments: [
          environment('dev', ['1.5.0'], 1, {
            kubernetes: null,
            kubernetesError: {
              reason: 'kubernetes-unreachable',
              message: 'connect ECONNREFUSED 127.0.0.1:7081',
            },
          }),
        ],
      }),
    );
    await renderDeliveryComponent(<EnvironmentsCard />, { api });
    expect(
      await screen.findByText(
        'Cluster not readable: connect ECONNREFUSED 127.0.0.1:7081',
      ),
    ).toBeInTheDocument();
  });

  it('says an environment is not deployed yet, without alarm, when its Deployment does not exist', async () => {
    const api = mockDeliveryApi();
    api.getEnvironments.mockResolvedValue(
      environmentsResponse({
        environments: [
          environment('dev', ['1.5.0'], 1, {
            kubernetes: null,
            githubDeployments: [],
          }),
        ],
      }),
    );
    await renderDeliveryComponent(<EnvironmentsCard />, { api });
    const status = await screen.findByText(
      'Not deployed yet: no Deployment titanic-service in titanic-dev',
    );
    expect(status).not.toHaveClass('MuiTypography-colorError');
    expect(
      within(lane('dev')).queryByRole('button', { name: 'Roll back dev' }),
    ).not.toBeInTheDocument();
  });

  it('disables approve and rollback with the reason when the permission policy denies them', async () => {
    const api = mockDeliveryApi();
    api.getEnvironments.mockResolvedValue(environmentsResponse());
    await renderDeliveryComponent(<EnvironmentsCard />, {
      api,
      rerunAllowed: false,
    });
    await screen.findByRole('group', { name: 'prod environment' });
    const review = within(lane('prod')).getByRole('button', {
      name: 'Review the deployment to prod',
    });
    await waitFor(() => expect(review).toBeDisabled());
    expect(
      within(lane('staging')).getByRole('button', {
        name: 'Roll back staging',
      }),
    ).toBeDisabled();
    // The reason is on the button's wrapper (tooltip) and written under the lanes.
    expect(review.parentElement).toHaveAttribute(
      'title',
      expect.stringContaining('delivery.deployment.approve'),
    );
    const reasons = screen
      .getAllByTestId('denied-reason')
      .map(node => node.textContent);
    expect(reasons).toEqual([
      'You may not approve or reject deployments of titanic-service: the permission policy denies you delivery.deployment.approve on this entity. Ask its owner (titanic-team) or the platform team.',
      'You may not roll back titanic-service: the permission policy denies you delivery.deployment.rollback on this entity. Ask its owner (titanic-team) or the platform team.',
    ]);
  });

  it('disables approve and a lane’s rollback with the backend’s reason when the entity is not bound to the repository or namespace', async () => {
    const api = mockDeliveryApi();
    const base = environmentsResponse();
    const namespaceReason =
      'Namespace titanic-staging in cluster sandbox belongs to group:default/titanic-team, not to group:default/night-shift';
    api.getEnvironments.mockResolvedValue({
      ...base,
      approveBlockedReason:
        'component:default/titanic-service was read from url:https://github.com/night-shift/tools/blob/main/catalog-info.yaml, not from its repository',
      environments: base.environments.map(e =>
        e.name === 'staging'
          ? { ...e, rollbackBlockedReason: namespaceReason }
          : e,
      ),
    });
    await renderDeliveryComponent(<EnvironmentsCard />, { api });
    await screen.findByRole('group', { name: 'prod environment' });
    const review = within(lane('prod')).getByRole('button', {
      name: 'Review the deployment to prod',
    });
    await waitFor(() => expect(review).toBeDisabled());
    expect(review.parentElement).toHaveAttribute(
      'title',
      expect.stringContaining('not from its repository'),
    );
    const stagingRollback = within(lane('staging')).getByRole('button', {
      name: 'Roll back staging',
    });
    expect(stagingRollback).toBeDisabled();
    expect(stagingRollback.parentElement).toHaveAttribute(
      'title',
      namespaceReason,
    );
    expect(
      within(lane('dev')).getByRole('button', { name: 'Roll back dev' }),
    ).toBeEnabled();
  });

  it('lets the person who started the run reject it, never approve it (four eyes)', async () => {
    const api = mockDeliveryApi();
    api.getEnvironments.mockResolvedValue(environmentsResponse());
    await renderDeliveryComponent(<EnvironmentsCard />, {
      api,
      userEntityRef: 'user:default/alice',
    });
    await user().click(
      await screen.findByRole('button', {
        name: 'Review the deployment to prod',
      }),
    );
    const dialog = await screen.findByRole('dialog');
    expect(await within(dialog).findByTestId('four-eyes')).toHaveTextContent(
      'You started this deployment (as alice on GitHub) — someone else must approve it. You may still reject it.',
    );
    expect(
      within(dialog).getByRole('button', { name: 'Approve and deploy' }),
    ).toBeDisabled();
    expect(
      within(dialog).getByRole('button', { name: 'Reject' }),
    ).toBeEnabled();
  });

  /** The environments answer with production needing two distinct approvals. */
  const needingTwo = (approvedBy: ApprovalVote[]): EnvironmentsResponse => {
    const run: PendingApproval = {
      ...waitingRun,
      environments: [
        { ...waitingRun.environments[0], approvalsRequired: 2, approvedBy },
      ],
    };
    const response = environmentsResponse();
    return {
      ...response,
      pendingApprovals: [run],
      environments: response.environments.map(e =>
        e.pendingApproval ? { ...e, pendingApproval: run } : e,
      ),
    };
  };

  it('records an approval where production needs two people, and says the run waits for another', async () => {
    const api = mockDeliveryApi();
    api.getEnvironments.mockResolvedValue(needingTwo([]));
    api.reviewDeployment.mockResolvedValue({
      runId: 9058,
      decision: 'approve',
      environments: [],
      reviewer: { userEntityRef: 'user:default/guest', displayName: 'Guest' },
      comment: 'Approved in Titanic Portal by Guest',
      runStatus: 'waiting',
      awaitingApprovals: [
        {
          githubEnvironment: 'production',
          approvalsRequired: 2,
          approvedBy: [
            {
              userEntityRef: 'user:default/guest',
              displayName: 'Guest',
              at: '2026-12-04T09:00:00Z',
            },
          ],
        },
      ],
      auditId: 4,
    });
    await renderDeliveryComponent(<EnvironmentsCard />, { api });
    await user().click(
      await screen.findByRole('button', {
        name: 'Review the deployment to prod',
      }),
    );
    const dialog = await screen.findByRole('dialog');
    expect(within(dialog).getByTestId('approvals-required')).toHaveTextContent(
      'prod needs approvals from 2 different people before it deploys: none given yet.',
    );
    await user().click(
      within(dialog).getByRole('button', { name: 'Approve (1 of 2)' }),
    );
    expect(
      await within(dialog).findByTestId('review-result'),
    ).toHaveTextContent(
      'Your approval of run #58 is recorded: 1 of 2 for production. It deploys once 2 different people approved it.',
    );
  });

  it('offers no second approval to someone whose approval is recorded', async () => {
    const api = mockDeliveryApi();
    api.getEnvironments.mockResolvedValue(
      needingTwo([
        {
          userEntityRef: 'user:default/guest',
          displayName: 'Guest',
          at: '2026-12-04T09:00:00Z',
        },
      ]),
    );
    await renderDeliveryComponent(<EnvironmentsCard />, { api });
    await user().click(
      await screen.findByRole('button', {
        name: 'Review the deployment to prod',
      }),
    );
    const dialog = await screen.findByRole('dialog');
    expect(
      await within(dialog).findByText(
        /1 given \(Guest\)\. Your approval is recorded — someone else must approve it too\./,
      ),
    ).toBeInTheDocument();
    await waitFor(() =>
      expect(
        within(dialog).getByRole('button', { name: 'Approve and deploy' }),
      ).toBeDisabled(),
    );
    expect(
      within(dialog).getByRole('button', { name: 'Reject' }),
    ).toBeEnabled();
  });

  it('approves the waiting production run with a comment', async () => {
    const api = mockDeliveryApi();
    api.getEnvironments.mockResolvedValue(environmentsResponse());
    api.reviewDeployment.mockResolvedValue({
      runId: 9058,
      decision: 'approve',
      environments: ['production'],
      reviewer: { userEntityRef: 'user:default/guest', displayName: 'Guest' },
      comment: 'Approved in Backstage by Guest: smoke tests green',
      runStatus: 'queued',
      awaitingApprovals: [],
      auditId: 3,
    });
    await renderDeliveryComponent(<EnvironmentsCard />, { api });
    await user().click(
      await screen.findByRole('button', {
        name: 'Review the deployment to prod',
      }),
    );
    const dialog = await screen.findByRole('dialog');
    expect(dialog).toHaveTextContent(
      /Run #58.* of Titanic service pipeline \(main @ 5bab688\) waits for a review before deploying to production\./,
    );
    expect(dialog).toHaveTextContent('Required reviewers: titanic-portal-bot');
    await user().type(
      within(dialog).getByLabelText('Comment'),
      'smoke tests green',
    );
    await user().click(
      within(dialog).getByRole('button', { name: 'Approve and deploy' }),
    );
    expect(
      await within(dialog).findByTestId('review-result'),
    ).toHaveTextContent(
      'Approved run #58 for production as Guest. The run is queued: GitHub starts the deploy job.',
    );
    expect(api.reviewDeployment).toHaveBeenCalledWith(entity, 9058, {
      decision: 'approve',
      environments: ['production'],
      comment: 'smoke tests green',
    });
    // The lanes are fetched again to show the run moving on.
    await waitFor(() => expect(api.getEnvironments).toHaveBeenCalledTimes(2));
  });

  it('refreshes the lanes every 15 s, and every 2 s while a rollout moves', async () => {
    const api = mockDeliveryApi();
    const idle = environmentsResponse();
    const rollingOut = environmentsResponse({
      environments: idle.environments.map(e =>
        e.name === 'staging'
          ? { ...e, kubernetes: { ...e.kubernetes!, health: 'progressing' } }
          : e,
      ),
    });
    api.getEnvironments
      .mockResolvedValueOnce(idle)
      .mockResolvedValueOnce(rollingOut)
      .mockResolvedValue(idle);
    await renderDeliveryComponent(<EnvironmentsCard />, { api });
    await screen.findByRole('group', { name: 'staging environment' });

    act(() => jest.advanceTimersByTime(14_900));
    expect(api.getEnvironments).toHaveBeenCalledTimes(1);
    act(() => jest.advanceTimersByTime(100));
    await waitFor(() => expect(api.getEnvironments).toHaveBeenCalledTimes(2));
    await within(lane('staging')).findByText('Rolling out');

    act(() => jest.advanceTimersByTime(2_000));
    await waitFor(() => expect(api.getEnvironments).toHaveBeenCalledTimes(3));
  });

  describe('live updates', () => {
    const channel = 'delivery:component:default/titanic-service';
    const changed = (changes: string[]) => ({
      type: 'changed',
      changes,
      repository: 'acme-corp/titanic-service',
      at: new Date().toISOString(),
    });

    it('refreshes the lanes at once when the backend signals a change to the environments, and says it is live', async () => {
      const api = mockDeliveryApi();
      const signals = new FakeSignals();
      const approved = environmentsResponse({ pendingApprovals: [] });
      approved.environments[2] = environment(
        'prod',
        ['1.0.0', '1.1.0', '1.3.1', '1.4.0'],
        3,
      );
      api.getEnvironments
        .mockResolvedValueOnce(environmentsResponse())
        .mockResolvedValue(approved);
      api.probeLive.mockResolvedValue({ channel });
      await renderDeliveryComponent(<EnvironmentsCard />, { api, signals });
      await screen.findByRole('group', { name: 'prod environment' });
      expect(signals.subscribed(channel)).toBe(true);
      expect(screen.getByTestId('live-status')).toHaveTextContent(
        'Connecting to live updates…',
      );

      // The page asks for a probe and hears it: signals reach it.
      await waitFor(() => expect(api.probeLive).toHaveBeenCalled());
      const [probedEntity, nonce] = api.probeLive.mock.calls[0];
      expect(probedEntity).toEqual(entity);
      signals.push(channel, { type: 'probe', nonce: 'someone-elses' });
      expect(screen.getByTestId('live-status')).toHaveAttribute(
        'data-status',
        'connecting',
      );
      signals.push(channel, { type: 'probe', nonce });
      expect(screen.getByTestId('live-status')).toHaveTextContent(
        'Live: changes show as they happen.',
      );

      // A new alert is none of the lanes' business.
      signals.push(channel, changed(['findings']));
      expect(api.getEnvironments).toHaveBeenCalledTimes(1);

      // An approval made elsewhere: the lanes refresh without a reload.
      signals.push(channel, changed(['environments', 'audit']));
      await waitFor(() => expect(api.getEnvironments).toHaveBeenCalledTimes(2));
      expect(await within(lane('prod')).findByText('1.4.0')).toBeVisible();
      expect(
        within(lane('prod')).queryByRole('button', { name: /approve/i }),
      ).not.toBeInTheDocument();

      // While live, idle lanes are polled only as a safety net, once a minute.
      act(() => jest.advanceTimersByTime(15_000));
      expect(api.getEnvironments).toHaveBeenCalledTimes(2);
      act(() => jest.advanceTimersByTime(45_000));
      await waitFor(() => expect(api.getEnvironments).toHaveBeenCalledTimes(3));
      expect(api.probeLive).toHaveBeenCalledTimes(1);
    });

    it('falls back to polling every 15 s, and says so, when no probe comes back', async () => {
      const api = mockDeliveryApi();
      const signals = new FakeSignals();
      api.getEnvironments.mockResolvedValue(environmentsResponse());
      api.probeLive.mockRejectedValue(new Error('503 Service Unavailable'));
      await renderDeliveryComponent(<EnvironmentsCard />, { api, signals });
      await screen.findByRole('group', { name: 'prod environment' });

      act(() => jest.advanceTimersByTime(PROBE_INTERVAL_MS * PROBE_ATTEMPTS));
      await waitFor(() =>
        expect(api.probeLive).toHaveBeenCalledTimes(PROBE_ATTEMPTS),
      );
      expect(screen.getByTestId('live-status')).toHaveTextContent(
        'Live updates are not reaching this page: refreshing every 15 s.',
      );
      act(() => jest.advanceTimersByTime(15_000));
      await waitFor(() => expect(api.getEnvironments).toHaveBeenCalledTimes(2));
    });

    it('polls and says so when the signals plugin is not installed', async () => {
      const api = mockDeliveryApi();
      api.getEnvironments.mockResolvedValue(environmentsResponse());
      await renderDeliveryComponent(<EnvironmentsCard />, { api });
      await screen.findByRole('group', { name: 'prod environment' });
      expect(screen.getByTestId('live-status')).toHaveAttribute(
        'data-status',
        'polling',
      );
      expect(api.probeLive).not.toHaveBeenCalled();
    });
  });

  it('fetches the lanes again after an approval even while a poll is under way', async () => {
    const api = mockDeliveryApi();
    let answerPoll: (response: EnvironmentsResponse) => void = () => {};
    const approved = environmentsResponse({
      environments: environmentsResponse().environments.map(e => ({
        ...e,
        pendingApproval: null,
      })),
      pendingApprovals: [],
    });
    api.getEnvironments
      .mockResolvedValueOnce(environmentsResponse())
      .mockReturnValueOnce(new Promise(resolve => (answerPoll = resolve)))
      .mockResolvedValue(approved);
    api.reviewDeployment.mockResolvedValue({
      runId: 9058,
      decision: 'approve',
      environments: ['production'],
      reviewer: { userEntityRef: 'user:default/guest', displayName: 'Guest' },
      comment: 'Approved in Backstage by Guest',
      runStatus: 'queued',
      awaitingApprovals: [],
      auditId: 3,
    });
    await renderDeliveryComponent(<EnvironmentsCard />, { api });
    await screen.findByRole('group', { name: 'prod environment' });
    // The 15 s poll starts and has not answered while the user reviews and approves.
    act(() => jest.advanceTimersByTime(15_000));
    expect(api.getEnvironments).toHaveBeenCalledTimes(2);
    await user().click(
      screen.getByRole('button', { name: 'Review the deployment to prod' }),
    );
    const dialog = await screen.findByRole('dialog');
    await user().type(within(dialog).getByLabelText('Comment'), 'ok');
    await user().click(
      within(dialog).getByRole('button', { name: 'Approve and deploy' }),
    );
    await within(dialog).findByTestId('review-result');
    await waitFor(() => expect(api.getEnvironments).toHaveBeenCalledTimes(3));
    // The poll's answer, read before the approval, arrives last and must not win.
    await act(async () => answerPoll(environmentsResponse()));
    await user().click(within(dialog).getByRole('button', { name: 'Close' }));
    await waitFor(() =>
      expect(
        within(lane('prod')).queryByTestId('waiting-for-approval'),
      ).not.toBeInTheDocument(),
    );
  });

  it('explains a rejection that came too late (409: the run no longer waits)', async () => {
    const api = mockDeliveryApi();
    api.getEnvironments.mockResolvedValue(environmentsResponse());
    api.reviewDeployment.mockRejectedValue(
      await backendError(
        409,
        'ConflictError',
        'Run 9058 no longer waits for a review of production',
        { reason: 'not-waiting' },
      ),
    );
    await renderDeliveryComponent(<EnvironmentsCard />, { api });
    await user().click(
      await screen.findByRole('button', {
        name: 'Review the deployment to prod',
      }),
    );
    const dialog = await screen.findByRole('dialog');
    await user().click(within(dialog).getByRole('button', { name: 'Reject' }));
    const alert = await within(dialog).findByTestId('environment-error');
    expect(alert).toHaveTextContent('The run no longer waits for a review');
    expect(alert).toHaveTextContent(
      'Run 9058 no longer waits for a review of production',
    );
    expect(api.reviewDeployment).toHaveBeenCalledWith(entity, 9058, {
      decision: 'reject',
      environments: ['production'],
      comment: undefined,
    });
  });

  it('rolls staging back to the previous revision, shows from → to, follows the rollout and says when it is done', async () => {
    const api = mockDeliveryApi();
    api.getEnvironments.mockResolvedValue(environmentsResponse());
    api.rollback.mockResolvedValue(
      rollbackResponse({ requestedAt: '2026-11-26T09:00:00.300Z' }),
    );
    api.getRollout
      .mockResolvedValueOnce(
        rolloutStatus({
          revision: 7,
          phase: 'progressing',
          message: 'Waiting for rollout: 1 of 2 updated replicas are available',
          replicas: {
            desired: 2,
            updated: 2,
            ready: 1,
            available: 1,
            unavailable: 1,
          },
          completedAt: null,
        }),
      )
      .mockResolvedValue(
        rolloutStatus({
          revision: 7,
          image: 'ghcr.io/acme-corp/titanic-service:1.3.1',
          // Progressing's lastTransitionTime stays put across rollouts: weeks old.
          startedAt: '2026-10-20T09:00:00.000Z',
          completedAt: '2026-11-26T09:00:04.500Z',
        }),
      );
    await renderDeliveryComponent(<EnvironmentsCard />, { api });
    await user().click(
      await screen.findByRole('button', { name: 'Roll back staging' }),
    );
    const dialog = await screen.findByRole('dialog');
    // Default: the previous revision, as kubectl rollout undo.
    expect(
      within(dialog).getByRole('radio', { name: /Revision 5 — 1\.3\.1/ }),
    ).toBeChecked();
    expect(
      within(dialog).getByTestId('rollback-confirmation'),
    ).toHaveTextContent(
      'from revision 6: ghcr.io/acme-corp/titanic-service:1.4.0to revision 5: ghcr.io/acme-corp/titanic-service:1.3.1',
    );
    await user().type(
      within(dialog).getByLabelText('Reason'),
      'pool exhaustion',
    );
    await user().click(
      within(dialog).getByRole('button', { name: 'Roll back to revision 5' }),
    );
    expect(
      await within(dialog).findByTestId('rollback-progress'),
    ).toHaveTextContent('Rolling staging back to revision 5');
    const result = await within(dialog).findByTestId(
      'rollback-result',
      {},
      { timeout: 5000 },
    );
    expect(result).toHaveTextContent('Rolled back staging to revision 5');
    expect(result).toHaveTextContent(
      'ghcr.io/acme-corp/titanic-service:1.3.1 is live again (as revision 7); all 2 replicas are available. The rollout took 4.2 s.',
    );
    expect(api.rollback).toHaveBeenCalledWith(entity, 'staging', {
      toRevision: 5,
      expectedCurrentRevision: 6,
      reason: 'pool exhaustion',
    });
    expect(api.getRollout).toHaveBeenCalledWith(entity, 'staging');
    expect(api.getRollout).toHaveBeenCalledTimes(2);
  });

  it('rolls back to a chosen older revision', async () => {
    const api = mockDeliveryApi();
    api.getEnvironments.mockResolvedValue(environmentsResponse());
    api.rollback.mockResolvedValue(
      rollbackResponse({
        outcome: 'no-op',
        message: 'already at revision 3',
      }),
    );
    await renderDeliveryComponent(<EnvironmentsCard />, { api });
    await user().click(
      await screen.findByRole('button', { name: 'Roll back staging' }),
    );
    const dialog = await screen.findByRole('dialog');
    await user().click(
      within(dialog).getByRole('radio', { name: /Revision 3 — 1\.2\.0/ }),
    );
    expect(
      within(dialog).getByTestId('rollback-confirmation'),
    ).toHaveTextContent(
      'to revision 3: ghcr.io/acme-corp/titanic-service:1.2.0',
    );
    await user().click(
      within(dialog).getByRole('button', { name: 'Roll back to revision 3' }),
    );
    expect(
      await within(dialog).findByTestId('rollback-result'),
    ).toHaveTextContent('Nothing to do: already at revision 3');
    expect(api.rollback).toHaveBeenCalledWith(entity, 'staging', {
      toRevision: 3,
      expectedCurrentRevision: 6,
      reason: undefined,
    });
    expect(api.getRollout).not.toHaveBeenCalled();
  });

  it('explains a 403 from the cluster: Backstage allowed it, the portal’s service account may not patch', async () => {
    const api = mockDeliveryApi();
    api.getEnvironments.mockResolvedValue(environmentsResponse());
    api.rollback.mockRejectedValue(
      await backendError(
        403,
        'NotAllowedError',
        'deployments.apps "titanic-service" is forbidden: User "system:serviceaccount:portal:viewer" cannot patch resource "deployments" in API group "apps" in the namespace "titanic-staging"',
        { reason: 'kubernetes-forbidden' },
      ),
    );
    await renderDeliveryComponent(<EnvironmentsCard />, { api });
    await user().click(
      await screen.findByRole('button', { name: 'Roll back staging' }),
    );
    const dialog = await screen.findByRole('dialog');
    await user().click(
      within(dialog).getByRole('button', { name: 'Roll back to revision 5' }),
    );
    const alert = await within(dialog).findByTestId('environment-error');
    expect(alert).toHaveTextContent('The cluster refused the portal');
    expect(alert).toHaveTextContent(
      'Backstage allowed you, but the Kubernetes API server answered 403 Forbidden',
    );
    expect(alert).toHaveTextContent('cannot patch resource "deployments"');
    // Still on the confirmation: nothing was rolled back.
    expect(
      within(dialog).getByRole('button', { name: 'Roll back to revision 5' }),
    ).toBeEnabled();
  });

  it('explains a 409 when the Deployment moved on since the page loaded', async () => {
    const api = mockDeliveryApi();
    api.getEnvironments.mockResolvedValue(environmentsResponse());
    api.rollback.mockRejectedValue(
      await backendError(
        409,
        'ConflictError',
        'titanic-staging is at revision 7, not 6',
        { reason: 'revision-changed', currentRevision: 7 },
      ),
    );
    await renderDeliveryComponent(<EnvironmentsCard />, { api });
    await user().click(
      await screen.findByRole('button', { name: 'Roll back staging' }),
    );
    const dialog = await screen.findByRole('dialog');
    await user().click(
      within(dialog).getByRole('button', { name: 'Roll back to revision 5' }),
    );
    const alert = await within(dialog).findByTestId('environment-error');
    expect(alert).toHaveTextContent('The Deployment moved on since you looked');
    expect(alert).toHaveTextContent(
      'Revision 7 is live now. Nothing was rolled back',
    );
  });

  it('asks for the github.com/project-slug annotation on entities without one', async () => {
    const api = mockDeliveryApi();
    await renderDeliveryComponent(<EnvironmentsCard />, {
      api,
      entity: entityWithoutSlug,
    });
    expect(
      screen.getAllByText(/github.com\/project-slug/).length,
    ).toBeGreaterThan(0);
    expect(api.getEnvironments).not.toHaveBeenCalled();
  });
});
