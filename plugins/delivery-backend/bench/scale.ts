/*
 * Scale benchmark: `yarn bench:scale` (root) or `yarn workspace @internal/plugin-delivery-backend
 * bench:scale`. Not a test: it prints figures.
 *
 * A sandbox organisation of BENCH_SERVICES generated services (default 1,000; addScaleServices)
 * and the delivery portal as one production replica (PostgreSQL, events backend, signed webhook
 * ingress, signals). BENCH_VIEWERS concurrent viewers (default 100) open random services'
 * Overview, Pipeline, Security or Deployments tab — the delivery API requests those pages make —
 * with BENCH_THINK_MS (default 2,000) mean think time — after every service's pages were opened
 * once (BENCH_CRAWLERS at a time, default 16: a portal that has been up a while) and
 * BENCH_WARMUP_SECONDS (default 10) — for a steady BENCH_SECONDS (default 60), while a changer approves waiting production deployments and
 * re-runs failed jobs through the sandbox's REST API every BENCH_CHANGE_EVERY_MS (default 3,000)
 * as bob would, and a page per change (freshnessWatchers.ts) waits to show it, up to
 * BENCH_DRAIN_SECONDS (default 60) after the steady period. The overview is measured once every
 * service's history is read, or after BENCH_OVERVIEW_WAIT_SECONDS (default 120).
 *
 * Two phases on the same world and load: (a) polling only — no webhook is registered, so the
 * backend re-asks GitHub after delivery.cache.freshSeconds (60) and pages poll every 60 s; (b)
 * webhooks on — an organisation webhook is registered as a person would on GitHub (POST
 * /orgs/{org}/hooks), so the backend trusts cached answers for the safety net
 * (delivery.webhooks.safetyNetSeconds, 300) while deliveries arrive and pages refetch on signals.
 * Both phases run the same configuration: "webhooks active" is not a setting but the backend
 * hearing deliveries (GitHubLiveState.live), as in a real deployment. Then the Delivery overview
 * (GET insights/overview) is measured on the same world, and the approvals inbox (GET approvals,
 * its first page, and approvals/count, the sidebar's badge) as someone who may approve every
 * service.
 *
 * The backend's cache is a Redis capped as `scripts/portal --production` caps it (redisCache.ts),
 * emptied before each phase. GitHub calls are counted as GitHub charges them: 304 answers to
 * conditional requests are free, and printed apart.
 *
 * The sandbox runs in a child process (scaleSandbox.ts): in this process its CPU would count as
 * the portal's latency. The viewers, changer and watchers share this process with the backend, so
 * the latencies include their (small) client-side cost. GitHub calls are read from the sandbox's
 * request counters (/_sandbox/requests) over the steady period, minus the changer's own calls,
 * and projected to an hour.
 */
import './jestGlobals';
import { mockCredentials } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import {
  ApprovalsCountResponse,
  ApprovalsInboxResponse,
  DeliveryRouteName,
  OverviewResponse,
  RunHistoryResponse,
  deliveryPath,
} from '@internal/plugin-delivery-common';
import {
  GITHUB_DEVELOPER_TOKEN,
  GITHUB_ORG_ADMIN_TOKEN,
  REPOSITORY_OWNER,
  ScaleService,
} from '@internal/sandbox';
import { Octokit } from '@octokit/rest';
import { HOOK_EVENTS } from '../src/events/gitHubChanges';
import { GITHUB_HOST, readFrom } from '../src/__testUtils__/entities';
import { WEBHOOK_SECRET } from '../src/__testUtils__/gitHubWebhooks';
import { PostgresServer } from '../src/__testUtils__/postgresServer';
import {
  DeliveryBackend,
  startDeliveryBackend,
} from '../src/__testUtils__/startDeliveryBackend';
import { browseUntil, load, percentiles } from './concurrentViewers';
import { FreshnessResult, FreshnessWatchers } from './freshnessWatchers';
import { REDIS_MAX_MEMORY, RedisCache, startRedisCache } from './redisCache';
import {
  SandboxProcess,
  remoteSandbox,
  requestCounts,
  startSandboxProcess,
} from './sandboxProcess';

