import { rolloutStatus } from '../../__testUtils__/environmentFixtures';
import { rolloutSeconds } from './rolloutDuration';

describe('rolloutSeconds', () => {
  it('counts from the rollback request when the Progressing condition is older', () => {
    const status = rolloutStatus({
      startedAt: '2026-10-20T09:00:00Z',
      completedAt: '2026-11-26T09:00:05Z',
    });
    expect(rolloutSeconds(status, '2026-11-26T09:00:01Z')).toBe(4);
  });

  it('counts from the rollout start when it is later than the request', () => {
    const status = rolloutStatus({
      startedAt: '2026-11-26T09:00:02Z',
      completedAt: '2026-11-26T09:00:05Z',
    });
    expect(rolloutSeconds(status, '2026-11-26T09:00:01Z')).toBe(3);
  });

  it('knows nothing while the rollout has not completed', () => {
    expect(
      rolloutSeconds(rolloutStatus({ completedAt: null }), undefined),
    ).toBeUndefined();
  });
});
