import { Freshness, SourceFreshness } from '@internal/plugin-delivery-common';

/*
 * How old cached data is. The sources' caches (GitHub, SonarCloud) say it per read, epoch based;
 * each response says it once, per source and overall, in the contract's terms.
 */

/** When a source last confirmed data, and whether it could not be refreshed. */
export interface DataFreshness {
  validatedAt: number;
  stale: boolean;
  staleReason?: string;
  retryAt?: number;
}

/** Data plus how fresh it is. */
export interface Fetched<T> {
  data: T;
  freshness: DataFreshness;
}

/** Freshness of data confirmed right now, or of no data at all. */
export function freshNow(now: number = Date.now()): DataFreshness {
  return { validatedAt: now, stale: false };
}

/** The oldest of several freshnesses: data is as fresh as its stalest part. */
export function oldest(...all: DataFreshness[]): DataFreshness {
  return all.reduce((a, b) => ({
    validatedAt: Math.min(a.validatedAt, b.validatedAt),
    stale: a.stale || b.stale,
    staleReason: a.staleReason ?? b.staleReason,
    retryAt: a.retryAt ?? b.retryAt,
  }));
}

/** "12 s", "5 min", "3 h": the age shown in stale-data warnings. */
export function describeAge(ms: number): string {
  const seconds = Math.max(0, Math.round(ms / 1000));
  if (seconds < 90) return `${seconds} s`;
  if (seconds < 90 * 60) return `${Math.round(seconds / 60)} min`;
  return `${Math.round(seconds / 3600)} h`;
}

/** The last copy of a source's data, served because the source failed. */
export function staleAfterFailure(
  source: 'GitHub' | 'SonarCloud',
  validatedAt: number,
  failure: string,
  now: number,
): DataFreshness {
  return {
    validatedAt,
    stale: true,
    staleReason: `${source} failed (${failure}); showing data from ${describeAge(
      now - validatedAt,
    )} ago`,
  };
}

export function toSourceFreshness(
  source: SourceFreshness['source'],
  freshness: DataFreshness,
  now: number,
): SourceFreshness {
  return {
    source,
    fetchedAt: new Date(freshness.validatedAt).toISOString(),
    ageSeconds: Math.max(0, Math.round((now - freshness.validatedAt) / 1000)),
    stale: freshness.stale,
    ...(freshness.staleReason ? { staleReason: freshness.staleReason } : {}),
    ...(freshness.retryAt
      ? { retryAt: new Date(freshness.retryAt).toISOString() }
      : {}),
  };
}

/** Data read from one source, for {@link responseFreshness}. */
export interface SourcedFreshness {
  source: SourceFreshness['source'];
  freshness: DataFreshness;
}

type Part = Pick<Fetched<unknown>, 'freshness'> | null | undefined;

/** The parts of a response read from GitHub (parts not read are left out). */
export function fromGitHub(...parts: Part[]): SourcedFreshness[] {
  return sourced('github', parts);
}

/** The parts of a response read from SonarCloud (parts not read are left out). */
export function fromSonarCloud(...parts: Part[]): SourcedFreshness[] {
  return sourced('sonarcloud', parts);
}

function sourced(
  source: SourceFreshness['source'],
  parts: Part[],
): SourcedFreshness[] {
  return parts.flatMap(part =>
    part ? [{ source, freshness: part.freshness }] : [],
  );
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
