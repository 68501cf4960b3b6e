import { CacheService, LoggerService } from '@backstage/backend-plugin-api';
import http from 'node:http';
import { AddressInfo } from 'node:net';
import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { ServiceUnavailableError } from '@backstage/errors';
import { JsonValue } from '@backstage/types';
import {
  GITHUB_PORTAL_BOT_TOKEN,
  GitHubSandbox,
  startGitHubServer,
} from '@internal/sandbox';
import { readDeliveryConfig } from '../service/config';
import { GitHubLiveState } from '../events/gitHubLiveState';
import { CachedGitHub, nextLink } from './cachedGitHub';
import { CacheScope } from './cacheScopes';
import { GitHubClients } from './client';
import { RepositoryRef } from './types';

jest.setTimeout(60_000);

function memoryCache(): CacheService {
  const store = new Map<string, JsonValue>();
  const cache: CacheService = {
    get: async <T extends JsonValue>(key: string) =>
      store.get(key) as T | undefined,
    set: async (key, value) => {
      store.set(key, JSON.parse(JSON.stringify(value)));
    },
    delete: async key => {
      store.delete(key);
    },
    withOptions: () => cache,
  };
  return cache;
}

const repo: RepositoryRef = {
  host: 'github.sandbox.test',
  owner: 'acme-corp',
  name: 'titanic-service',
};
const RUNS = 'GET /repos/{owner}/{repo}/actions/runs';

/** Octokit clients for one GitHub integration, as the plugin configures them. */
function clientsFor(
  integration: { host: string; apiBaseUrl: string; token: string },
  logger: LoggerService,
): GitHubClients {
  const settings = readDeliveryConfig(
    new ConfigReader({ integrations: { github: [integration] } }),
  );
  return new GitHubClients({
    integrations: settings.github.integrations,
    defaultHost: settings.github.host,
    logger,
  });
}
const ALERTS = 'GET /repos/{owner}/{repo}/code-scanning/alerts';

