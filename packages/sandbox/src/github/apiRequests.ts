import { createHash } from 'node:crypto';
import http from 'node:http';
import { readBody } from '../http/listen';
import { appsOf } from '../world/appSeed';
import { GitHubAppRecord, TokenRecord, UserRecord } from '../world/records';
import { SandboxWorld } from '../world/sandboxWorld';
import { ActionsEngine } from './actionsEngine';
import { AppKeys } from './apps/appKeys';
import { JWT_MESSAGES, isJwtShaped, verifyAppJwt } from './apps/appJwt';
import { usableToken } from './apps/installationTokens';
import { DeploymentProtectionRules } from './protectionRules';
import { DownloadSigner } from './downloadSigner';
import { GitHubError } from './errors';
import { RepositoryStore } from './hosting/repositoryStore';
import { RateLimiter } from './rateLimit';
import { RequestCounter } from './requestCounter';
import { RequestContext, RouteResult, Router } from './routing';
import { Hookshot } from './webhooks/hookshot';
import { WebhookSender } from './webhooks/webhookSender';

/*
 * One GitHub REST request, as api.github.com answers it: signed downloads, token
 * authentication (or a GitHub App's JWT: apps/appJwt.ts), primary and secondary rate limits,
 * read/write permissions, weak ETags with 304s that cost nothing, and errors in GitHub's JSON
 * shape. The routes only map a request to the world.
 */

const DOCS = 'https://docs.github.com/rest';

/** What the REST layer of one GitHub server works with. */
export interface GitHubApi {
  world: SandboxWorld;
  router: Router;
  limiter: RateLimiter;
  counter: RequestCounter;
  engine: ActionsEngine;
  protectionRules: DeploymentProtectionRules;
  repositories: RepositoryStore;
  downloads: DownloadSigner;
  webhooks: { sender: WebhookSender; hookshot: Hookshot };
  /** The Apps' key pairs: their JWTs are checked against the public halves. */
  appKeys: AppKeys;
  /** The server's base URL, known once it listens. */
  apiUrl(): string;
}

function send(
  response: http.ServerResponse,
  status: number,
  headers: Record<string, string>,
  body?: Buffer | string,
) {
  response.writeHead(status, headers);
  response.end(body);
}

function jsonHeaders(): Record<string, string> {
  return {
    'content-type': 'application/json; charset=utf-8',
    'x-github-api-version-selected': '2022-11-28',
    'x-github-media-type': 'github.v3; format=json',
    'access-control-allow-origin': '*',
    'access-control-expose-headers':
      'ETag, Link, Location, Retry-After, X-GitHub-OTP, X-RateLimit-Limit, X-RateLimit-Remaining, X-RateLimit-Used, X-RateLimit-Resource, X-RateLimit-Reset, X-OAuth-Scopes, X-Accepted-OAuth-Scopes, X-Poll-Interval, X-GitHub-Media-Type, X-GitHub-SSO, X-GitHub-Request-Id, Deprecation, Sunset',
    'x-content-type-options': 'nosniff',
  };
}

/** The token an Authorization header presents: undefined without one, null when malformed. */
export function tokenFrom(
  header: string | undefined,
): string | null | undefined {
  if (!header) return undefined;
  const match = /^(?:token|bearer)\s+(\S+)$/i.exec(header.trim());
  return match ? match[1] : null;
}

/**
 * Who presents `presented`: a GitHub App by its JWT, the owner of a token, or nobody (neither,
 * when nothing was presented); a JWT GitHub would refuse, or an unknown or expired token, is 401.
 */
function authenticate(
  presented: string | null | undefined,
  server: GitHubApi,
  now: number,
):
  | { app: GitHubAppRecord | null; token: TokenRecord | null }
  | { error: GitHubError } {
  if (presented === undefined) return { app: null, token: null };
  if (presented && isJwtShaped(presented)) {
    const verified = verifyAppJwt(
      presented,
      appsOf(server.world.state).apps,
      appId => server.appKeys.publicKey(appId),
      now,
    );
    return 'error' in verified
      ? { error: new GitHubError(401, verified.error, DOCS) }
      : { app: verified.app, token: null };
  }
  const token = presented
    ? usableToken(server.world.state.githubTokens, presented, now)
    : undefined;
  return token
    ? { app: null, token }
    : { error: new GitHubError(401, 'Bad credentials', DOCS) };
}

