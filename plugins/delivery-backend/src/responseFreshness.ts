import { Freshness, SourceFreshness } from '@internal/plugin-delivery-common';
import {
  Freshness as DataFreshness,
  oldest,
  toSourceFreshness,
} from './cachedGitHub';

export interface SourcedFreshness {
  source: SourceFreshness['source'];
  freshness: DataFreshness;
}

/** A response's freshness: per source the stalest part used, overall the oldest source. */
export function responseFreshness(
  parts: SourcedFreshness[],
  now: number = Date.now(),
): Freshness {
  const bySource = new Map<SourceFreshness['source'], DataFreshness>();
  for (const part of parts) {
    const known = bySource.get(part.source);
    bySource.set(
      part.source,
      known ? oldest(known, part.freshness) : part.freshness,
    );
  }
  const sources = [...bySource.entries()].map(([source, freshness]) =>
    toSourceFreshness(source, freshness, now),
  );
  const validatedAt = Math.min(
    now,
    ...[...bySource.values()].map(f => f.validatedAt),
  );
  return {
    fetchedAt: new Date(validatedAt).toISOString(),
    ageSeconds: Math.max(0, Math.round((now - validatedAt) / 1000)),
    stale: sources.some(s => s.stale),
    sources,
  };
}