describe('CachedGitHub against the sandbox GitHub', () => {
  let github: GitHubSandbox;
  let clock: number;

  beforeAll(async () => {
    github = await startGitHubServer();
  });

  afterAll(async () => {
    await github?.close();
  });

  beforeEach(() => {
    github.rateLimit.reset();
    github.requests.reset();
    clock = Date.now();
  });

  function reader(freshSeconds = 60) {
    const logger = mockServices.logger.mock();
    const clients = clientsFor(
      {
        host: repo.host,
        apiBaseUrl: github.baseUrl,
        token: GITHUB_PORTAL_BOT_TOKEN,
      },
      logger,
    );
    return new CachedGitHub({
      clients,
      cache: memoryCache(),
      logger,
      freshSeconds,
      keepSeconds: 3600,
      now: () => clock,
    });
  }

  it('answers repeated reads within the freshness window without calling GitHub', async () => {
    const cached = reader();
    for (let view = 0; view < 10; view++) {
      await cached.get(repo, RUNS, { per_page: 20 });
      clock += 5_000;
    }
    expect(github.requests.count(RUNS)).toBe(1);
  });

  it('shares one GitHub request among concurrent identical reads', async () => {
    const cached = reader();
    await Promise.all(
      Array.from({ length: 20 }, () =>
        cached.get(repo, RUNS, { per_page: 20 }),
      ),
    );
    expect(github.requests.count(RUNS)).toBe(1);
  });

  it('revalidates stale answers with If-None-Match and reuses the body on 304', async () => {
    const cached = reader();
    const first = await cached.get<{ total_count: number }>(repo, RUNS, {
      per_page: 20,
    });
    clock += 61_000;
    const second = await cached.get<{ total_count: number }>(repo, RUNS, {
      per_page: 20,
    });
    expect(second.data).toEqual(first.data);
    expect(second.freshness).toEqual({ validatedAt: clock, stale: false });
    expect(github.requests.snapshot().routes[RUNS]).toEqual({
      total: 2,
      notModified: 1,
      rateLimited: 0,
    });
  });

  it('follows Link headers past 100 alerts with no cap on pages', async () => {
    const cached = reader();
    const alerts = await cached.getAllPages<{ number: number }>(
      repo,
      ALERTS,
      {},
    );
    const numbers = new Set(alerts.data.map(a => a.number));
    expect(alerts.data.length).toBeGreaterThan(400);
    expect(numbers.size).toBe(alerts.data.length);
    expect(github.requests.count(ALERTS)).toBe(
      Math.ceil(alerts.data.length / 100),
    );
  });

  it('serves the last copy with its age when the primary rate limit is exhausted', async () => {
    const cached = reader();
    const fresh = await cached.get(repo, RUNS, { per_page: 20 });
    clock += 5 * 60_000;
    github.rateLimit.exhaustPrimary({ resetInSeconds: 600 });
    const stale = await cached.get(repo, RUNS, { per_page: 20 });
    expect(stale.data).toEqual(fresh.data);
    expect(stale.freshness).toMatchObject({
      validatedAt: fresh.freshness.validatedAt,
      stale: true,
      staleReason: 'GitHub rate limit reached; showing data from 5 min ago',
    });
    expect(stale.freshness.retryAt).toBeGreaterThan(Date.now());
    // Until the limit resets, further reads do not knock on GitHub's door again.
    clock += 1_000;
    await cached.get(repo, RUNS, { per_page: 20 });
    expect(github.requests.snapshot().routes[RUNS].rateLimited).toBe(1);
  });

  it('serves the last copy on a secondary rate limit (429 with Retry-After)', async () => {
    const cached = reader();
    await cached.get(repo, RUNS, { per_page: 5 });
    clock += 120_000;
    github.rateLimit.triggerSecondary({ status: 429, retryAfterSeconds: 30 });
    const stale = await cached.get(repo, RUNS, { per_page: 5 });
    expect(stale.freshness.stale).toBe(true);
    expect(stale.freshness.staleReason).toBe(
      'GitHub secondary rate limit; showing data from 2 min ago',
    );
    expect(stale.freshness.retryAt).toBe(clock + 30_000);
  });

  it('answers 503 with the reason and retry time when nothing is cached', async () => {
    const cached = reader();
    github.rateLimit.triggerSecondary({ status: 403, retryAfterSeconds: 45 });
    const error = await cached.get(repo, RUNS, { per_page: 7 }).catch(e => e);
    expect(error).toBeInstanceOf(ServiceUnavailableError);
    expect(error.details).toEqual({
      reason: 'rate-limited',
      retryAt: new Date(clock + 45_000).toISOString(),
      retryAfterSeconds: 45,
    });
  });

  it('computes derived values once and keeps only final ones', async () => {
    const cached = reader();
    const compute = jest.fn(async () => ({
      value: { reason: 'x' },
      final: false,
    }));
    await cached.remember('k', compute);
    await cached.remember('k', compute);
    expect(compute).toHaveBeenCalledTimes(2);
    const finalCompute = jest.fn(async () => ({
      value: { reason: 'y' },
      final: true,
    }));
    await cached.remember('k2', finalCompute);
    await expect(cached.remember('k2', finalCompute)).resolves.toEqual({
      reason: 'y',
    });
    expect(finalCompute).toHaveBeenCalledTimes(1);
  });
});