const SERVICES = Number(process.env.BENCH_SERVICES ?? 1000);
const VIEWERS = Number(process.env.BENCH_VIEWERS ?? 100);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 60);
const WARMUP_SECONDS = Number(process.env.BENCH_WARMUP_SECONDS ?? 10);
/** How many pages at once open every service once before the phase (BENCH_CRAWLERS). */
const CRAWLERS = Number(process.env.BENCH_CRAWLERS ?? 16);
const DRAIN_SECONDS = Number(process.env.BENCH_DRAIN_SECONDS ?? 60);
const OVERVIEW_WAIT_SECONDS = Number(
  process.env.BENCH_OVERVIEW_WAIT_SECONDS ?? 120,
);
const THINK_MS = Number(process.env.BENCH_THINK_MS ?? 2000);
/**
 * BENCH_ONLY=inbox skips the two load phases: the overview (which reads every history) and the
 * approvals inbox on a freshly started portal, for working on those two alone.
 */
const ONLY = process.env.BENCH_ONLY;
const CHANGE_EVERY_MS = Number(process.env.BENCH_CHANGE_EVERY_MS ?? 3000);
/** useDeliveryLive's SAFETY_NET_POLL_MS: how often an idle page refetches. */
const PAGE_POLL_MS = 60_000;
const VIEWER = 'user:default/alice';

/** The delivery API requests each entity tab makes when it opens (see plugins/delivery hooks). */
const PAGES: Record<string, DeliveryRouteName[]> = {
  overview: ['dashboard', 'environments'],
  pipeline: ['runs'],
  security: ['trend', 'findings'],
  deployments: ['environments', 'audit'],
};

// eslint-disable-next-line no-console
const say = (line: string) => console.log(line);
const random = () => Math.random();
const pick = <T>(items: readonly T[]): T =>
  items[Math.floor(random() * items.length)];
const sleep = (ms: number) => new Promise(resolve => setTimeout(resolve, ms));
const megabytes = (bytes: number) => Math.round(bytes / 1048576);

function entity(service: ScaleService): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name: service.name,
      namespace: 'default',
      annotations: {
        ...readFrom(`${service.owner}/${service.name}`),
        'github.com/project-slug': `${service.owner}/${service.name}`,
      },
    },
    spec: {
      type: 'service',
      lifecycle: 'production',
      owner: `group:default/team-${Number(service.name.split('-').pop()) % 40}`,
    },
  };
}

/** The pool of runs a changer may act on: each waiting or failed run is changed once. */
function changePool(services: ScaleService[]) {
  const waiting = services.flatMap(s =>
    s.waitingRunIds.map(runId => ({ service: s, runId })),
  );
  const failed = services.flatMap(s =>
    s.failedRunIds.map(runId => ({ service: s, runId })),
  );
  const take = <T>(list: T[]) =>
    list.length
      ? list.splice(Math.floor(random() * list.length), 1)[0]
      : undefined;
  return { approval: () => take(waiting), rerun: () => take(failed) };
}

type Pool = ReturnType<typeof changePool>;

/** Makes one change as bob: approves a waiting production deployment or re-runs failed jobs. */
async function makeChange(
  octokit: Octokit,
  pool: Pool,
  approve: boolean,
  watchers: FreshnessWatchers,
): Promise<number> {
  const target = approve ? pool.approval() : pool.rerun();
  if (!target) return 0;
  const repo = { owner: target.service.owner, repo: target.service.name };
  if (approve) {
    const { data: pending } =
      await octokit.rest.actions.getPendingDeploymentsForRun({
        ...repo,
        run_id: target.runId,
      });
    await octokit.rest.actions.reviewPendingDeploymentsForRun({
      ...repo,
      run_id: target.runId,
      environment_ids: pending.map(p => p.environment.id!),
      state: 'approved',
      comment: 'Approved by the scale benchmark',
    });
  } else {
    await octokit.rest.actions.reRunWorkflowFailedJobs({
      ...repo,
      run_id: target.runId,
    });
  }
  watchers.watch({
    component: target.service.name,
    runId: target.runId,
    acceptedAt: Date.now(),
    shows: approve
      ? run => run.status !== 'waiting'
      : run => run.runAttempt >= 2,
  });
  return approve ? 2 : 1;
}

interface PhaseResult {
  label: string;
  p95: number;
  callsPerHour: number;
  freshness: FreshnessResult;
}

