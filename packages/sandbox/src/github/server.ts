import { createHash, createHmac, randomBytes } from 'node:crypto';
import http from 'node:http';
import { listen, readBody } from '../http/listen';
import { ActionsEngine, LiveDeployJob } from './actionsEngine';
import { GitHubError } from './errors';
import { RateLimitControl, RateLimiter } from './rateLimit';
import { RequestCounter, RequestCounts } from './requestCounter';
import { RequestContext, RouteResult, Router } from './routing';
import { githubApiRoutes, signedDownloadRoutes } from './routes';
import { SandboxWorld } from '../world/sandboxWorld';
import { hostedWebUrl } from './hosting/hostedRepresentations';
import {
  HostedRepositoryRecord,
  RepositoryPush,
  RepositoryStore,
} from './hosting/repositoryStore';
import {
  gitRouteKey,
  matchGitRequest,
  serveGitRequest,
} from './hosting/smartHttp';
import { matchWebRequest, serveWebPage } from './hosting/webPages';

export interface GitHubServerOptions {
  host?: string;
  /** 0 (default) picks a free port. */
  port?: number;
  /** The world to serve; a fresh seeded world when omitted. */
  world?: SandboxWorld;
  /**
   * Multiplies the durations of jobs the sandbox runs live (approved deploys, re-runs).
   * Default 0.05: a 90 s deploy job takes about 4.5 s.
   */
  timeScale?: number;
  /**
   * Called when a deploy job the sandbox runs live (after an approval or a re-run) sets the
   * image, at the moment its "Set image" step starts — e.g. to roll the Kubernetes sandbox.
   */
  onDeploy?: (deploy: LiveDeployJob) => void;
  /** Called after a push updated a branch of a repository created through the API. */
  onPush?: (push: RepositoryPush) => void;
}

/** A repository created through the API (POST /orgs/{org}/repos, POST /user/repos). */
export interface HostedRepository {
  owner: string;
  name: string;
  private: boolean;
  defaultBranch: string;
  /** `http://localhost:<port>/<owner>/<name>`, the repository's html_url. */
  htmlUrl: string;
  /** `http://localhost:<port>/<owner>/<name>.git`, where git clones and pushes. */
  cloneUrl: string;
  /** The bare repository on disk (removed when the server closes). */
  barePath: string;
}

/** Repositories created through the API and their git content. */
export interface HostedRepositories {
  list(): HostedRepository[];
  get(owner: string, name: string): HostedRepository | undefined;
  /** A file's content at `ref` (default: the default branch); null when the repository, ref or file is missing. */
  readFile(
    owner: string,
    name: string,
    path: string,
    ref?: string,
  ): Promise<Buffer | null>;
}

export interface GitHubSandbox {
  /** Use as Octokit's `baseUrl` / Backstage `integrations.github[].apiBaseUrl`. */
  baseUrl: string;
  world: SandboxWorld;
  rateLimit: RateLimitControl;
  /** Repositories created through the API, served over git smart HTTP and the contents API. */
  repositories: HostedRepositories;
  requests: {
    snapshot(): RequestCounts;
    count(route: string): number;
    reset(): void;
  };
  close(): Promise<void>;
}

const ADMIN_PREFIX = '/_sandbox';

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

function tokenFrom(header: string | undefined): string | null | undefined {
  if (!header) return undefined;
  const match = /^(?:token|bearer)\s+(\S+)$/i.exec(header.trim());
  return match ? match[1] : null;
}

