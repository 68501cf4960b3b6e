import { GitHubError } from './errors';
import {
  RenderContext,
  RepositoryScope,
  worldRepositoryScope,
} from './representations/renderContext';
import { hostedRepositoryScope } from './representations/hostingRepresentations';
import { GitHubAppRecord, TokenRecord, UserRecord } from '../world/records';
import {
  RepositoryRecords,
  findRepository,
  recordsOf,
} from '../world/repositoryIndex';
import { ActionsEngine } from './actionsEngine';
import { DeploymentProtectionRules } from './protectionRules';
import { RepositoryStore } from './hosting/repositoryStore';
import { Hookshot } from './webhooks/hookshot';
import { WebhookSender } from './webhooks/webhookSender';

export interface RequestContext extends RenderContext {
  params: Record<string, string>;
  query: URLSearchParams;
  body: Buffer;
  headers: Record<string, string | string[] | undefined>;
  token: TokenRecord | null;
  user: UserRecord | null;
  /** The GitHub App the request's JWT authenticated (`Authorization: Bearer <JWT>`). */
  app: GitHubAppRecord | null;
  engine: ActionsEngine;
  /** Custom deployment protection rules: the Apps' answers to the runs waiting on them. */
  protectionRules: DeploymentProtectionRules;
  /** Repositories created through the API, with their git content. */
  repositories: RepositoryStore;
  /** Where hooks' deliveries go out from, and what tells them about changes. */
  webhooks: { sender: WebhookSender; hookshot: Hookshot };
  /** Full URL of the request, for pagination links. */
  url: URL;
  /** Signs sandbox download URLs (job logs, archives) like GitHub's short-lived blob links. */
  signDownload(path: string): string;
  /** The caller's primary rate-limit window. */
  rateLimit: { limit: number; remaining: number; reset: number; used: number };
}

export interface RouteResult {
  status?: number;
  body?: unknown;
  headers?: Record<string, string>;
  /** A non-JSON body (logs, zip archives). */
  raw?: { data: Buffer | string; contentType: string };
}

export interface Route {
  method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  path: string;
  /** Requires a token with write permission (re-run, cancel, review, upload). */
  write?: boolean;
  /** Serves without authentication (signed download URLs, /meta-like endpoints). */
  public?: boolean;
  /** Answers only a GitHub App authenticated by its JWT (GET /app, the installations' routes). */
  app?: boolean;
  handler(ctx: RequestContext): RouteResult | Promise<RouteResult>;
}

interface CompiledRoute extends Route {
  pattern: RegExp;
  names: string[];
}

export class Router {
  private routes: CompiledRoute[] = [];

  add(...routes: Route[]): void {
    for (const route of routes) {
      const names: string[] = [];
      const source = route.path
        .split('/')
        .map(segment =>
          segment.replace(/\{([a-z_]+)\}|[.*+?^$()|[\]\\]/g, (match, name) => {
            if (name) {
              names.push(name);
              // A contents path spans segments (`docs/index.md`); every other parameter is one.
              return name === 'path' ? '(.*)' : '([^/]+)';
            }
            return `\\${match}`;
          }),
        )
        .join('/')
        // The repository root's contents have no path at all: `/contents`.
        .replace('/(.*)', '(?:/(.*))?');
      this.routes.push({
        ...route,
        pattern: new RegExp(`^${source}/?$`),
        names,
      });
    }
  }

  match(
    method: string,
    pathname: string,
  ):
    | { route: CompiledRoute; params: Record<string, string> }
    | { methodNotAllowed: true }
    | null {
    let pathMatched = false;
    for (const route of this.routes) {
      const match = route.pattern.exec(pathname);
      if (!match) continue;
      pathMatched = true;
      if (
        route.method !== method &&
        !(method === 'HEAD' && route.method === 'GET')
      )
        continue;
      const params: Record<string, string> = {};
      route.names.forEach((name, index) => {
        params[name] = decodeURIComponent(match[index + 1] ?? '');
      });
      return { route, params };
    }
    return pathMatched ? { methodNotAllowed: true } : null;
  }
}

/**
 * The repository the URL's {owner}/{repo} names — the seeded one, a generated one or one created
 * through the API — which the rest of the request renders; 404 for any other.
 */
export function requireRepository(ctx: RequestContext): RepositoryScope {
  const held = findRepository(
    ctx.state,
    ctx.params.owner ?? '',
    ctx.params.repo ?? '',
  );
  if (held) {
    ctx.repository = worldRepositoryScope(ctx, held);
    return ctx.repository;
  }
  const hosted = ctx.repositories.find(ctx.params.owner, ctx.params.repo);
  if (!hosted) {
    throw new GitHubError(
      404,
      'Not Found',
      'https://docs.github.com/rest/repos/repos#get-a-repository',
    );
  }
  ctx.repository = hostedRepositoryScope(ctx, hosted);
  return ctx.repository;
}

/** The records of the repository the URL names (see requireRepository). */
export function repositoryRecords(ctx: RequestContext): RepositoryRecords {
  return recordsOf(ctx.state, requireRepository(ctx).id);
}

export function integerParam(ctx: RequestContext, name: string): number {
  const value = ctx.params[name];
  if (!/^\d+$/.test(value ?? '')) throw new GitHubError(404, 'Not Found');
  return Number(value);
}

export function jsonBody(
  ctx: RequestContext,
  documentationUrl: string,
): Record<string, unknown> {
  if (ctx.body.length === 0) return {};
  try {
    const parsed = JSON.parse(ctx.body.toString('utf8'));
    if (
      parsed === null ||
      typeof parsed !== 'object' ||
      Array.isArray(parsed)
    ) {
      throw new Error('not an object');
    }
    return parsed;
  } catch {
    throw new GitHubError(400, 'Problems parsing JSON', documentationUrl);
  }
}

/** Page of a list with GitHub's per_page (max 100, default 30) and page parameters and Link header. */
export function paginate<T>(
  ctx: RequestContext,
  items: readonly T[],
  options: { defaultPerPage?: number } = {},
) {
  const perPageRaw = Number.parseInt(ctx.query.get('per_page') ?? '', 10);
  const perPage = Math.min(
    100,
    Math.max(
      1,
      Number.isNaN(perPageRaw) ? options.defaultPerPage ?? 30 : perPageRaw,
    ),
  );
  const pageRaw = Number.parseInt(ctx.query.get('page') ?? '', 10);
  const page = Math.max(1, Number.isNaN(pageRaw) ? 1 : pageRaw);
  const lastPage = Math.max(1, Math.ceil(items.length / perPage));
  const pageItems = items.slice((page - 1) * perPage, page * perPage);
  const link = (target: number, rel: string) => {
    const url = new URL(ctx.url.toString());
    url.searchParams.set('per_page', String(perPage));
    url.searchParams.set('page', String(target));
    return `<${ctx.apiUrl}${url.pathname}${url.search}>; rel="${rel}"`;
  };
  const links: string[] = [];
  if (page > 1) links.push(link(page - 1, 'prev'));
  if (page < lastPage)
    links.push(link(page + 1, 'next'), link(lastPage, 'last'));
  if (page > 1) links.push(link(1, 'first'));
  const headers: Record<string, string> =
    links.length > 0 ? { link: links.join(', ') } : {};
  return { items: pageItems, headers };
}
