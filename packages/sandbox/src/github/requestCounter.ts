/** Counts requests per route ("GET /repos/{owner}/{repo}/actions/runs"), so tests can count GitHub calls. */

export interface RouteCount {
  /** Every request to the route, whatever the answer. */
  total: number;
  /** 304 answers to conditional requests (free under GitHub's rate limit). */
  notModified: number;
  /** 403/429 rate-limit answers. */
  rateLimited: number;
}

export interface RequestCounts {
  total: number;
  notModified: number;
  rateLimited: number;
  routes: Record<string, RouteCount>;
}

export class RequestCounter {
  private routes = new Map<string, RouteCount>();

  record(route: string, outcome: 'ok' | 'not-modified' | 'rate-limited'): void {
    const count = this.routes.get(route) ?? {
      total: 0,
      notModified: 0,
      rateLimited: 0,
    };
    count.total += 1;
    if (outcome === 'not-modified') count.notModified += 1;
    if (outcome === 'rate-limited') count.rateLimited += 1;
    this.routes.set(route, count);
  }

  snapshot(): RequestCounts {
    const routes: Record<string, RouteCount> = {};
    let total = 0;
    let notModified = 0;
    let rateLimited = 0;
    for (const [route, count] of [...this.routes.entries()].sort()) {
      routes[route] = { ...count };
      total += count.total;
      notModified += count.notModified;
      rateLimited += count.rateLimited;
    }
    return { total, notModified, rateLimited, routes };
  }

  count(route: string): number {
    return this.routes.get(route)?.total ?? 0;
  }

  reset(): void {
    this.routes.clear();
  }
}