export async function startGitHubServer(
  options: GitHubServerOptions = {},
): Promise<GitHubSandbox> {
  const world = options.world ?? SandboxWorld.seeded();
  const router = new Router();
  router.add(...githubApiRoutes, ...signedDownloadRoutes);
  const repositories = new RepositoryStore();
  if (options.onPush) repositories.onPush(options.onPush);
  const limiter = new RateLimiter();
  const counter = new RequestCounter();
  const deployTimers = new Set<NodeJS.Timeout>();
  const engine = new ActionsEngine(() => world.state, {
    timeScale: options.timeScale ?? 0.05,
    onDeployJob: deploy => {
      if (!options.onDeploy) return;
      const timer = setTimeout(() => {
        deployTimers.delete(timer);
        options.onDeploy?.(deploy);
      }, Math.max(0, deploy.at - Date.now()));
      deployTimers.add(timer);
    },
  });
  const secret = randomBytes(16).toString('hex');
  let apiUrl = '';
  let requestSequence = 0;

  const sign = (path: string) => {
    const expires = Math.floor(Date.now() / 1000) + 60;
    const signature = createHmac('sha256', secret)
      .update(`${path}:${expires}`)
      .digest('hex');
    return `${apiUrl}${path}?expires=${expires}&signature=${signature}`;
  };
  const verifySignature = (url: URL) => {
    const expires = Number(url.searchParams.get('expires'));
    const expected = createHmac('sha256', secret)
      .update(`${url.pathname}:${expires}`)
      .digest('hex');
    return (
      url.searchParams.get('signature') === expected &&
      expires * 1000 >= Date.now()
    );
  };

  const send = (
    response: http.ServerResponse,
    status: number,
    headers: Record<string, string>,
    body?: Buffer | string,
  ) => {
    response.writeHead(status, headers);
    response.end(body);
  };

  const handleAdmin = async (
    request: http.IncomingMessage,
    url: URL,
    response: http.ServerResponse,
  ) => {
    const path = url.pathname.slice(ADMIN_PREFIX.length);
    const body =
      request.method === 'POST'
        ? (await readBody(request)).toString('utf8')
        : '';
    const input = body ? JSON.parse(body) : {};
    const reply = (status: number, value: unknown) =>
      send(
        response,
        status,
        { 'content-type': 'application/json; charset=utf-8' },
        JSON.stringify(value, null, 2),
      );
    if (path === '/requests' && request.method === 'GET')
      return reply(200, counter.snapshot());
    if (path === '/requests' && request.method === 'DELETE') {
      counter.reset();
      return reply(200, counter.snapshot());
    }
    if (path === '/rate-limit' && request.method === 'GET')
      return reply(200, limiter.status());
    if (path === '/rate-limit' && request.method === 'POST') {
      // { "mode": "primary" | "secondary" | "normal", "status": 403|429, "retryAfterSeconds": n, "requests": n, "limit": n }
      if (input.limit !== undefined) limiter.setLimit(Number(input.limit));
      if (input.mode === 'primary')
        limiter.exhaustPrimary({ resetInSeconds: input.resetInSeconds });
      else if (input.mode === 'secondary') limiter.triggerSecondary(input);
      else if (input.mode === 'normal') limiter.reset();
      return reply(200, limiter.status());
    }
    if (path === '/snapshot' && request.method === 'GET') {
      return send(
        response,
        200,
        { 'content-type': 'application/json; charset=utf-8' },
        world.toJSON(),
      );
    }
    if (path === '/reset' && request.method === 'POST') {
      world.reset();
      repositories.clear();
      counter.reset();
      limiter.reset();
      return reply(200, { reset: true });
    }
    return reply(404, {
      message: 'Not Found',
      documentation_url: 'https://docs.github.com/rest',
    });
  };

  const handler: http.RequestListener = (request, response) => {
    void (async () => {
      const url = new URL(request.url ?? '/', 'http://sandbox');
      requestSequence += 1;
      const requestId = `5AND:${requestSequence
        .toString(16)
        .toUpperCase()}:${Date.now().toString(16).toUpperCase()}`;
      if (
        url.pathname.startsWith(ADMIN_PREFIX) &&
        !url.pathname.startsWith(`${ADMIN_PREFIX}/downloads/`)
      ) {
        await handleAdmin(request, url, response);
        return;
      }
      const method = request.method ?? 'GET';
      const gitRequest = matchGitRequest(url.pathname);
      if (gitRequest) {
        counter.record(gitRouteKey(method, gitRequest), 'ok');
        await serveGitRequest(request, response, url, gitRequest, {
          store: repositories,
          tokens: () => world.state.githubTokens,
        });
        return;
      }
      const webRequest =
        method === 'GET' ? matchWebRequest(url.pathname) : null;
      if (
        webRequest &&
        (await serveWebPage(response, webRequest, repositories))
      )
        return;
      const matched = router.match(method, url.pathname);
      const routeKey =
        matched && 'route' in matched
          ? `${matched.route.method} ${matched.route.path}`
          : `${method} (unknown)`;
      const headers: Record<string, string> = {
        ...jsonHeaders(),
        'x-github-request-id': requestId,
      };
      const now = Date.now();

      const fail = (
        error: GitHubError,
        outcome: 'ok' | 'rate-limited' = 'ok',
      ) => {
        counter.record(routeKey, outcome);
        send(
          response,
          error.status,
          { ...headers, ...error.headers },
          JSON.stringify(error.body()),
        );
      };

      if (matched && 'route' in matched && matched.route.public) {
        if (!verifySignature(url)) {
          fail(new GitHubError(403, 'Signature expired or invalid'));
          return;
        }
        const ctx = {
          state: world.state,
          apiUrl,
          now,
          params: matched.params,
          query: url.searchParams,
          repositories,
        } as RequestContext;
        try {
          const result = await matched.route.handler(ctx);
          counter.record(routeKey, 'ok');
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

      const presented = tokenFrom(request.headers.authorization);
      const token = presented
        ? world.state.githubTokens.find(t => t.token === presented) ?? null
        : null;
      if (presented !== undefined && !token) {
        fail(
          new GitHubError(
            401,
            'Bad credentials',
            'https://docs.github.com/rest',
          ),
        );
        return;
      }
      const user = token
        ? world.state.users.find(u => u.login === token.login) ?? null
        : null;
      const window = limiter.window(
        token ? `token:${token.token}` : `ip:${request.socket.remoteAddress}`,
        now,
        Boolean(token),
      );
      Object.assign(headers, limiter.headers(window));

      const secondary = limiter.takeSecondary();
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
            user
              ? `API rate limit exceeded for user ID ${user.id}.`
              : `API rate limit exceeded for ${request.socket.remoteAddress}. (But here's the good news: Authenticated requests get a higher rate limit. Check out the documentation for more details.)`,
            'https://docs.github.com/rest/overview/rate-limits-for-the-rest-api',
          ),
          'rate-limited',
        );
        return;
      }

      const consume = () => {
        // GET /rate_limit is free on GitHub.
        if (
          matched &&
          'route' in matched &&
          matched.route.path === '/rate_limit'
        )
          return;
        window.used += 1;
        Object.assign(headers, limiter.headers(window));
      };

      try {
        if (!matched)
          throw new GitHubError(
            404,
            'Not Found',
            'https://docs.github.com/rest',
          );
        if ('methodNotAllowed' in matched)
          throw new GitHubError(
            404,
            'Not Found',
            'https://docs.github.com/rest',
          );
        const { route, params } = matched;
        // Private repository: without a token it does not exist.
        if (!token && route.path.startsWith('/repos/'))
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
            'Resource not accessible by personal access token',
            'https://docs.github.com/rest',
          );
        }
        const body =
          method === 'GET' || method === 'HEAD'
            ? Buffer.alloc(0)
            : await readBody(request);
        const ctx: RequestContext = {
          state: world.state,
          apiUrl,
          now,
          params,
          query: url.searchParams,
          body,
          headers: request.headers,
          token,
          user,
          engine,
          repositories,
          url,
          signDownload: sign,
          rateLimit: {
            limit: window.limit,
            remaining: Math.max(0, window.limit - window.used),
            reset: Math.ceil(window.resetAt / 1000),
            used: window.used,
          },
        };
        const result: RouteResult = await route.handler(ctx);
        const status = result.status ?? 200;
        Object.assign(headers, result.headers ?? {});
        if (status === 302) {
          consume();
          counter.record(routeKey, 'ok');
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
            .update(token?.token ?? '')
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
            counter.record(routeKey, 'not-modified');
            delete headers['content-type'];
            send(response, 304, headers);
            return;
          }
        }
        consume();
        counter.record(routeKey, 'ok');
        send(response, status, headers, payload);
      } catch (error) {
        if (error instanceof GitHubError) {
          consume();
          fail(error);
          return;
        }
        const message =
          error instanceof Error ? error.stack ?? error.message : String(error);
        counter.record(routeKey, 'ok');
        send(
          response,
          500,
          headers,
          JSON.stringify({ message: 'Server Error', detail: message }),
        );
      }
    })().catch(error => {
      if (!response.headersSent) {
        send(
          response,
          500,
          { 'content-type': 'application/json' },
          JSON.stringify({ message: String(error) }),
        );
      }
    });
  };

  const server = await listen(handler, {
    host: options.host ?? '127.0.0.1',
    port: options.port ?? 0,
  });
  apiUrl = server.url;
  const describe = (record: HostedRepositoryRecord): HostedRepository => {
    const htmlUrl = hostedWebUrl({ apiUrl }, record);
    return {
      owner: record.owner,
      name: record.name,
      private: record.private,
      defaultBranch: record.defaultBranch,
      htmlUrl,
      cloneUrl: `${htmlUrl}.git`,
      barePath: repositories.barePath(record),
    };
  };
  return {
    baseUrl: server.url,
    world,
    rateLimit: limiter,
    repositories: {
      list: () => repositories.list().map(describe),
      get: (owner, name) => {
        const record = repositories.find(owner, name);
        return record ? describe(record) : undefined;
      },
      readFile: async (owner, name, path, ref) => {
        const record = repositories.find(owner, name);
        if (!record) return null;
        return repositories
          .git(record)
          .readFile(path, ref ?? record.defaultBranch);
      },
    },
    requests: {
      snapshot: () => counter.snapshot(),
      count: route => counter.count(route),
      reset: () => counter.reset(),
    },
    close: () => {
      for (const timer of deployTimers) clearTimeout(timer);
      deployTimers.clear();
      return server.close().finally(() => repositories.close());
    },
  };
}
