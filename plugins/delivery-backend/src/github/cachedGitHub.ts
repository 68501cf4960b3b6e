import { CacheService, LoggerService } from '@backstage/backend-plugin-api';
import { NotFoundError } from '@backstage/errors';
import { JsonValue } from '@backstage/types';
import { deliveryError } from '@internal/plugin-delivery-common';
import {
  DataFreshness,
  Fetched,
  describeAge,
  freshNow,
  oldest,
  staleAfterFailure,
} from '../cache/freshness';
import { GitHubChangeFeed } from './changeFeed';
import { GitHubClients, GitHubOctokit } from './client';
import { RateLimitInfo, rateLimitOf, rateLimitedError } from './rateLimits';
import { RepositoryRef } from './types';

/** What the cache knows about one GitHub URL. */
interface CachedResponse {
  etag: string | null;
  link: string | null;
  data: JsonValue;
  /** When GitHub last confirmed the data (200 or 304), epoch ms. */
  validatedAt: number;
}

/** A list read page by page; `pages` are the cached page bodies (same objects until they change). */
export interface FetchedPages<T> extends Fetched<T[]> {
  pages: unknown[][];
}

interface HttpErrorLike {
  status?: number;
}

export interface CachedGitHubOptions {
  clients: GitHubClients;
  cache: CacheService;
  logger: LoggerService;
  /** Answers younger than this are served without asking GitHub. */
  freshSeconds: number;
  /** How long answers are kept for conditional requests and as stale fallback. */
  keepSeconds: number;
  /**
   * GitHub's reports of changes (webhooks): answers they outdate are asked again, newer runs,
   * jobs and alerts are laid over cached ones, and answers are trusted longer while they arrive.
   */
  changes?: GitHubChangeFeed;
  /** Told when the portal itself changed a repository (see `expire`). */
  onExpire?: (repo: RepositoryRef) => void;
  now?: () => number;
}

const MEMORY_ENTRIES = 500;
const FAILURE_BACKOFF_MS = 30_000;

/**
 * Reads GitHub through Backstage's cache with conditional requests: answers younger than
 * `freshSeconds` cost nothing, older ones are revalidated with If-None-Match (a 304 reuses the
 * cached body and does not count against GitHub's rate limit), concurrent identical reads share
 * one request, and when GitHub rate-limits or fails the last copy is served marked stale.
 */
export class CachedGitHub {
  /** Requests to GitHub under way, with when each was sent: later reads may share them. */
  private readonly inFlight = new Map<
    string,
    { sentAt: number; response: Promise<Fetched<CachedResponse>> }
  >();
  private readonly derivations = new Map<string, Promise<JsonValue>>();
  /** Parsed copies of recent cache entries: spares re-parsing large lists on every view. */
  private readonly memory = new Map<string, CachedResponse>();
  private readonly blockedUntil = new Map<string, RateLimitInfo>();
  /** Per host: after a failed call (5xx, network), when to try GitHub again. */
  private readonly failingUntil = new Map<
    string,
    { until: number; status: string }
  >();
  /** Per repository: answers validated before this moment are revalidated on next read. */
  private readonly expiredAt = new Map<string, number>();
  private readonly now: () => number;

  constructor(private readonly options: CachedGitHubOptions) {
    this.now = options.now ?? Date.now;
  }

  /** GET one GitHub route, e.g. `GET /repos/{owner}/{repo}/actions/runs`. */
  async get<T>(
    repo: RepositoryRef,
    route: string,
    params: Record<string, string | number | boolean | undefined> = {},
  ): Promise<Fetched<T>> {
    const octokit = this.options.clients.forRepository(repo);
    const endpoint = octokit.request.endpoint(route, {
      owner: repo.owner,
      repo: repo.name,
      ...params,
    });
    const fetched = await this.fetchUrl(repo, endpoint.url);
    return {
      data: this.overlay(repo, route, fetched.data.data as T),
      freshness: fetched.freshness,
    };
  }

