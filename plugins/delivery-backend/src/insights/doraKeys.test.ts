import { timelineOf } from './deploymentTimeline';
import { doraKeysOf, quantile, seriesOf } from './doraKeys';
import {
  DeploymentFacts,
  FailureSettings,
  PortalRollbackFacts,
} from './historyFacts';
import { levelsOf } from './performanceLevels';

/*
 * The four keys on hand-built histories of one repository. Times are hours after T0; the window
 * is the 30 days from T0.
 */

const T0 = Date.parse('2026-09-01T00:00:00Z');
const HOUR = 3600 * 1000;
const at = (hours: number) => T0 + hours * HOUR;
const FROM = T0;
const TO = at(30 * 24);

const SETTINGS: FailureSettings = {
  fixWindowMs: 24 * HOUR,
  fixPattern: /^(fix|hotfix|revert)\b|^hotfix\//i,
};

let nextId = 1;

/**
 * A production deployment created at `hours`, with `success` (or `failure`) one hour later unless
 * told otherwise, shipping commits made `commitHoursBefore` hours before its success.
 */
function deployment(options: {
  hours: number;
  sha: string;
  outcome?: 'success' | 'failure' | 'error' | 'none';
  /** Statuses at further times (hours), e.g. a failure after the success. */
  later?: Array<{ state: string; hours: number }>;
  commitHoursBefore?: number[] | null;
  headlines?: string[];
  task?: string;
  ref?: string;
}): DeploymentFacts {
  const finishedAt = at(options.hours + 1);
  const outcome = options.outcome ?? 'success';
  const commits = options.commitHoursBefore;
  return {
    id: nextId++,
    repository: 'acme-corp/ship',
    environment: 'production',
    sha: options.sha,
    ref: options.ref ?? 'main',
    task: options.task ?? 'deploy',
    createdAt: at(options.hours),
    statuses: [
      { state: 'in_progress', at: at(options.hours) + 60_000 },
      ...(outcome === 'none' ? [] : [{ state: outcome, at: finishedAt }]),
      ...(options.later ?? []).map(s => ({ state: s.state, at: at(s.hours) })),
    ],
    firstShipped:
      commits === null
        ? null
        : (commits ?? [2]).map((before, index) => ({
            sha: `${options.sha}-${index}`,
            committedAt: finishedAt - before * HOUR,
            headline: options.headlines?.[index] ?? `Change ${index}`,
          })),
    htmlUrl: `https://github.com/acme-corp/ship/actions/runs/${options.hours}`,
  };
}

function portalRollback(
  hours: number,
  completedAfterMinutes: number | null,
): PortalRollbackFacts {
  return {
    id: nextId++,
    repository: 'acme-corp/ship',
    at: at(hours),
    completedAt:
      completedAfterMinutes === null
        ? null
        : at(hours) + completedAfterMinutes * 60_000,
    phase: completedAfterMinutes === null ? 'stalled' : 'complete',
    actor: 'user:default/alice',
  };
}

function keys(
  deployments: DeploymentFacts[],
  portalRollbacks: PortalRollbackFacts[] = [],
  settings = SETTINGS,
) {
  const timeline = timelineOf(
    { repository: 'acme-corp/ship', deployments, portalRollbacks },
    settings,
  );
  return doraKeysOf(timeline, FROM, TO);
}

