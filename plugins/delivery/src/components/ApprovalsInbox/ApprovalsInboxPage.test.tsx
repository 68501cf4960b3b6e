import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import {
  ApprovalsInboxResponse,
  InboxApproval,
} from '@internal/plugin-delivery-common';
import { mockDeliveryApi } from '../../__testUtils__/deliveryFixtures';
import { renderDeliveryComponent } from '../../__testUtils__/renderDeliveryComponent';
import { ApprovalsInboxPage } from './ApprovalsInboxPage';

function approval(overrides: Partial<InboxApproval> = {}): InboxApproval {
  return {
    entityRef: 'component:default/orders-api',
    title: 'Orders API',
    owner: 'group:default/orders-team',
    repository: 'acme-corp/orders-api',
    runId: 4711,
    runNumber: 42,
    runName: 'Orders pipeline',
    headSha: 'abcdef0123456789',
    branch: 'main',
    commitMessage: 'Refund partial orders',
    htmlUrl: 'https://github.com/acme-corp/orders-api/actions/runs/4711',
    createdAt: '2026-12-04T08:00:00Z',
    waitingSince: '2026-12-04T08:20:00Z',
    requestedBy: { login: 'alice', userRefs: ['user:default/alice'] },
    environments: [
      {
        gate: 'required-reviewers',
        githubEnvironment: 'production',
        environment: 'prod',
        githubEnvironmentId: 7,
        waitTimerMinutes: 10,
        waitTimerStartedAt: '2026-12-04T08:20:00Z',
        reviewers: [{ type: 'Team', name: 'orders-maintainers' }],
        portalCanReview: true,
        approvalsRequired: 1,
        approvedBy: [],
      },
    ],
    gatesPassed: [
      { id: 'gitleaks', title: 'Gitleaks' },
      { id: 'trivy', title: 'Trivy' },
    ],
    ...overrides,
  };
}

function inbox(
  overrides: Partial<ApprovalsInboxResponse> = {},
): ApprovalsInboxResponse {
  return {
    items: [approval()],
    totalCount: 1,
    offset: 0,
    limit: 25,
    startedByYou: [],
    reviewWith: 'portal',
    observedAt: '2026-12-04T09:00:00Z',
    ...overrides,
  };
}

