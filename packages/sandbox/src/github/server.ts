import http from 'node:http';
import { listen } from '../http/listen';
import { PORTAL_APP_ID, appsOf } from '../world/appSeed';
import { SandboxWorld } from '../world/sandboxWorld';
import { ActionsEngine, LiveDeployJob } from './actionsEngine';
import { serveApiRequest, tokenFrom } from './apiRequests';
import { AppKeys } from './apps/appKeys';
import { isExpired, usableToken } from './apps/installationTokens';
import { DownloadSigner } from './downloadSigner';
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
import { GRAPHQL_PATHS, serveGraphQLRequest } from './graphql/graphqlRequests';
import { OAuthApp, OAuthAuthority } from './oauth/oauthApps';
import { isOAuthPath, serveOAuthRequest } from './oauth/oauthPages';
import { RateLimitControl, RateLimiter } from './rateLimit';
import { RequestCounter, RequestCounts } from './requestCounter';
import { hostedWebUrl } from './representations/hostingRepresentations';
import { githubApiRoutes, signedDownloadRoutes } from './routes';
import { Router } from './routing';
import { DeploymentProtectionRules } from './protectionRules';
import { handleAdminRequest, isAdminPath } from './sandboxAdmin';
import { WorkflowRunner } from './runner/workflowRunner';
import { matchRunPage, serveRunPage } from './runner/runPages';
import { ClusterAccess } from './runner/stepTypes';
import { Hookshot } from './webhooks/hookshot';
import { DeliveryRecord, WebhookSender } from './webhooks/webhookSender';

/*
 * The GitHub sandbox server: one port answering the REST API (apiRequests.ts, also under GHES's
 * /api/v3 prefix), the GraphQL API (graphql/), the OAuth web flow (oauth/), git smart HTTP and
 * the web pages of repositories created through the API (hosting/), and the sandbox's own
 * switches (sandboxAdmin.ts).
 */

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
  /**
   * The workflows of repositories created through the API, run on every push (default on):
   * `realTests` runs the service's own npm scripts for real (minutes; default off), `cluster`
   * is where deploy jobs apply their manifests (none: they deploy nothing and say so).
   */
  workflows?: false | { realTests?: boolean; cluster?: ClusterAccess };
  /** OAuth Apps people can sign in to; default: the portal's (callback on localhost:7007). */
  oauthApps?: OAuthApp[];
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
  /** OAuth Apps of the web flow (/login/oauth/authorize, /login/oauth/access_token). */
  oauth: { register(app: OAuthApp): void };
  /** GitHub Apps (default: the titanic-portal App) as their owner sees them in their settings. */
  apps: {
    /**
     * The App's private key, PEM as GitHub's download (generated when first asked for and kept
     * while the server runs): what signs the JWTs the App authenticates with.
     */
    privateKey(appId?: number): string;
  };
  /** The webhooks' side: what was delivered, and payloads the schemas refused (none, or a bug). */
  webhooks: {
    /** A hook's recent deliveries, newest first. */
    deliveries(hookId: number): DeliveryRecord[];
    problems: readonly string[];
    /** Resolves once every delivery so far has been answered. */
    idle(): Promise<void>;
  };
  close(): Promise<void>;
}