  /** The URL a GET of `route` asks, as `stillFresh` takes it. */
  urlOf(
    repo: RepositoryRef,
    route: string,
    params: Record<string, string | number | boolean | undefined> = {},
  ): string {
    return this.options.clients.forRepository(repo).request.endpoint(route, {
      owner: repo.owner,
      repo: repo.name,
      ...params,
    }).url;
  }

  /**
   * Whether what was made from the answers of these URLs (`urlOf`), validated at `validatedAt`,
   * may still be served as the answers themselves would: nothing outdated them since (a webhook,
   * the portal's own write) and they are within their freshness. Lets callers keep what they
   * computed from cached answers without reading them again.
   */
  stillFresh(
    repo: RepositoryRef,
    urls: string[],
    validatedAt: number,
  ): boolean {
    let notBefore = this.expiredAt.get(repoKey(repo)) ?? 0;
    for (const url of urls) {
      notBefore = Math.max(
        notBefore,
        this.options.changes?.changedAt(repo, url) ?? 0,
      );
    }
    return this.servable({ validatedAt } as CachedResponse, notBefore);
  }

  /**
   * GET every page of a list route by following the Link header's `next` (no page cap), each
   * page cached and revalidated on its own. `items` picks the list out of wrapped bodies
   * (e.g. `workflow_runs`).
   */
  async getAllPages<T>(
    repo: RepositoryRef,
    route: string,
    params: Record<string, string | number | boolean | undefined> = {},
    items?: string,
  ): Promise<FetchedPages<T>> {
    const octokit = this.options.clients.forRepository(repo);
    let url: string | null = octokit.request.endpoint(route, {
      owner: repo.owner,
      repo: repo.name,
      per_page: 100,
      ...params,
    }).url;
    const all: T[] = [];
    const pages: unknown[][] = [];
    const freshnesses: DataFreshness[] = [];
    const seen = new Set<string>();
    while (url && !seen.has(url)) {
      seen.add(url);
      const page = await this.fetchUrl(repo, url);
      const body = this.overlay(
        repo,
        route,
        page.data.data as Record<string, unknown> | unknown[],
      );
      const list = (items ? (body as Record<string, unknown>)[items] : body) as
        | T[]
        | undefined;
      all.push(...(list ?? []));
      pages.push(list ?? []);
      freshnesses.push(page.freshness);
      url = nextLink(page.data.link);
    }
    return { data: all, pages, freshness: oldest(...freshnesses) };
  }

  /**
   * Memoizes a value derived from GitHub data that cannot change any more (e.g. the gates of a
   * completed run attempt, why a completed job failed), so the reads behind it happen once.
   * `compute` says whether its value is final; values built from stale data are not kept.
   */
  async remember<T>(
    key: string,
    compute: () => Promise<{ value: T; final: boolean }>,
  ): Promise<T> {
    const cacheKey = `derived:${key}`;
    const memorized = this.memory.get(cacheKey);
    if (memorized) {
      return memorized.data as T;
    }
    const cached = await this.options.cache.get<JsonValue>(cacheKey);
    if (cached !== undefined) {
      this.memorize(cacheKey, {
        etag: null,
        link: null,
        data: cached,
        validatedAt: 0,
      });
      return cached as T;
    }
    const pending = this.derivations.get(cacheKey) as Promise<T> | undefined;
    if (pending) {
      return pending;
    }
    const computing = (async () => {
      const { value, final } = await compute();
      if (final) {
        const json = value as JsonValue;
        this.memorize(cacheKey, {
          etag: null,
          link: null,
          data: json,
          validatedAt: 0,
        });
        await this.options.cache.set(cacheKey, json, {
          ttl: this.options.keepSeconds * 1000,
        });
      }
      return value;
    })();
    this.derivations.set(cacheKey, computing as Promise<JsonValue>);
    try {
      return await computing;
    } finally {
      this.derivations.delete(cacheKey);
    }
  }