describe('the four keys of one repository', () => {
  it('are empty without deployments: no rate, no median, no level', () => {
    const result = keys([]);
    expect(result.deploymentFrequency).toEqual({
      deployments: 0,
      perDay: 0,
      perWeek: 0,
      deploymentIds: [],
    });
    expect(result.leadTime.medianSeconds).toBeNull();
    expect(result.leadTime.commits).toBe(0);
    expect(result.changeFailureRate.rate).toBeNull();
    expect(result.changeFailureRate.changes).toBe(0);
    expect(result.timeToRestore.medianSeconds).toBeNull();
    expect(levelsOf(result)).toEqual({
      deploymentFrequency: null,
      leadTime: null,
      changeFailureRate: null,
      timeToRestore: null,
      overall: null,
    });
  });

  it('count one deployment: its commits lead times, no failure', () => {
    const only = deployment({
      hours: 10,
      sha: 'a',
      commitHoursBefore: [3, 5],
    });
    const result = keys([only]);
    expect(result.deploymentFrequency.deployments).toBe(1);
    expect(result.deploymentFrequency.perDay).toBeCloseTo(1 / 30, 3);
    expect(result.deploymentFrequency.deploymentIds).toEqual([only.id]);
    expect(result.leadTime).toMatchObject({
      medianSeconds: 4 * 3600,
      p90Seconds: 4.8 * 3600,
      commits: 2,
      deployments: 1,
      deploymentIds: [only.id],
    });
    expect(result.changeFailureRate).toMatchObject({
      rate: 0,
      failed: 0,
      changes: 1,
    });
    expect(result.timeToRestore).toMatchObject({
      medianSeconds: null,
      restored: 0,
      unrestored: 0,
    });
  });

  it('leave the lead time of a first deployment unmeasured when nothing earlier says what it shipped', () => {
    const result = keys([
      deployment({ hours: 10, sha: 'a', commitHoursBefore: null }),
    ]);
    expect(result.deploymentFrequency.deployments).toBe(1);
    expect(result.leadTime.medianSeconds).toBeNull();
    expect(result.leadTime.unmeasuredDeployments).toBe(1);
  });

  it('take median and p90 over every commit of deploys of many commits, not per deployment', () => {
    const big = deployment({
      hours: 100,
      sha: 'big',
      commitHoursBefore: Array.from({ length: 9 }, (_, i) => (i + 1) * 10),
    });
    const small = deployment({
      hours: 200,
      sha: 'small',
      commitHoursBefore: [1],
    });
    const result = keys([big, small]);
    // Ten commits: 1, 10, 20, ..., 90 hours.
    expect(result.leadTime.commits).toBe(10);
    expect(result.leadTime.deployments).toBe(2);
    expect(result.leadTime.medianSeconds).toBe(45 * 3600);
    expect(result.leadTime.p90Seconds).toBe(81 * 3600);
  });

  it('do not count a redeploy of the live commit as a change, nor give it a lead time', () => {
    const first = deployment({ hours: 10, sha: 'a', commitHoursBefore: [2] });
    const again = deployment({ hours: 20, sha: 'a', commitHoursBefore: [] });
    const result = keys([first, again]);
    expect(result.deploymentFrequency.deployments).toBe(1);
    expect(result.deploymentFrequency.deploymentIds).toEqual([first.id]);
    expect(result.leadTime.commits).toBe(1);
    expect(result.changeFailureRate.changes).toBe(1);
  });

  it('count a commit dated after its deployment (a skewed clock) as zero, and say so', () => {
    const skewed = deployment({
      hours: 10,
      sha: 'a',
      commitHoursBefore: [-2, 4],
    });
    const result = keys([skewed]);
    expect(result.leadTime.clockSkewedCommits).toBe(1);
    expect(result.leadTime.medianSeconds).toBe(2 * 3600);
    expect(result.leadTime.p90Seconds).toBeCloseTo(3.6 * 3600, 6);
  });

  it('fail a change with a failed status and restore it at the next healthy deployment', () => {
    const good = deployment({ hours: 10, sha: 'a' });
    const broken = deployment({ hours: 20, sha: 'b', outcome: 'failure' });
    // The same commit deployed again an hour and a half after the failure succeeds.
    const retried = deployment({
      hours: 21.5,
      sha: 'b',
      commitHoursBefore: [],
    });
    const result = keys([good, broken, retried]);
    expect(result.changeFailureRate).toMatchObject({
      failed: 1,
      changes: 2,
      rate: 0.5,
      deploymentIds: [broken.id],
    });
    expect(result.changeFailureRate.byKind['failed-status']).toBe(1);
    // Failed at hour 21, the retry succeeded at hour 22.5.
    expect(result.timeToRestore.medianSeconds).toBe(1.5 * 3600);
    expect(result.timeToRestore.deploymentIds).toEqual([broken.id]);
    // The retry completes the failed change: it shipped b, but b fails only once.
    expect(result.deploymentFrequency.deploymentIds).toEqual([
      good.id,
      retried.id,
    ]);
  });

  it('count nothing for a deployment rejected before it began', () => {
    const good = deployment({ hours: 10, sha: 'a' });
    const rejected: DeploymentFacts = {
      ...deployment({ hours: 20, sha: 'b', outcome: 'none' }),
      statuses: [
        { state: 'pending', at: at(20) },
        { state: 'failure', at: at(22) },
      ],
    };
    const result = keys([good, rejected]);
    expect(result.changeFailureRate).toMatchObject({ failed: 0, changes: 1 });
    expect(result.deploymentFrequency.deploymentIds).toEqual([good.id]);
  });

  it('fail a change with an error status after its success (a post-deploy check)', () => {
    const change = deployment({
      hours: 10,
      sha: 'a',
      later: [{ state: 'error', hours: 13 }],
    });
    const fix = deployment({ hours: 14, sha: 'b' });
    const result = keys([change, fix]);
    expect(result.changeFailureRate.byKind['failed-status']).toBe(1);
    expect(result.timeToRestore.medianSeconds).toBe(2 * 3600);
  });

  it('fail a change the pipeline rolled back, restored when the rollback succeeded; the rollback is no change', () => {
    const good = deployment({ hours: 10, sha: 'a' });
    const bad = deployment({ hours: 20, sha: 'b' });
    const rollback = deployment({
      hours: 22,
      sha: 'a',
      task: 'deploy:rollback',
      commitHoursBefore: [],
    });
    const result = keys([good, bad, rollback]);
    expect(result.changeFailureRate.byKind['pipeline-rollback']).toBe(1);
    expect(result.changeFailureRate.deploymentIds).toEqual([bad.id]);
    expect(result.deploymentFrequency.deployments).toBe(2);
    // Live at hour 21, rolled back at hour 23.
    expect(result.timeToRestore.medianSeconds).toBe(2 * 3600);
  });

  it('fail a change rolled back in the portal, restored when the rollout completed', () => {
    const good = deployment({ hours: 10, sha: 'a' });
    const bad = deployment({ hours: 20, sha: 'b' });
    const result = keys([good, bad], [portalRollback(21.5, 30)]);
    expect(result.changeFailureRate.byKind['portal-rollback']).toBe(1);
    expect(result.changeFailureRate.deploymentIds).toEqual([bad.id]);
    expect(result.timeToRestore.medianSeconds).toBe(1 * 3600);
  });

  it('leave a change rolled back in the portal unrestored while its rollout never completed and nothing healthy followed', () => {
    const bad = deployment({ hours: 20, sha: 'b' });
    const result = keys([bad], [portalRollback(21.5, null)]);
    expect(result.changeFailureRate.failed).toBe(1);
    expect(result.timeToRestore).toMatchObject({
      medianSeconds: null,
      restored: 0,
      unrestored: 1,
    });
  });

  it('blame a portal rollback only on the change live when it happened', () => {
    const first = deployment({ hours: 10, sha: 'a' });
    const second = deployment({ hours: 30, sha: 'b' });
    const result = keys([first, second], [portalRollback(40, 5)]);
    expect(result.changeFailureRate.deploymentIds).toEqual([second.id]);
  });

  it('fail a change followed by a fix within the fix window, but not by a fix after it or by an ordinary change', () => {
    const broken = deployment({ hours: 10, sha: 'a' });
    const fix = deployment({
      hours: 14,
      sha: 'b',
      headlines: ['Fix null pointer on empty manifest'],
    });
    const ordinary = deployment({ hours: 16, sha: 'c' });
    const lateFix = deployment({
      hours: 60,
      sha: 'd',
      ref: 'hotfix/pool-size',
    });
    const result = keys([broken, fix, ordinary, lateFix]);
    expect(result.changeFailureRate.deploymentIds).toEqual([broken.id]);
    expect(result.changeFailureRate.byKind['fix-deployed']).toBe(1);
    expect(result.changeFailureRate.rate).toBe(0.25);
    expect(result.timeToRestore.medianSeconds).toBe(4 * 3600);
  });

  it('take the fix window from the settings', () => {
    const broken = deployment({ hours: 10, sha: 'a' });
    const fix = deployment({ hours: 14, sha: 'b', ref: 'hotfix/x' });
    expect(
      keys([broken, fix], [], { ...SETTINGS, fixWindowMs: 2 * HOUR })
        .changeFailureRate.failed,
    ).toBe(0);
  });

  it('count a change once, with its first failure', () => {
    const bad = deployment({ hours: 10, sha: 'a' });
    const rollback = deployment({
      hours: 11,
      sha: 'z',
      task: 'deploy:rollback',
      commitHoursBefore: [],
    });
    const fix = deployment({ hours: 12, sha: 'b', headlines: ['revert a'] });
    const result = keys([bad, rollback, fix], [portalRollback(12.5, 1)]);
    expect(result.changeFailureRate.failed).toBe(1);
    expect(result.changeFailureRate.byKind).toEqual({
      'failed-status': 0,
      'pipeline-rollback': 1,
      'portal-rollback': 0,
      'fix-deployed': 0,
    });
  });

  it('count only what finished inside the window', () => {
    const before = deployment({ hours: -48, sha: 'a' });
    const inside = deployment({ hours: 10, sha: 'b' });
    const after = deployment({ hours: 30 * 24 + 5, sha: 'c' });
    const result = keys([before, inside, after]);
    expect(result.deploymentFrequency.deploymentIds).toEqual([inside.id]);
  });

  it('order deployments by when they finished, not by the order they arrive in', () => {
    const second = deployment({ hours: 20, sha: 'b' });
    const first = deployment({ hours: 10, sha: 'a' });
    const redeploy = deployment({ hours: 30, sha: 'b', commitHoursBefore: [] });
    const result = keys([redeploy, second, first]);
    expect(result.deploymentFrequency.deploymentIds.sort()).toEqual(
      [first.id, second.id].sort(),
    );
  });
});

