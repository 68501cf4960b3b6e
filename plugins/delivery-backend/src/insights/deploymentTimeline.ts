import { DeploymentKind, FailureKind } from '@internal/plugin-delivery-common';
import {
  DeploymentFacts,
  FailureSettings,
  RepositoryHistory,
} from './historyFacts';

/*
 * One repository's production deployments read in the order they finished: what each one was
 * (a change, a redeploy of the live commit, a pipeline rollback), how long its commits took to
 * reach production, and whether and how it failed and was restored. doraKeys.ts adds these up.
 */

/** What one production deployment was, and what followed it. */
export interface TimelineEntry {
  facts: DeploymentFacts;
  kind: DeploymentKind;
  succeededAt: number | null;
  failedAt: number | null;
  /** succeededAt, else failedAt; null while it has neither. */
  finishedAt: number | null;
  /** Seconds from each first-shipped commit to the success; empty unless a successful change. */
  leadTimesSeconds: number[];
  /** Commits dated after the success (counted as 0 in leadTimesSeconds). */
  clockSkewedCommits: number;
  /** A successful change whose shipped commits are unknown. */
  unmeasured: boolean;
  /**
   * A change retrying a commit whose previous attempt failed: it completes that change, so it
   * counts for frequency and lead time but not again for the failure rate.
   */
  retry: boolean;
  failure: {
    kind: FailureKind;
    at: number;
    restoredAt: number | null;
  } | null;
}

const FAILED_STATES = new Set(['failure', 'error']);

function firstAt(facts: DeploymentFacts, states: (state: string) => boolean) {
  const times = facts.statuses.filter(s => states(s.state)).map(s => s.at);
  return times.length ? Math.min(...times) : null;
}

function isFix(entry: TimelineEntry, settings: FailureSettings): boolean {
  const { fixPattern } = settings;
  const matches = (text: string) => {
    fixPattern.lastIndex = 0;
    return fixPattern.test(text);
  };
  return (
    matches(entry.facts.ref) ||
    (entry.facts.firstShipped ?? []).some(commit => matches(commit.headline))
  );
}

/** The first time at or after `after` anything healthy went live: a successful deployment or a completed rollback. */
function nextHealthy(
  entries: TimelineEntry[],
  completedRollbacks: number[],
  after: number,
): number | null {
  const candidates = [
    ...entries
      .map(e => e.succeededAt)
      .filter((at): at is number => at !== null && at > after),
    ...completedRollbacks.filter(at => at > after),
  ];
  return candidates.length ? Math.min(...candidates) : null;
}

/** Reads one repository's history in order. `now` bounds what counts as restored. */
export function timelineOf(
  history: RepositoryHistory,
  settings: FailureSettings,
): TimelineEntry[] {
  const entries: TimelineEntry[] = history.deployments.map(facts => {
    const succeededAt = firstAt(facts, state => state === 'success');
    const began = firstAt(
      facts,
      state => state === 'in_progress' || state === 'success',
    );
    const failed = firstAt(facts, state => FAILED_STATES.has(state));
    // A deployment that failed before it began (its review rejected, cancelled while waiting)
    // never reached production: no change, no failure.
    const failedAt = failed !== null && began !== null ? failed : null;
    return {
      facts,
      kind: 'change',
      succeededAt,
      failedAt,
      finishedAt: succeededAt ?? failedAt,
      leadTimesSeconds: [],
      clockSkewedCommits: 0,
      unmeasured: false,
      retry: false,
      failure: null,
    };
  });
  const order = (e: TimelineEntry) => e.finishedAt ?? e.facts.createdAt;
  entries.sort((a, b) => order(a) - order(b) || a.facts.id - b.facts.id);

  // What each deployment was, relative to the commit live before it.
  let liveSha: string | null = null;
  let failedSha: string | null = null;
  for (const entry of entries) {
    const { facts } = entry;
    if (/rollback/i.test(facts.task)) entry.kind = 'rollback';
    else if (liveSha !== null && facts.sha === liveSha) entry.kind = 'redeploy';
    else entry.kind = 'change';
    if (entry.kind === 'change') {
      entry.retry = facts.sha === failedSha;
      failedSha = entry.succeededAt === null ? facts.sha : null;
    }
    if (entry.kind === 'change' && entry.succeededAt !== null) {
      if (facts.firstShipped === null) entry.unmeasured = true;
      for (const commit of facts.firstShipped ?? []) {
        const seconds = (entry.succeededAt - commit.committedAt) / 1000;
        if (seconds < 0) entry.clockSkewedCommits += 1;
        entry.leadTimesSeconds.push(Math.max(0, seconds));
      }
    }
    if (entry.succeededAt !== null) liveSha = facts.sha;
  }

  const completedRollbacks = history.portalRollbacks
    .map(r => r.completedAt)
    .filter((at): at is number => at !== null);
  const successfulChanges = entries.filter(
    e => e.kind === 'change' && e.succeededAt !== null,
  );

  for (const entry of entries) {
    if (entry.kind !== 'change' || entry.finishedAt === null) continue;
    if (entry.failedAt !== null) {
      entry.failure = {
        kind: 'failed-status',
        at: entry.failedAt,
        restoredAt: nextHealthy(entries, completedRollbacks, entry.failedAt),
      };
      continue;
    }
    const liveAt = entry.succeededAt!;
    const next = successfulChanges.find(e => e.succeededAt! > liveAt);
    const until = next?.succeededAt ?? Number.POSITIVE_INFINITY;
    const found: Array<{
      kind: FailureKind;
      seenAt: number;
      restoredAt: number | null;
    }> = [];
    const pipelineRollback = entries.find(
      e =>
        e.kind === 'rollback' &&
        e.succeededAt !== null &&
        e.succeededAt > liveAt &&
        e.succeededAt < until,
    );
    if (pipelineRollback) {
      found.push({
        kind: 'pipeline-rollback',
        seenAt: pipelineRollback.succeededAt!,
        restoredAt: pipelineRollback.succeededAt,
      });
    }
    const portalRollback = history.portalRollbacks
      .filter(r => r.at > liveAt && r.at < until)
      .sort((a, b) => a.at - b.at)[0];
    if (portalRollback) {
      found.push({
        kind: 'portal-rollback',
        seenAt: portalRollback.at,
        restoredAt:
          portalRollback.completedAt ??
          nextHealthy(entries, completedRollbacks, portalRollback.at),
      });
    }
    if (
      next &&
      next.succeededAt! - liveAt <= settings.fixWindowMs &&
      isFix(next, settings)
    ) {
      found.push({
        kind: 'fix-deployed',
        seenAt: next.succeededAt!,
        restoredAt: next.succeededAt,
      });
    }
    const first = found.sort((a, b) => a.seenAt - b.seenAt)[0];
    if (first) {
      // Production was impaired from the moment the change went live.
      entry.failure = {
        kind: first.kind,
        at: liveAt,
        restoredAt: first.restoredAt,
      };
    }
  }
  return entries;
}