async function runPhase(options: {
  label: string;
  webhooks: boolean;
  sandbox: SandboxProcess;
  postgres: PostgresServer;
  entities: Entity[];
  pool: Pool;
  redis: RedisCache;
}): Promise<{ result: PhaseResult; portal: DeliveryBackend } | undefined> {
  const { ready } = options.sandbox;
  await options.redis.flush();
  const portal = await startDeliveryBackend({
    sandbox: remoteSandbox(options.sandbox),
    postgres: options.postgres,
    entities: options.entities,
    redisCache: options.redis.url,
  });
  const bob = new Octokit({
    auth: GITHUB_DEVELOPER_TOKEN,
    baseUrl: ready.github,
  });
  if (options.webhooks) {
    // As an owner of the organisation adds a webhook on GitHub.
    const owner = new Octokit({
      auth: GITHUB_ORG_ADMIN_TOKEN,
      baseUrl: ready.github,
    });
    try {
      await owner.request('POST /orgs/{org}/hooks', {
        org: REPOSITORY_OWNER,
        name: 'web',
        active: true,
        events: [...HOOK_EVENTS],
        config: {
          url: `${portal.baseUrl}/api/events/http/github`,
          content_type: 'json',
          secret: WEBHOOK_SECRET,
          insecure_ssl: '0',
        },
      });
    } catch (error) {
      const status = (error as { status?: number }).status;
      say(
        status === 404
          ? `${options.label}: webhooks unavailable in this sandbox (POST /orgs/{org}/hooks answered 404); phase skipped`
          : `${options.label}: could not register the organisation webhook (${
              status ?? error
            }); phase skipped`,
      );
      await portal.close();
      return undefined;
    }
  }
  const authorization = mockCredentials.user.header(VIEWER);
  const latencies: number[] = [];
  let failures = 0;
  let firstFailure: string | undefined;
  const get = async (route: DeliveryRouteName, name: string) => {
    const path = deliveryPath(route, {
      kind: 'component',
      namespace: 'default',
      name,
    } as never);
    const t0 = performance.now();
    const response = await fetch(`${portal.baseUrl}/api/delivery${path}`, {
      headers: { authorization },
    });
    const body = await response.json();
    if (response.status !== 200) {
      failures += 1;
      firstFailure ??= `${response.status} ${JSON.stringify(body).slice(
        0,
        200,
      )}`;
    }
    return { ms: performance.now() - t0, body };
  };
  const visit = (record: boolean) => async () => {
    const name = pick(ready.services).name;
    const timings = await Promise.all(
      PAGES[pick(Object.keys(PAGES))].map(route => get(route, name)),
    );
    if (record) latencies.push(...timings.map(t => t.ms));
  };
  const think = () => THINK_MS * (0.5 + random());

  const memory = async () => {
    const own = process.memoryUsage();
    const sandbox = await options.sandbox.memory();
    return `backend+bench rss=${megabytes(own.rss)} MB heap=${megabytes(
      own.heapUsed,
    )} MB, cache (Redis, maxmemory ${REDIS_MAX_MEMORY}) ${await options.redis.usedMb()} MB, sandbox rss=${
      sandbox.rssMb
    } MB heap=${sandbox.heapMb} MB`;
  };
  const memoryBefore = await memory();
  // A portal that has been up a while: every service's pages were opened once before.
  const crawlStarted = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: CRAWLERS }, async () => {
      while (next < ready.services.length) {
        const { name } = ready.services[next++];
        for (const route of new Set(Object.values(PAGES).flat())) {
          await get(route, name);
        }
      }
    }),
  );
  const crawlSeconds = Math.round((performance.now() - crawlStarted) / 1000);
  failures = 0;
  firstFailure = undefined;
  await browseUntil(
    VIEWERS,
    Date.now() + WARMUP_SECONDS * 1000,
    visit(false),
    think,
  );

  const watchers = new FreshnessWatchers({
    fetchRuns: async name =>
      ((await get('runs', name)).body as RunHistoryResponse).runs ?? [],
    signals: portal.signals,
    pollMs: PAGE_POLL_MS,
    random,
  });
  await requestCounts(ready.github, true);
  const started = Date.now();
  const until = started + SECONDS * 1000;
  let changerCalls = 0;
  let changes = 0;
  const changer = (async () => {
    while (Date.now() < until) {
      changerCalls += await makeChange(
        bob,
        options.pool,
        changes % 2 === 0,
        watchers,
      );
      changes += 1;
      await sleep(CHANGE_EVERY_MS);
    }
  })();
  const visits = await browseUntil(VIEWERS, until, visit(true), think);
  await changer;
  const counts = await requestCounts(ready.github);
  const steadySeconds = (Date.now() - started) / 1000;
  const drainUntil = Date.now() + DRAIN_SECONDS * 1000;
  while (watchers.waiting > 0 && Date.now() < drainUntil) await sleep(100);
  const freshness = watchers.stop();
  const memoryAfter = await memory();

  const portalCalls = counts.total - changerCalls;
  // GitHub does not charge 304 answers to conditional requests against the rate limit.
  const charged = portalCalls - counts.notModified;
  const callsPerHour = Math.round((charged * 3600) / steadySeconds);
  const viewers = percentiles(latencies);
  const fresh = freshness.seen.length ? percentiles(freshness.seen) : undefined;
  const busiest = Object.entries(counts.routes)
    .sort(([, a], [, b]) => b.total - a.total)
    .slice(0, 4)
    .map(([route, c]) => `${route}=${c.total}`)
    .join(', ');
  say(
    `--- ${options.label} (${steadySeconds.toFixed(
      0,
    )} s steady after every service's pages were opened once (${crawlSeconds} s) and ${WARMUP_SECONDS} s warm-up)`,
  );
  say(
    `viewers: ${VIEWERS}, ${visits} page views, ${
      viewers.count
    } API requests (${(viewers.count / steadySeconds).toFixed(
      1,
    )}/s), ${failures} non-200${
      firstFailure ? ` (first: ${firstFailure})` : ''
    }`,
  );
  say(
    `delivery API latency ms: p50=${viewers.p50} p95=${viewers.p95} p99=${viewers.p99} max=${viewers.max}`,
  );
  say(
    `github calls: ${portalCalls} by the portal, ${
      counts.notModified
    } of them answered 304 (free), ${changerCalls} by the changer → ${callsPerHour} charged/hour (${Math.round(
      (portalCalls * 3600) / steadySeconds,
    )}/hour with the 304s; GitHub allows 5000/hour per token)`,
  );
  say(`busiest routes: ${busiest}`);
  say(
    `freshness ms (${changes} changes): ${
      fresh ? `p50=${fresh.p50} p95=${fresh.p95} max=${fresh.max}` : 'none seen'
    }, unseen=${
      freshness.unseen
    } (censored ${DRAIN_SECONDS} s after the steady period)`,
  );
  say(`signals heard: ${portal.signals.length}`);
  say(`memory before: ${memoryBefore}`);
  say(`memory after:  ${memoryAfter}`);
  return {
    portal,
    result: {
      label: options.label,
      p95: Math.round(viewers.p95),
      callsPerHour,
      freshness,
    },
  };
}

