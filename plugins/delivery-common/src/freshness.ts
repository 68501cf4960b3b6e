/*
 * Every read response carries `freshness`, because the backend may answer from its cache — and,
 * when GitHub rate-limits it, from stale data. Timestamps are ISO 8601 strings (UTC).
 */

/** Where a response's data came from and how old it is. */
export interface SourceFreshness {
  source: 'github' | 'sonarcloud';
  /** When the source last confirmed this data (a 200 or a 304 answer). */
  fetchedAt: string;
  /** Seconds between `fetchedAt` and the response. */
  ageSeconds: number;
  /**
   * True when the backend could not refresh the data and served its last copy, e.g. because the
   * source rate-limited it; `staleReason` says why.
   */
  stale: boolean;
  staleReason?: string;
  /** When the source is expected to answer again (from Retry-After or x-ratelimit-reset). */
  retryAt?: string;
}

export interface Freshness {
  /** The oldest `fetchedAt` among the sources used. */
  fetchedAt: string;
  ageSeconds: number;
  /** True when any source's data is stale. */
  stale: boolean;
  sources: SourceFreshness[];
}
