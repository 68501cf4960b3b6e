import { backendError } from '../../__testUtils__/deliveryFixtures';
import { explainEnvironmentError } from './environmentErrors';

describe('explainEnvironmentError', () => {
  it('tells a permission-policy denial apart from a refusal by the cluster', async () => {
    const policy = explainEnvironmentError(
      await backendError(403, 'NotAllowedError', 'Unauthorized'),
      'rollback',
    );
    expect(policy.title).toBe('Backstage’s permission policy denied this');
    expect(policy.explanation).toContain('delivery.deployment.rollback');

    const cluster = explainEnvironmentError(
      await backendError(403, 'NotAllowedError', 'forbidden', {
        reason: 'kubernetes-forbidden',
      }),
      'rollback',
    );
    expect(cluster.title).toBe('The cluster refused the portal');
  });

  it('treats conflicts as warnings that say nothing was changed', async () => {
    const conflict = explainEnvironmentError(
      await backendError(409, 'ConflictError', 'changed', {
        reason: 'concurrent-change',
      }),
      'rollback',
    );
    expect(conflict.severity).toBe('warning');
    expect(conflict.explanation).toContain('yours was not applied');
  });

  it('falls back to the backend’s message for anything unexplained', async () => {
    const unknown = explainEnvironmentError(
      await backendError(500, 'Error', 'database is down'),
      'review',
    );
    expect(unknown).toMatchObject({
      title: 'The review failed',
      detail: 'database is down',
    });
  });
});