export async function startGitHubServer(
  options: GitHubServerOptions = {},
): Promise<GitHubSandbox> {
  const world = options.world ?? SandboxWorld.seeded();
  const router = new Router();
  router.add(...githubApiRoutes, ...signedDownloadRoutes);
  const repositories = new RepositoryStore();
  let apiUrl = '';
  const sender = new WebhookSender(() => world.state);
  const hookshot = new Hookshot({
    state: () => world.state,
    repositories,
    apiUrl: () => apiUrl,
    sender,
  });
  // The push event goes out before the events of the runs the push starts.
  repositories.onPush(push => {
    hookshot.pushed(push).catch(error => {
      process.stderr.write(
        `sandbox: could not tell hooks of a push: ${error}\n`,
      );
    });
  });
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
  const oauth = new OAuthAuthority(() => world.state, options.oauthApps);
  const protectionRules = new DeploymentProtectionRules({
    state: () => world.state,
    sender,
    payloadContext: () => ({
      state: world.state,
      apiUrl,
      now: Date.now(),
      repositories,
    }),
  });
  const runner =
    options.workflows === false
      ? undefined
      : new WorkflowRunner({
          world,
          store: repositories,
          apiUrl: () => apiUrl,
          timeScale: options.timeScale ?? 0.05,
          realTests: options.workflows?.realTests ?? false,
          cluster: options.workflows?.cluster,
          protectionRules,
          onRunStarted: id => hookshot.touch(id),
        });
  if (runner) {
    repositories.onPush(push => runner.onPush(push));
    engine.attachLiveRuns(runner);
  }
  let requestSequence = 0;
  const appKeys = new AppKeys();
  const api = {
    world,
    router,
    limiter,
    counter,
    engine,
    protectionRules,
    runner,
    repositories,
    downloads: new DownloadSigner(() => apiUrl),
    webhooks: { sender, hookshot },
    appKeys,
    apiUrl: () => apiUrl,
  };

  const handler: http.RequestListener = (request, response) => {
    void (async () => {
      const url = new URL(request.url ?? '/', 'http://sandbox');
      // GitHub Enterprise Server serves the REST API under /api/v3; clients configured with an
      // enterprise URL (Backstage's GitHub sign-in among them) call it there.
      if (url.pathname.startsWith('/api/v3/')) {
        url.pathname = url.pathname.slice('/api/v3'.length);
      }
      requestSequence += 1;
      const requestId = `5AND:${requestSequence
        .toString(16)
        .toUpperCase()}:${Date.now().toString(16).toUpperCase()}`;
      if (isAdminPath(url.pathname)) {
        await handleAdminRequest(request, url, response, api);
        return;
      }
      const method = request.method ?? 'GET';
      if (isOAuthPath(url.pathname)) {
        counter.record(`${method} ${url.pathname}`, 'ok');
        await serveOAuthRequest(request, response, url, oauth);
        return;
      }
      if (GRAPHQL_PATHS.includes(url.pathname)) {
        const presented = tokenFrom(request.headers.authorization);
        const token = presented
          ? usableToken(world.state.githubTokens, presented, Date.now())
          : undefined;
        if (presented !== undefined && !token) {
          counter.record('POST /graphql', 'ok');
          response.writeHead(401, { 'content-type': 'application/json' });
          response.end(
            JSON.stringify({
              message: 'Bad credentials',
              documentation_url: 'https://docs.github.com/graphql',
            }),
          );
          return;
        }
        counter.record('POST /graphql', 'ok');
        await serveGraphQLRequest(
          request,
          response,
          world.state,
          token ?? null,
        );
        return;
      }
      const gitRequest = matchGitRequest(url.pathname);
      if (gitRequest) {
        counter.record(gitRouteKey(method, gitRequest), 'ok');
        await serveGitRequest(request, response, url, gitRequest, {
          store: repositories,
          tokens: () =>
            world.state.githubTokens.filter(t => !isExpired(t, Date.now())),
        });
        return;
      }
      const runPage = method === 'GET' ? matchRunPage(url.pathname) : null;
      if (
        runPage &&
        serveRunPage(response, runPage, repositories, world.state, Date.now())
      )
        return;
      const webRequest =
        method === 'GET' ? matchWebRequest(url.pathname) : null;
      if (
        webRequest &&
        (await serveWebPage(response, webRequest, repositories))
      )
        return;
      await serveApiRequest(request, response, url, requestId, api);
    })().catch(error => {
      if (!response.headersSent) {
        response.writeHead(500, { 'content-type': 'application/json' });
        response.end(JSON.stringify({ message: String(error) }));
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
    oauth: { register: app => oauth.register(app) },
    apps: {
      privateKey: (appId = PORTAL_APP_ID) => {
        if (!appsOf(world.state).apps.some(app => app.id === appId))
          throw new Error(`The sandbox has no GitHub App ${appId}`);
        return appKeys.privateKeyPem(appId);
      },
    },
    webhooks: {
      deliveries: hookId => sender.recent(hookId),
      problems: sender.problems,
      idle: () => sender.idle(),
    },
    close: async () => {
      for (const timer of deployTimers) clearTimeout(timer);
      deployTimers.clear();
      hookshot.close();
      await runner?.reset();
      await sender.close();
      await server.close().finally(() => repositories.close());
    },
  };
}