describe('ApprovalsInboxPage', () => {
  it('shows what a reviewer needs: service, environment, run and commit, requester, wait and gates', async () => {
    const api = mockDeliveryApi();
    api.getApprovals.mockResolvedValue(inbox());
    await renderDeliveryComponent(<ApprovalsInboxPage />, { api });

    const row = await screen.findByTestId('approval-4711');
    expect(
      within(row).getByRole('link', { name: 'Orders API' }),
    ).toHaveAttribute(
      'href',
      '/catalog/default/component/orders-api/deployments',
    );
    expect(row).toHaveTextContent('orders-team');
    expect(row).toHaveTextContent('prod');
    expect(row).toHaveTextContent('wait timer 10 min');
    expect(
      within(row).getByRole('link', { name: /^Orders pipeline #42/ }),
    ).toHaveAttribute(
      'href',
      'https://github.com/acme-corp/orders-api/actions/runs/4711',
    );
    expect(row).toHaveTextContent('main @ abcdef0');
    expect(row).toHaveTextContent('Refund partial orders');
    expect(row).toHaveTextContent('alice');
    expect(row).toHaveTextContent('✓ Gitleaks');
    expect(row).toHaveTextContent('✓ Trivy');
    expect(screen.getByText('1 waiting for your review')).toBeInTheDocument();
    expect(api.getApprovals).toHaveBeenCalledWith({ offset: 0, limit: 25 });
  });

  it('approves right there, for the entity the run belongs to, then asks again', async () => {
    const api = mockDeliveryApi();
    api.getApprovals
      .mockResolvedValueOnce(inbox())
      .mockResolvedValue(inbox({ items: [], totalCount: 0 }));
    api.reviewDeployment.mockResolvedValue({
      runId: 4711,
      decision: 'approve',
      environments: ['production'],
      reviewer: { userEntityRef: 'user:default/guest', displayName: 'Guest' },
      comment: 'Approved in Titanic Portal by Guest: ship it',
      runStatus: 'in_progress',
      awaitingApprovals: [],
      auditId: 9,
    });
    await renderDeliveryComponent(<ApprovalsInboxPage />, { api });

    await userEvent.click(
      await screen.findByRole('button', { name: 'Review Orders API run #42' }),
    );
    const dialog = await screen.findByRole('dialog');
    await userEvent.type(within(dialog).getByLabelText('Comment'), 'ship it');
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Approve and deploy' }),
    );
    await waitFor(() =>
      expect(api.reviewDeployment).toHaveBeenCalledWith(
        { kind: 'component', namespace: 'default', name: 'orders-api' },
        4711,
        {
          decision: 'approve',
          environments: ['production'],
          comment: 'ship it',
        },
      ),
    );
    expect(
      await within(dialog).findByTestId('review-result'),
    ).toHaveTextContent('Approved run #42 for production as Guest');
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Close' }),
    );
    expect(
      await screen.findByText('Nothing waits for your review.'),
    ).toBeInTheDocument();
  });

  it('shows apart the runs the person started: only rejecting is offered, with the four-eyes reason', async () => {
    const api = mockDeliveryApi();
    const mine = approval({
      runId: 4800,
      runNumber: 48,
      requestedBy: { login: 'guest-acme', userRefs: ['user:default/guest'] },
    });
    api.getApprovals.mockResolvedValue(
      inbox({ items: [], totalCount: 0, startedByYou: [mine] }),
    );
    await renderDeliveryComponent(<ApprovalsInboxPage />, { api });
    const section = await screen.findByTestId('started-by-you');
    expect(section).toHaveTextContent('someone else must approve them');
    expect(
      screen.getByText('Nothing waits for your review.'),
    ).toBeInTheDocument();
    await userEvent.click(
      within(section).getByRole('button', {
        name: 'Review Orders API run #48',
      }),
    );
    const dialog = await screen.findByRole('dialog');
    expect(within(dialog).getByTestId('four-eyes')).toHaveTextContent(
      'You started this deployment (as guest-acme on GitHub) — someone else must approve it.',
    );
    expect(
      within(dialog).getByRole('button', { name: 'Approve and deploy' }),
    ).toBeDisabled();
    expect(
      within(dialog).getByRole('button', { name: 'Reject' }),
    ).toBeEnabled();
  });

  it('reviews with the person’s own GitHub identity where the portal is set so', async () => {
    const api = mockDeliveryApi();
    api.getApprovals.mockResolvedValue(inbox({ reviewWith: 'reviewer' }));
    api.reviewDeployment.mockResolvedValue({
      runId: 4711,
      decision: 'reject',
      environments: ['production'],
      reviewer: { userEntityRef: 'user:default/guest', displayName: 'Guest' },
      comment: 'Rejected in Titanic Portal by Guest: later',
      runStatus: 'completed',
      awaitingApprovals: [],
      auditId: 10,
    });
    const getAccessToken = jest.fn(async () => 'gho_guests_own');
    await renderDeliveryComponent(<ApprovalsInboxPage />, {
      api,
      githubAuth: { getAccessToken },
    });
    await userEvent.click(
      await screen.findByRole('button', { name: 'Review Orders API run #42' }),
    );
    const dialog = await screen.findByRole('dialog');
    expect(dialog).toHaveTextContent(
      'You review with your own GitHub identity: GitHub applies its required reviewers and prevent-self-review.',
    );
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Reject' }),
    );
    await waitFor(() =>
      expect(api.reviewDeployment).toHaveBeenCalledWith(
        { kind: 'component', namespace: 'default', name: 'orders-api' },
        4711,
        {
          decision: 'reject',
          environments: ['production'],
          comment: undefined,
        },
        { githubToken: 'gho_guests_own' },
      ),
    );
    expect(getAccessToken).toHaveBeenLastCalledWith(['repo']);
  });

  it('says before anyone clicks what GitHub answers for the person’s own identity', async () => {
    const api = mockDeliveryApi();
    api.getApprovals.mockResolvedValue(inbox({ reviewWith: 'reviewer' }));
    api.getReviewEligibility.mockResolvedValue({
      runId: 4711,
      reviewWith: 'reviewer',
      githubLogin: 'guest-acme',
      environments: [
        {
          githubEnvironment: 'production',
          environment: 'prod',
          canApprove: false,
          canReject: false,
          reason:
            'GitHub does not list you (guest-acme) as a reviewer of production',
        },
      ],
    });
    const getAccessToken = jest.fn(async () => 'gho_guests_own');
    await renderDeliveryComponent(<ApprovalsInboxPage />, {
      api,
      githubAuth: { getAccessToken },
    });
    await userEvent.click(
      await screen.findByRole('button', { name: 'Review Orders API run #42' }),
    );
    const dialog = await screen.findByRole('dialog');
    expect(await within(dialog).findByTestId('eligibility')).toHaveTextContent(
      'GitHub does not list you (guest-acme) as a reviewer of production. You may not reject it either.',
    );
    expect(
      within(dialog).getByRole('button', { name: 'Approve and deploy' }),
    ).toBeDisabled();
    expect(
      within(dialog).getByRole('button', { name: 'Reject' }),
    ).toBeDisabled();
    // Only a GitHub session the person already has: no sign-in pop-up on opening the dialog.
    expect(getAccessToken).toHaveBeenCalledWith(['repo'], { optional: true });
    expect(api.getReviewEligibility).toHaveBeenCalledWith(
      { kind: 'component', namespace: 'default', name: 'orders-api' },
      4711,
      { githubToken: 'gho_guests_own' },
    );
  });

  it('answers a run the portal’s own protection rule holds as the portal’s GitHub App, without the person’s token', async () => {
    const api = mockDeliveryApi();
    const held = approval();
    held.environments = [
      {
        ...held.environments[0],
        gate: 'protection-rule',
        githubEnvironmentId: 0,
        waitTimerMinutes: 0,
        reviewers: [],
      },
    ];
    api.getApprovals.mockResolvedValue(
      inbox({ items: [held], reviewWith: 'reviewer' }),
    );
    api.reviewDeployment.mockResolvedValue({
      runId: 4711,
      decision: 'approve',
      environments: ['production'],
      reviewer: { userEntityRef: 'user:default/guest', displayName: 'Guest' },
      comment: 'Approved in Titanic Portal by Guest',
      runStatus: 'in_progress',
      awaitingApprovals: [],
      auditId: 11,
    });
    const getAccessToken = jest.fn(async () => 'gho_guests_own');
    await renderDeliveryComponent(<ApprovalsInboxPage />, {
      api,
      githubAuth: { getAccessToken },
    });
    await userEvent.click(
      await screen.findByRole('button', { name: 'Review Orders API run #42' }),
    );
    const dialog = await screen.findByRole('dialog');
    expect(within(dialog).getByTestId('portal-rule')).toHaveTextContent(
      'GitHub records the Titanic Portal app; the portal’s audit records you.',
    );
    expect(dialog).not.toHaveTextContent('Required reviewers');
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Approve and deploy' }),
    );
    await waitFor(() =>
      expect(api.reviewDeployment).toHaveBeenCalledWith(
        { kind: 'component', namespace: 'default', name: 'orders-api' },
        4711,
        {
          decision: 'approve',
          environments: ['production'],
          comment: undefined,
        },
      ),
    );
    expect(getAccessToken).not.toHaveBeenCalled();
  });

  it('pages through a long inbox', async () => {
    const api = mockDeliveryApi();
    api.getApprovals.mockImplementation(async (page = {}) =>
      inbox({
        items: [approval({ runId: 5000 + (page.offset ?? 0) })],
        totalCount: 60,
        offset: page.offset ?? 0,
        limit: page.limit ?? 25,
      }),
    );
    await renderDeliveryComponent(<ApprovalsInboxPage />, { api });
    await screen.findByTestId('approval-5000');
    await userEvent.click(screen.getByRole('button', { name: 'Next page' }));
    expect(await screen.findByTestId('approval-5025')).toBeInTheDocument();
    expect(api.getApprovals).toHaveBeenLastCalledWith({
      offset: 25,
      limit: 25,
    });
  });
});