  /** The Octokit for calls that must not be cached (writes, log downloads). */
  octokit(repo: RepositoryRef): GitHubOctokit {
    return this.options.clients.forRepository(repo);
  }

  /**
   * Makes the next reads of the repository revalidate (conditionally) instead of trusting the
   * freshness window, e.g. after the portal itself changed something there.
   */
  expire(repo: RepositoryRef): void {
    this.expiredAt.set(repoKey(repo), this.now());
    this.options.onExpire?.(repo);
  }

  /** Whether GitHub currently rate-limits this host (then writes are refused early). */
  rateLimit(repo: RepositoryRef): RateLimitInfo | null {
    const blocked = this.blockedUntil.get(repo.host);
    return blocked && blocked.retryAt > this.now() ? blocked : null;
  }

  /** Records a rate limit seen on a call made outside the cache (e.g. a write). */
  noteRateLimit(repo: RepositoryRef, info: RateLimitInfo): void {
    this.blockedUntil.set(repo.host, info);
  }

  private async fetchUrl(
    repo: RepositoryRef,
    url: string,
  ): Promise<Fetched<CachedResponse>> {
    const key = `gh:${repo.host}:${url}`;
    // Answers validated before this moment are outdated: the portal or GitHub changed them since.
    const notBefore = Math.max(
      this.expiredAt.get(repoKey(repo)) ?? 0,
      this.options.changes?.changedAt(repo, url) ?? 0,
    );
    const cached = await this.read(key, notBefore);
    if (cached && this.servable(cached, notBefore)) {
      return { data: cached, freshness: freshNow(cached.validatedAt) };
    }
    const pending = this.inFlight.get(key);
    if (pending && pending.sentAt > notBefore) {
      return pending.response;
    }
    const sentAt = this.now();
    const response = this.revalidate(repo, key, url, cached, sentAt);
    const flight = { sentAt, response };
    this.inFlight.set(key, flight);
    try {
      return await response;
    } finally {
      if (this.inFlight.get(key) === flight) this.inFlight.delete(key);
    }
  }

  /** Whether a cached answer may be served as it is. */
  private servable(entry: CachedResponse, notBefore: number): boolean {
    const freshMs =
      this.options.changes?.freshForMs(entry.validatedAt) ??
      this.options.freshSeconds * 1000;
    return (
      entry.validatedAt > notBefore && this.now() - entry.validatedAt < freshMs
    );
  }

  private overlay<T>(repo: RepositoryRef, route: string, body: T): T {
    return this.options.changes
      ? this.options.changes.overlay(repo, route, body)
      : body;
  }

  /**
   * Asks GitHub (conditionally when a copy is cached). The answer counts as validated when the
   * request was sent, not when it came back: a change reported meanwhile may postdate it.
   */
  private async revalidate(
    repo: RepositoryRef,
    key: string,
    url: string,
    cached: CachedResponse | undefined,
    sentAt: number,
  ): Promise<Fetched<CachedResponse>> {
    const blocked = this.rateLimit(repo);
    if (blocked) {
      return this.fallBack(cached, url, blocked);
    }
    const failing = this.failingUntil.get(repo.host);
    if (cached && failing && failing.until > this.now()) {
      return this.staleAfterFailure(cached, failing.status);
    }
    const octokit = this.options.clients.forRepository(repo);
    try {
      const response = await octokit.request({
        method: 'GET',
        url,
        headers: cached?.etag ? { 'if-none-match': cached.etag } : {},
      });
      this.failingUntil.delete(repo.host);
      const entry: CachedResponse = {
        etag: (response.headers.etag as string | undefined) ?? null,
        link: (response.headers.link as string | undefined) ?? null,
        data: response.data as JsonValue,
        validatedAt: sentAt,
      };
      await this.write(key, entry);
      return { data: entry, freshness: freshNow(entry.validatedAt) };
    } catch (error) {
      const status = (error as HttpErrorLike).status;
      if (status === 304 && cached) {
        this.failingUntil.delete(repo.host);
        const entry = { ...cached, validatedAt: sentAt };
        await this.write(key, entry);
        return { data: entry, freshness: freshNow(entry.validatedAt) };
      }
      if (status === 404) {
        throw new NotFoundError(`GitHub has no ${new URL(url).pathname}`);
      }
      const limit = rateLimitOf(error, this.now());
      if (limit) {
        this.blockedUntil.set(repo.host, limit);
        return this.fallBack(cached, url, limit);
      }
      this.options.logger.warn(`GitHub request ${url} failed: ${error}`);
      // Give GitHub a moment before asking again: views meanwhile get the cached copy at once.
      this.failingUntil.set(repo.host, {
        until: this.now() + FAILURE_BACKOFF_MS,
        status: String(status ?? 'no answer'),
      });
      if (cached) {
        return this.staleAfterFailure(cached, String(status ?? 'no answer'));
      }
      throw deliveryError(
        'upstream-unavailable',
        `GitHub failed (${status ?? 'no answer'}) and nothing is cached: ${
          (error as Error).message
        }`,
      );
    }
  }