/** The Delivery overview on the same world: the first answer, then concurrent viewers. */
async function measureOverview(portal: DeliveryBackend) {
  const authorization = mockCredentials.user.header('user:default/carol');
  let pending = 0;
  const view = async () => {
    const response = await fetch(
      `${portal.baseUrl}/api/delivery${deliveryPath(
        'insightsOverview',
        {},
        { days: 30 },
      )}`,
      { headers: { authorization } },
    );
    const body = (await response.json()) as OverviewResponse;
    if (response.status !== 200)
      throw new Error(`overview answered ${response.status}`);
    pending = body.services.filter(s => s.pending).length;
  };
  const t0 = performance.now();
  await view();
  const cold = Math.round(performance.now() - t0);
  // The first answer starts every repository's history read; measure once they are read.
  const readBy = Date.now() + OVERVIEW_WAIT_SECONDS * 1000;
  while (pending > 0 && Date.now() < readBy) {
    await sleep(2000);
    await view();
  }
  const readSeconds = Math.round((performance.now() - t0) / 1000);
  const warm = await load(Math.max(1, Math.round(VIEWERS / 10)), 10, view);
  say(`--- delivery overview (GET insights/overview, ${SERVICES} services)`);
  say(
    `first answer ${cold} ms; histories read for ${readSeconds} s; then ${
      warm.count
    } views at ${Math.max(1, Math.round(VIEWERS / 10))} concurrent: p50=${
      warm.p50
    } p95=${warm.p95} p99=${
      warm.p99
    } ms; ${pending} services still pending their first history read`,
  );
}

/**
 * The approvals inbox on the same world, as someone who may approve every service: the first
 * answer, then concurrent viewers of its first page and of the sidebar's count.
 */
