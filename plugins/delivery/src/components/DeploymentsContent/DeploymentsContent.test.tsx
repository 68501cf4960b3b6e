import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { mockDeliveryApi } from '../../__testUtils__/deliveryFixtures';
import {
  auditEntry,
  environmentsResponse,
} from '../../__testUtils__/environmentFixtures';
import { renderDeliveryComponent } from '../../__testUtils__/renderDeliveryComponent';
import { DeploymentsContent } from './DeploymentsContent';

describe('DeploymentsContent', () => {
  it('lists each environment’s deploys, approvals and rollbacks from the audit trail, newest first', async () => {
    const api = mockDeliveryApi();
    api.getEnvironments.mockResolvedValue(environmentsResponse());
    api.getAuditTrail.mockResolvedValue({
      entries: [
        auditEntry(),
        auditEntry({
          id: 11,
          environment: 'production',
          action: 'approve',
          runId: 9058,
          from: null,
          to: null,
          reason: 'smoke tests green',
          rolloutStatus: null,
        }),
        auditEntry({
          id: 10,
          // Older than the rollback that succeeded, whatever the clock ticked between fixtures.
          at: new Date(Date.now() - 30 * 60_000).toISOString(),
          actor: 'user:default/octo',
          actorDisplayName: null,
          permission: 'denied',
          result: 'denied',
          reason: null,
          rolloutStatus: null,
        }),
      ],
      nextBefore: null,
    });
    await renderDeliveryComponent(<DeploymentsContent />, { api });

    // The environments card with its actions leads the tab, from the tab's one request.
    expect(
      await screen.findByRole('group', { name: 'staging environment' }),
    ).toBeInTheDocument();
    expect(api.getEnvironments).toHaveBeenCalledTimes(1);
    await screen.findByText('History of dev');
    await userEvent.click(screen.getByRole('tab', { name: 'staging' }));
    await screen.findByText('History of staging');
    await waitFor(() =>
      expect(screen.getAllByRole('row', { name: /Rollback/ })).toHaveLength(2),
    );
    const [rollback, denied] = screen.getAllByRole('row', {
      name: /Rollback/,
    });
    expect(rollback).toHaveTextContent(
      'revision 6 (ghcr.io/acme-corp/titanic-service:1.4.0) → revision 5 (ghcr.io/acme-corp/titanic-service:1.3.1)',
    );
    expect(rollback).toHaveTextContent('succeeded (rollout complete)');
    expect(rollback).toHaveTextContent('pool exhaustion in 1.4.0');
    expect(within(denied).getByText('user:default/octo')).toBeInTheDocument();
    expect(denied).toHaveTextContent('denied');
    expect(screen.getByRole('row', { name: /Deploy/ })).toHaveTextContent(
      'main @ 4b3b287',
    );

    // Approvals name the GitHub environment (production); they belong to prod.
    await userEvent.click(screen.getByRole('tab', { name: 'prod' }));
    await screen.findByText('History of prod');
    const approval = await screen.findByRole('row', { name: /Approval/ });
    expect(approval).toHaveTextContent('run 9058');
    expect(approval).toHaveTextContent('smoke tests green');
    expect(api.getAuditTrail).toHaveBeenCalledWith(
      { kind: 'Component', namespace: 'default', name: 'titanic-service' },
      { limit: 200 },
    );
  });
});
