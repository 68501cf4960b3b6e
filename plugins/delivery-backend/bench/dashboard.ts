/*
 * Dashboard benchmark: `yarn workspace @internal/plugin-delivery-backend bench`.
 *
 * Starts the sandbox (GitHub, SonarCloud and Kubernetes) and the delivery backend plugin in a test backend,
 * then measures, in one run:
 *   - warm latency of GET …/dashboard at 20 concurrent viewers (p50/p95/p99),
 *   - GitHub calls per view over 10 views from a cold cache, and warm,
 *   - the same with every view revalidating (freshSeconds 0: ETag requests answered 304),
 *   - a baseline without the plugin's cache: the same data fetched directly with octokit and
 *     fetch per view (what a plugin without caching does), at the same concurrency.
 * Not a test: it prints figures; targets are p95 ≤ 150 ms warm and ≤ 1 GitHub call per view.
 */
import './jestGlobals';
import {
  GITHUB_PORTAL_BOT_TOKEN,
  SONAR_TOKEN,
  startSandbox,
} from '@internal/sandbox';
import { Octokit } from '@octokit/rest';
import {
  DeliveryBackend,
  apiPath,
  startDeliveryBackend,
} from '../src/__testUtils__/startDeliveryBackend';
import { load } from './concurrentViewers';

const VIEWERS = Number(process.env.BENCH_VIEWERS ?? 20);
const VIEWS_PER_VIEWER = Number(process.env.BENCH_VIEWS ?? 25);

async function dashboardView(portal: DeliveryBackend): Promise<void> {
  const response = await fetch(`${portal.baseUrl}${apiPath('dashboard')}`);
  if (response.status !== 200) {
    throw new Error(
      `dashboard answered ${response.status}: ${await response.text()}`,
    );
  }
  await response.json();
}

/** Calls per view over 10 sequential views from a cold cache. */
async function callsOverTenViews(portal: DeliveryBackend) {
  portal.resetCounts();
  const perView: number[] = [];
  for (let i = 0; i < 10; i++) {
    const before = portal.githubCalls();
    await dashboardView(portal);
    const after = portal.githubCalls();
    perView.push(after.api + after.downloads - before.api - before.downloads);
  }
  const totals = portal.githubCalls();
  return {
    perView,
    total: totals.api + totals.downloads,
    notModified: totals.notModified,
    perViewAmortized: (totals.api + totals.downloads) / 10,
  };
}

async function main() {
  const sandbox = await startSandbox();
  const results: Record<string, unknown> = {};
  try {
    // 1. The plugin as configured by default (60 s freshness window).
    const cached = await startDeliveryBackend({ sandbox });
    const cachedCalls = await callsOverTenViews(cached);
    cached.resetCounts();
    const cachedLoad = await load(VIEWERS, VIEWS_PER_VIEWER, () =>
      dashboardView(cached),
    );
    const cachedLoadCalls = cached.githubCalls();
    await cached.close();

    // 2. Every view revalidates with If-None-Match (no freshness window).
    const revalidating = await startDeliveryBackend({
      sandbox,
      freshSeconds: 0,
    });
    const revalidatingCalls = await callsOverTenViews(revalidating);
    revalidating.resetCounts();
    const revalidatingLoad = await load(VIEWERS, VIEWS_PER_VIEWER, () =>
      dashboardView(revalidating),
    );
    const revalidatingLoadCalls = revalidating.githubCalls();
    await revalidating.close();

    // 3. Baseline: the dashboard's data fetched directly per view, no cache.
    const octokit = new Octokit({
      auth: GITHUB_PORTAL_BOT_TOKEN,
      baseUrl: sandbox.github.baseUrl,
      log: { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} },
    });
    const owner = 'acme-corp';
    const repo = 'titanic-service';
    const sonar = (path: string) =>
      fetch(`${sandbox.sonarcloud.baseUrl}${path}`, {
        headers: { authorization: `Bearer ${SONAR_TOKEN}` },
      }).then(r => r.json());
    const directView = async () => {
      const [{ data: repository }, { data: runs }, alerts] = await Promise.all([
        octokit.rest.repos.get({ owner, repo }),
        octokit.rest.actions.listWorkflowRunsForRepo({
          owner,
          repo,
          per_page: 20,
        }),
        octokit.paginate(octokit.rest.codeScanning.listAlertsForRepo, {
          owner,
          repo,
          per_page: 100,
        }),
        sonar(
          '/api/qualitygates/project_status?projectKey=acme-corp_titanic-service',
        ),
        sonar(
          '/api/measures/component?component=acme-corp_titanic-service&metricKeys=coverage,new_coverage,bugs,vulnerabilities,code_smells,security_hotspots,duplicated_lines_density,ncloc&additionalFields=metrics',
        ),
        sonar(
          '/api/issues/search?componentKeys=acme-corp_titanic-service&resolved=false&ps=500&p=1',
        ),
      ]);
      const latest = runs.workflow_runs.find(
        r => r.head_branch === repository.default_branch,
      );
      if (latest) {
        await octokit.rest.actions.listJobsForWorkflowRun({
          owner,
          repo,
          run_id: latest.id,
          per_page: 100,
        });
      }
      if (alerts.length === 0) throw new Error('baseline read no alerts');
    };
    sandbox.github.requests.reset();
    for (let i = 0; i < 10; i++) await directView();
    const directTen = sandbox.github.requests.snapshot().total;
    sandbox.github.requests.reset();
    const directLoad = await load(
      VIEWERS,
      Math.max(3, Math.floor(VIEWS_PER_VIEWER / 5)),
      directView,
    );
    const directLoadCalls = sandbox.github.requests.snapshot().total;

    const callsPerView = (
      calls: { api: number; downloads: number },
      views: number,
    ) => (calls.api + calls.downloads) / views;
    const views = VIEWERS * VIEWS_PER_VIEWER;
    results.config = {
      viewers: VIEWERS,
      viewsPerViewer: VIEWS_PER_VIEWER,
      node: process.version,
    };
    results.cached = {
      latencyMs: cachedLoad,
      callsOverTenViewsFromCold: cachedCalls,
      callsPerViewWarmUnderLoad: callsPerView(cachedLoadCalls, views),
    };
    results.revalidating = {
      latencyMs: revalidatingLoad,
      callsOverTenViewsFromCold: revalidatingCalls,
      callsPerViewUnderLoad: callsPerView(revalidatingLoadCalls, views),
    };
    results.baselineDirect = {
      latencyMs: directLoad,
      callsPerView: directTen / 10,
      callsPerViewUnderLoad: directLoadCalls / directLoad.count,
    };
    results.ratios = {
      p95BaselineOverCached: +(directLoad.p95 / cachedLoad.p95).toFixed(1),
      p50BaselineOverCached: +(directLoad.p50 / cachedLoad.p50).toFixed(1),
      callsPerViewBaselineOverCachedTenViews: +(
        directTen /
        10 /
        cachedCalls.perViewAmortized
      ).toFixed(1),
      p95RevalidatingOverCached: +(
        revalidatingLoad.p95 / cachedLoad.p95
      ).toFixed(1),
    };
    results.targets = {
      'p95 ≤ 150 ms warm at 20 viewers': cachedLoad.p95 <= 150,
      '≤ 1 GitHub call per view over 10 views':
        cachedCalls.perViewAmortized <= 1,
    };
    process.stdout.write(`${JSON.stringify(results, null, 2)}\n`);
  } finally {
    await sandbox.close();
  }
}

main().then(
  () => process.exit(0),
  error => {
    process.stderr.write(`${error?.stack ?? error}\n`);
    process.exit(1);
  },
);