describe('the trend', () => {
  it('cuts a 30-day window into weeks ending now, and a 7-day window into days', () => {
    const timeline = timelineOf(
      {
        repository: 'acme-corp/ship',
        deployments: [
          deployment({ hours: 30 * 24 - 30, sha: 'a' }),
          deployment({ hours: 30 * 24 - 5, sha: 'b' }),
        ],
        portalRollbacks: [],
      },
      SETTINGS,
    );
    const weeks = seriesOf(timeline, FROM, TO);
    expect(weeks).toHaveLength(5);
    expect(weeks[4].to).toBe(new Date(TO).toISOString());
    expect(weeks[4].deployments).toBe(2);
    const days = seriesOf(timeline, TO - 7 * 24 * HOUR, TO);
    expect(days).toHaveLength(7);
    expect(days.map(d => d.deployments)).toEqual([0, 0, 0, 0, 0, 1, 1]);
  });
});

describe('quantile', () => {
  it('interpolates between the closest ranks', () => {
    expect(quantile([], 0.5)).toBeNull();
    expect(quantile([7], 0.9)).toBe(7);
    expect(quantile([4, 1, 3, 2], 0.5)).toBe(2.5);
    expect(quantile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 0.9)).toBeCloseTo(9.1, 10);
  });
});

describe('performance levels (Accelerate State of DevOps Report 2023)', () => {
  const base = keys([]);
  const withKeys = (
    perDay: number,
    lead: number | null,
    rate: number | null,
    restore: number | null,
  ) =>
    levelsOf({
      deploymentFrequency: {
        ...base.deploymentFrequency,
        deployments: 1,
        perDay,
      },
      leadTime: { ...base.leadTime, medianSeconds: lead },
      changeFailureRate: { ...base.changeFailureRate, rate },
      timeToRestore: { ...base.timeToRestore, medianSeconds: restore },
    });

  it('classifies each key by its band and the service by its weakest key', () => {
    expect(withKeys(2, 3600, 0.05, 1800)).toEqual({
      deploymentFrequency: 'elite',
      leadTime: 'elite',
      changeFailureRate: 'elite',
      timeToRestore: 'elite',
      overall: 'elite',
    });
    expect(withKeys(0.5, 3 * 86400, 0.1, 7200)).toMatchObject({
      deploymentFrequency: 'high',
      leadTime: 'high',
      changeFailureRate: 'high',
      timeToRestore: 'high',
      overall: 'high',
    });
    expect(withKeys(1 / 10, 20 * 86400, 0.15, 3 * 86400).overall).toBe(
      'medium',
    );
    expect(withKeys(1 / 60, 40 * 86400, 0.3, 10 * 86400).overall).toBe('low');
    expect(withKeys(2, 3600, 0.3, null)).toMatchObject({
      timeToRestore: null,
      changeFailureRate: 'low',
      overall: 'low',
    });
  });
});