/** Whose primary rate limit was exceeded, in GitHub's words. */
function rateLimitExceeded(
  credential: string,
  user: UserRecord | null,
  address: string,
): string {
  const [kind, id] = credential.split(':');
  if (kind === 'installation' || kind === 'app')
    return `API rate limit exceeded for ${kind} ID ${id}.`;
  if (user) return `API rate limit exceeded for user ID ${user.id}.`;
  return `API rate limit exceeded for ${address}. (But here's the good news: Authenticated requests get a higher rate limit. Check out the documentation for more details.)`;
}

export async function serveApiRequest(
  request: http.IncomingMessage,
  response: http.ServerResponse,
  url: URL,
  requestId: string,
  server: GitHubApi,
): Promise<void> {
  const method = request.method ?? 'GET';
  const matched = server.router.match(method, url.pathname);
  const routeKey =
    matched && 'route' in matched
      ? `${matched.route.method} ${matched.route.path}`
      : `${method} (unknown)`;
  const headers: Record<string, string> = {
    ...jsonHeaders(),
    'x-github-request-id': requestId,
  };
  const now = Date.now();

  const fail = (error: GitHubError, outcome: 'ok' | 'rate-limited' = 'ok') => {
    server.counter.record(routeKey, outcome);
    send(
      response,
      error.status,
      { ...headers, ...error.headers },
      JSON.stringify(error.body()),
    );
  };

  if (matched && 'route' in matched && matched.route.public) {
    if (!server.downloads.verify(url)) {
      fail(new GitHubError(403, 'Signature expired or invalid'));
      return;
    }
    const ctx = {
      state: server.world.state,
      apiUrl: server.apiUrl(),
      now,
      params: matched.params,
      query: url.searchParams,
      repositories: server.repositories,
    } as RequestContext;
    try {
      const result = await matched.route.handler(ctx);
      server.counter.record(routeKey, 'ok');
      send(
        response,
        200,
        {
          ...result.headers,
          'content-type': result.raw!.contentType,
          'x-github-request-id': requestId,
        },
        result.raw!.data,
      );
    } catch (error) {
      if (error instanceof GitHubError) fail(error);
      else throw error;
    }
    return;
  }

  const caller = authenticate(
    tokenFrom(request.headers.authorization),
    server,
    now,
  );
  if ('error' in caller) {
    fail(caller.error);
    return;
  }
  const { app, token } = caller;
  const user = token
    ? server.world.state.users.find(u => u.login === token.login) ?? null
    : null;
  // Tokens from the OAuth web flow say which scopes they carry, as GitHub's do.
  if (token?.scopes) headers['x-oauth-scopes'] = token.scopes.join(', ');
  // An App's requests count against the App, an installation's against the installation.
  let credential = `ip:${request.socket.remoteAddress}`;
  if (app) credential = `app:${app.id}`;
  else if (token?.installationId !== undefined)
    credential = `installation:${token.installationId}`;
  else if (token) credential = `token:${token.token}`;
  const window = server.limiter.window(credential, now, Boolean(token || app));
  Object.assign(headers, server.limiter.headers(window));

  const secondary = server.limiter.takeSecondary();
  if (secondary) {
    fail(
      new GitHubError(
        secondary.status,
        `You have exceeded a secondary rate limit. Please wait a few minutes before you try again. If you reach out to GitHub Support for help, please include the request ID ${requestId}.`,
        'https://docs.github.com/free-pro-team@latest/rest/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits',
        {},
        { 'retry-after': String(secondary.retryAfterSeconds) },
      ),
      'rate-limited',
    );
    return;
  }
  if (window.used >= window.limit) {
    fail(
      new GitHubError(
        403,
        rateLimitExceeded(
          credential,
          user,
          request.socket.remoteAddress ?? 'unknown',
        ),
        'https://docs.github.com/rest/overview/rate-limits-for-the-rest-api',
      ),
      'rate-limited',
    );
    return;
  }

  const consume = () => {
    // GET /rate_limit is free on GitHub.
    if (matched && 'route' in matched && matched.route.path === '/rate_limit')
      return;
    window.used += 1;
    Object.assign(headers, server.limiter.headers(window));
  };

  try {
    if (!matched)
      throw new GitHubError(404, 'Not Found', 'https://docs.github.com/rest');
    if ('methodNotAllowed' in matched)
      throw new GitHubError(404, 'Not Found', 'https://docs.github.com/rest');
    const { route, params } = matched;
    // The App's own routes want its JWT; with its JWT the App may do nothing else.
    if (route.app && !app)
      throw new GitHubError(401, JWT_MESSAGES.undecodable, DOCS);
    if (app && !route.app)
      throw new GitHubError(
        403,
        'Resource not accessible by integration',
        DOCS,
      );
    // Private repository: without a token it does not exist.
    if (!token && !app && route.path.startsWith('/repos/'))
      throw new GitHubError(
        404,
        'Not Found',
        'https://docs.github.com/rest/repos/repos#get-a-repository',
      );
    if (route.write && !token)
      throw new GitHubError(
        401,
        'Requires authentication',
        'https://docs.github.com/rest',
      );
    if (route.write && token?.permission !== 'write') {
      throw new GitHubError(
        403,
        token?.installationId === undefined
          ? 'Resource not accessible by personal access token'
          : 'Resource not accessible by integration',
        DOCS,
      );
    }
    const body =
      method === 'GET' || method === 'HEAD'
        ? Buffer.alloc(0)
        : await readBody(request);
    const ctx: RequestContext = {
      state: server.world.state,
      apiUrl: server.apiUrl(),
      now,
      params,
      query: url.searchParams,
      body,
      headers: request.headers,
      token,
      user,
      app,
      engine: server.engine,
      protectionRules: server.protectionRules,
      repositories: server.repositories,
      webhooks: server.webhooks,
      url,
      signDownload: path => server.downloads.sign(path),
      rateLimit: {
        limit: window.limit,
        remaining: Math.max(0, window.limit - window.used),
        reset: Math.ceil(window.resetAt / 1000),
        used: window.used,
      },
    };
    const result: RouteResult = await route.handler(ctx);
    // A write may have changed the repository: its hooks hear of it.
    if (method !== 'GET' && ctx.repository) {
      server.webhooks.hookshot.touch(ctx.repository.id);
    }
    const status = result.status ?? 200;
    Object.assign(headers, result.headers ?? {});
    if (status === 302) {
      consume();
      server.counter.record(routeKey, 'ok');
      delete headers['content-type'];
      send(response, 302, headers);
      return;
    }
    // Raw media types (file contents) answer the bytes themselves.
    if (result.raw) headers['content-type'] = result.raw.contentType;
    const payload = result.raw
      ? result.raw.data
      : JSON.stringify(result.body ?? null);
    if (method === 'GET' && status === 200) {
      const etag = `W/"${createHash('sha256')
        .update(payload)
        .update(app ? credential : token?.token ?? '')
        .digest('hex')
        .slice(0, 64)}"`;
      headers.etag = etag;
      headers['cache-control'] = 'private, max-age=60, s-maxage=60';
      headers.vary =
        'Accept, Authorization, Cookie, X-GitHub-OTP, Accept-Encoding, Accept, X-Requested-With';
      const conditional = request.headers['if-none-match'];
      if (
        conditional &&
        conditional
          .split(',')
          .map(v => v.trim())
          .includes(etag)
      ) {
        // A 304 does not count against the rate limit.
        server.counter.record(routeKey, 'not-modified');
        delete headers['content-type'];
        send(response, 304, headers);
        return;
      }
    }
    consume();
    server.counter.record(routeKey, 'ok');
    send(response, status, headers, payload);
  } catch (error) {
    if (error instanceof GitHubError) {
      consume();
      fail(error);
      return;
    }
    const message =
      error instanceof Error ? error.stack ?? error.message : String(error);
    server.counter.record(routeKey, 'ok');
    send(
      response,
      500,
      headers,
      JSON.stringify({ message: 'Server Error', detail: message }),
    );
  }
}