describe("CachedGitHub with GitHub's reports of changes", () => {
  let github: GitHubSandbox;
  let clock: number;
  const JOBS = 'GET /repos/{owner}/{repo}/actions/runs/{run_id}/jobs';

  beforeAll(async () => {
    github = await startGitHubServer();
  });

  afterAll(async () => {
    await github?.close();
  });

  beforeEach(() => {
    github.requests.reset();
    clock = Date.now();
  });

  /** A replica's reader: its own memory, the shared cache, its own view of GitHub's changes. */
  function replica(cache: CacheService) {
    const logger = mockServices.logger.mock();
    const changes = new GitHubLiveState({
      pollingFreshMs: 60_000,
      safetyNetMs: 300_000,
      now: () => clock,
    });
    const reader = new CachedGitHub({
      clients: clientsFor(
        {
          host: repo.host,
          apiBaseUrl: github.baseUrl,
          token: GITHUB_PORTAL_BOT_TOKEN,
        },
        logger,
      ),
      cache,
      logger,
      freshSeconds: 60,
      keepSeconds: 3600,
      changes,
      now: () => clock,
    });
    return { reader, changes };
  }

  const change = (scopes: CacheScope[]) => ({
    owner: repo.owner,
    name: repo.name,
    scopes,
    runs: [],
    jobs: [],
    changes: [],
  });

  it('asks GitHub again only for the answers a change outdates', async () => {
    const { reader, changes } = replica(memoryCache());
    const runs = await reader.get<{ workflow_runs: Array<{ id: number }> }>(
      repo,
      RUNS,
      { per_page: 5 },
    );
    const [one, two] = runs.data.workflow_runs.map(run => run.id);
    const read = () =>
      Promise.all([
        reader.get(repo, RUNS, { per_page: 5 }),
        reader.getAllPages(
          repo,
          JOBS,
          { run_id: one, filter: 'latest' },
          'jobs',
        ),
        reader.getAllPages(
          repo,
          JOBS,
          { run_id: two, filter: 'latest' },
          'jobs',
        ),
        reader.getAllPages(repo, ALERTS, {}),
      ]);
    await read();
    github.requests.reset();
    clock += 1_000;
    changes.apply(repo.host, change([`jobs:${one}`]));
    clock += 1_000;
    await read();
    const snapshot = github.requests.snapshot();
    expect(
      Object.entries(snapshot.routes).map(([route, count]) => [
        route,
        count.total,
      ]),
    ).toEqual([['GET /repos/{owner}/{repo}/actions/runs/{run_id}/jobs', 1]]);
    // Asked conditionally: unchanged jobs cost no rate limit.
    expect(snapshot.notModified).toBe(1);
  });

  it('takes the copy another replica validated since from the shared cache, without asking GitHub', async () => {
    const shared = memoryCache();
    const first = replica(shared);
    const second = replica(shared);
    await first.reader.get(repo, RUNS, { per_page: 5 });
    await second.reader.get(repo, RUNS, { per_page: 5 });
    expect(github.requests.count(RUNS)).toBe(1);
    clock += 1_000;
    first.changes.apply(repo.host, change(['runs']));
    second.changes.apply(repo.host, change(['runs']));
    clock += 1_000;
    await first.reader.get(repo, RUNS, { per_page: 5 });
    await second.reader.get(repo, RUNS, { per_page: 5 });
    // The second replica's memory copy is outdated; the first replica's new one is not.
    expect(github.requests.count(RUNS)).toBe(2);
  });
});

describe('CachedGitHub when GitHub fails', () => {
  it('serves the last copy at once and leaves GitHub alone for a while', async () => {
    let requests = 0;
    const server = http.createServer((_req, res) => {
      requests += 1;
      if (requests === 1) {
        res.writeHead(200, {
          'content-type': 'application/json',
          etag: '"v1"',
        });
        res.end(JSON.stringify({ total_count: 1, workflow_runs: [] }));
      } else {
        res.writeHead(502, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ message: 'Server Error' }));
      }
    });
    await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = server.address() as AddressInfo;
      const logger = mockServices.logger.mock();
      let clock = Date.now();
      const cached = new CachedGitHub({
        clients: clientsFor(
          {
            host: repo.host,
            apiBaseUrl: `http://127.0.0.1:${port}`,
            token: 't',
          },
          logger,
        ),
        cache: memoryCache(),
        logger,
        freshSeconds: 60,
        keepSeconds: 3600,
        now: () => clock,
      });
      await cached.get(repo, RUNS);
      clock += 120_000;
      const failed = await cached.get(repo, RUNS);
      expect(failed.freshness).toMatchObject({
        stale: true,
        staleReason: 'GitHub failed (502); showing data from 2 min ago',
      });
      const askedWhileFailing = requests;
      clock += 10_000;
      await cached.get(repo, RUNS);
      expect(requests).toBe(askedWhileFailing);
    } finally {
      server.close();
    }
  });
});

describe('Link headers', () => {
  it('finds the next page in a Link header', () => {
    expect(
      nextLink(
        '<https://api.github.com/x?page=2>; rel="next", <https://api.github.com/x?page=5>; rel="last"',
      ),
    ).toBe('https://api.github.com/x?page=2');
    expect(
      nextLink('<https://api.github.com/x?page=1>; rel="prev"'),
    ).toBeNull();
  });
});