  private staleAfterFailure(
    cached: CachedResponse,
    status: string,
  ): Fetched<CachedResponse> {
    return {
      data: cached,
      freshness: staleAfterFailure(
        'GitHub',
        cached.validatedAt,
        status,
        this.now(),
      ),
    };
  }

  private fallBack(
    cached: CachedResponse | undefined,
    url: string,
    limit: RateLimitInfo,
  ): Fetched<CachedResponse> {
    const now = this.now();
    const what =
      limit.kind === 'primary'
        ? 'GitHub rate limit reached'
        : 'GitHub secondary rate limit';
    if (cached) {
      return {
        data: cached,
        freshness: {
          validatedAt: cached.validatedAt,
          stale: true,
          staleReason: `${what}; showing data from ${describeAge(
            now - cached.validatedAt,
          )} ago`,
          retryAt: limit.retryAt,
        },
      };
    }
    throw rateLimitedError(
      limit.retryAt,
      now,
      seconds =>
        `${what} and ${
          new URL(url).pathname
        } was never cached; retry in ${seconds} s`,
    );
  }

  /**
   * The cached answer: the parsed copy in memory while it may be served, else the shared cache's
   * copy, which another replica may have validated since (or whichever of the two is newer).
   */
  private async read(
    key: string,
    notBefore: number,
  ): Promise<CachedResponse | undefined> {
    const memorized = this.memory.get(key);
    if (memorized && this.servable(memorized, notBefore)) {
      return memorized;
    }
    const stored = (await this.options.cache.get<JsonValue>(key)) as
      | CachedResponse
      | undefined;
    if (
      stored === undefined ||
      (memorized && memorized.validatedAt >= stored.validatedAt)
    ) {
      return memorized;
    }
    this.memorize(key, stored);
    return stored;
  }

  private async write(key: string, entry: CachedResponse): Promise<void> {
    this.memorize(key, entry);
    await this.options.cache.set(key, entry as unknown as JsonValue, {
      ttl: this.options.keepSeconds * 1000,
    });
  }

  private memorize(key: string, entry: CachedResponse): void {
    this.memory.delete(key);
    this.memory.set(key, entry);
    if (this.memory.size > MEMORY_ENTRIES) {
      const eldest = this.memory.keys().next().value;
      if (eldest !== undefined) this.memory.delete(eldest);
    }
  }
}

function repoKey(repo: RepositoryRef): string {
  return `${repo.host}/${repo.owner}/${repo.name}`.toLowerCase();
}

/** The `rel="next"` URL of a Link header. */
export function nextLink(link: string | null | undefined): string | null {
  if (!link) return null;
  for (const part of link.split(',')) {
    const match = /<([^>]+)>\s*;\s*rel="?next"?/.exec(part);
    if (match) return match[1];
  }
  return null;
}
