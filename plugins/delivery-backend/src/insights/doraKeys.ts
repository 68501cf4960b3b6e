import {
  DoraDeployment,
  DoraKeys,
  DoraSeriesPoint,
  FAILURE_KINDS,
  FailureKind,
} from '@internal/plugin-delivery-common';
import { TimelineEntry } from './deploymentTimeline';

/*
 * The four keys over a window, added up from timeline entries of any number of repositories
 * (deploymentTimeline.ts says what each entry was). The definitions are documented with the
 * response types in @internal/plugin-delivery-common (insights.ts).
 */

const DAY_MS = 24 * 3600 * 1000;

/** The p-quantile (0..1) with linear interpolation between closest ranks; null for no values. */
export function quantile(values: number[], p: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const position = (sorted.length - 1) * p;
  const lower = Math.floor(position);
  const upper = Math.ceil(position);
  return sorted[lower] + (sorted[upper] - sorted[lower]) * (position - lower);
}

const within = (at: number | null, from: number, to: number): at is number =>
  at !== null && at >= from && at < to;

function round(value: number | null, digits = 0): number | null {
  if (value === null) return null;
  const scale = 10 ** digits;
  return Math.round(value * scale) / scale;
}

/** The four keys of the entries over [from, to). */
export function doraKeysOf(
  entries: TimelineEntry[],
  from: number,
  to: number,
): DoraKeys {
  const days = (to - from) / DAY_MS;
  const changes = entries.filter(e => e.kind === 'change');
  const shipped = changes.filter(e => within(e.succeededAt, from, to));
  const measured = shipped.filter(e => !e.unmeasured);
  const leadTimes = measured.flatMap(e => e.leadTimesSeconds);
  const finished = changes.filter(
    e => !e.retry && within(e.finishedAt, from, to),
  );
  const failed = finished.filter(e => e.failure !== null);
  const byKind = Object.fromEntries(
    FAILURE_KINDS.map(kind => [kind, 0]),
  ) as Record<FailureKind, number>;
  for (const entry of failed) byKind[entry.failure!.kind] += 1;
  const failures = changes.filter(
    e => e.failure !== null && within(e.failure.at, from, to),
  );
  const restored = failures.filter(e => e.failure!.restoredAt !== null);
  const restoreSeconds = restored.map(
    e => (e.failure!.restoredAt! - e.failure!.at) / 1000,
  );
  const ids = (list: TimelineEntry[]) => list.map(e => e.facts.id);
  return {
    deploymentFrequency: {
      deployments: shipped.length,
      perDay: round(shipped.length / days, 3)!,
      perWeek: round((shipped.length / days) * 7, 2)!,
      deploymentIds: ids(shipped),
    },
    leadTime: {
      medianSeconds: round(quantile(leadTimes, 0.5)),
      p90Seconds: round(quantile(leadTimes, 0.9)),
      commits: leadTimes.length,
      deployments: measured.filter(e => e.leadTimesSeconds.length > 0).length,
      clockSkewedCommits: measured.reduce(
        (sum, e) => sum + e.clockSkewedCommits,
        0,
      ),
      unmeasuredDeployments: shipped.length - measured.length,
      deploymentIds: ids(measured.filter(e => e.leadTimesSeconds.length > 0)),
    },
    changeFailureRate: {
      rate: finished.length ? round(failed.length / finished.length, 4) : null,
      failed: failed.length,
      changes: finished.length,
      byKind,
      deploymentIds: ids(failed),
    },
    timeToRestore: {
      medianSeconds: round(quantile(restoreSeconds, 0.5)),
      restored: restored.length,
      unrestored: failures.length - restored.length,
      deploymentIds: ids(restored),
    },
  };
}

/** The window cut into buckets (one day for a week, one week otherwise), oldest first. */
export function seriesOf(
  entries: TimelineEntry[],
  from: number,
  to: number,
): DoraSeriesPoint[] {
  const bucket = to - from <= 7 * DAY_MS ? DAY_MS : 7 * DAY_MS;
  const points: DoraSeriesPoint[] = [];
  // Buckets end at `to`, so the newest bucket is always whole; the oldest may be cut at `from`.
  for (let end = to; end > from; end -= bucket) {
    const start = Math.max(from, end - bucket);
    const keys = doraKeysOf(entries, start, end);
    points.unshift({
      from: new Date(start).toISOString(),
      to: new Date(end).toISOString(),
      deployments: keys.deploymentFrequency.deployments,
      leadTimeMedianSeconds: keys.leadTime.medianSeconds,
      changeFailureRate: keys.changeFailureRate.rate,
      timeToRestoreMedianSeconds: keys.timeToRestore.medianSeconds,
    });
  }
  return points;
}

/** The deployments behind the keys, newest first. */
export function deploymentsBehind(
  entries: TimelineEntry[],
  keys: DoraKeys,
  entityRefsOf: (repository: string) => string[],
): DoraDeployment[] {
  const wanted = new Set([
    ...keys.deploymentFrequency.deploymentIds,
    ...keys.leadTime.deploymentIds,
    ...keys.changeFailureRate.deploymentIds,
    ...keys.timeToRestore.deploymentIds,
  ]);
  const iso = (at: number | null) =>
    at === null ? null : new Date(at).toISOString();
  return entries
    .filter(e => wanted.has(e.facts.id))
    .sort(
      (a, b) =>
        (b.finishedAt ?? b.facts.createdAt) -
        (a.finishedAt ?? a.facts.createdAt),
    )
    .map(e => ({
      id: e.facts.id,
      entityRefs: entityRefsOf(e.facts.repository),
      repository: e.facts.repository,
      environment: e.facts.environment,
      sha: e.facts.sha,
      ref: e.facts.ref,
      kind: e.kind,
      createdAt: new Date(e.facts.createdAt).toISOString(),
      succeededAt: iso(e.succeededAt),
      failedAt: iso(e.failedAt),
      commits: e.unmeasured ? null : e.leadTimesSeconds.length,
      leadTimeMedianSeconds: round(quantile(e.leadTimesSeconds, 0.5)),
      failure: e.failure
        ? {
            kind: e.failure.kind,
            at: new Date(e.failure.at).toISOString(),
            restoredAt: iso(e.failure.restoredAt),
          }
        : null,
      htmlUrl: e.facts.htmlUrl,
    }));
}