async function measureInbox(portal: DeliveryBackend): Promise<number> {
  const authorization = mockCredentials.user.header('user:default/carol');
  let waiting = 0;
  const ask = async (route: 'approvals' | 'approvalsCount') => {
    const response = await fetch(
      `${portal.baseUrl}/api/delivery${deliveryPath(route, {})}`,
      { headers: { authorization } },
    );
    if (response.status !== 200)
      throw new Error(`${route} answered ${response.status}`);
    const body = (await response.json()) as
      | ApprovalsInboxResponse
      | ApprovalsCountResponse;
    waiting = 'count' in body ? body.count : body.totalCount;
  };
  const t0 = performance.now();
  await ask('approvals');
  const cold = Math.round(performance.now() - t0);
  const concurrent = Math.max(1, Math.round(VIEWERS / 10));
  const page = await load(concurrent, 10, () => ask('approvals'));
  const count = await load(concurrent, 10, () => ask('approvalsCount'));
  say(`--- approvals inbox (GET approvals, ${SERVICES} services)`);
  say(
    `first answer ${cold} ms; ${waiting} waiting deployments; first page, ${page.count} views at ${concurrent} concurrent: p50=${page.p50} p95=${page.p95} p99=${page.p99} ms; sidebar count: p50=${count.p50} p95=${count.p95} ms`,
  );
  return Math.round(page.p95);
}

function finalLine(prefix: string, result: PhaseResult | undefined): string {
  const fresh = result?.freshness.seen.length
    ? Math.round(percentiles(result.freshness.seen).p95)
    : 'n/a';
  return result
    ? `${prefix}: services=${SERVICES} viewers=${VIEWERS} github_calls_per_hour=${result.callsPerHour} p95_ms=${result.p95} freshness_p95_ms=${fresh}`
    : `${prefix}: services=${SERVICES} viewers=${VIEWERS} github_calls_per_hour=n/a p95_ms=n/a freshness_p95_ms=n/a`;
}

/** Stops the cache's Redis; set once the run is over. */
let stopRedis = () => {};

async function main() {
  say(`scale: starting the sandbox with ${SERVICES} generated services…`);
  const sandbox = await startSandboxProcess(SERVICES);
  say(
    `sandbox ready (services generated in ${sandbox.ready.generatedSeconds} s); GitHub at ${sandbox.ready.github}, integration host ${GITHUB_HOST}`,
  );
  // GitHub allows a token 5,000 calls an hour; lifted here so the figure is the portal's demand,
  // not what GitHub would have refused (the real limit is printed beside it).
  await fetch(`${sandbox.ready.github}/_sandbox/rate-limit`, {
    method: 'POST',
    body: JSON.stringify({ mode: 'normal', limit: 100_000_000 }),
  });
  const postgres = await PostgresServer.start();
  const redis = await startRedisCache();
  const entities = sandbox.ready.services.map(entity);
  const pool = changePool(sandbox.ready.services);
  try {
    if (ONLY === 'inbox') {
      const portal = await startDeliveryBackend({
        sandbox: remoteSandbox(sandbox),
        postgres,
        entities,
        redisCache: redis.url,
      });
      await measureOverview(portal);
      const inboxP95 = await measureInbox(portal);
      await portal.close();
      say(`inbox: services=${SERVICES} p95_ms=${inboxP95}`);
      return;
    }
    const polling = await runPhase({
      label: 'polling only',
      webhooks: false,
      sandbox,
      postgres,
      entities,
      pool,
      redis,
    });
    await polling!.portal.close();
    const live = await runPhase({
      label: 'webhooks on',
      webhooks: true,
      sandbox,
      postgres,
      entities,
      pool,
      redis,
    });
    const overviewPortal =
      live?.portal ??
      (await startDeliveryBackend({
        sandbox: remoteSandbox(sandbox),
        postgres,
        entities,
        redisCache: redis.url,
      }));
    await measureOverview(overviewPortal);
    const inboxP95 = await measureInbox(overviewPortal);
    await overviewPortal.close();
    say(finalLine('scale (polling only)', polling!.result));
    say(finalLine('scale', live?.result));
    say(`inbox: services=${SERVICES} p95_ms=${inboxP95}`);
  } finally {
    await sandbox.close();
    await postgres.destroy();
    // Redis goes last, as the process exits: the closed backends' Redis clients would otherwise
    // see it vanish and fail the run after its figures.
    stopRedis = () => redis.kill();
  }
}

main().then(
  // Handles the closed backends leave open (timers, pools) would keep the process alive.
  () => {
    stopRedis();
    process.exit(0);
  },
  error => {
    // eslint-disable-next-line no-console
    console.error(error);
    stopRedis();
    process.exit(1);
  },
);
