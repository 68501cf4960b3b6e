/*
 * Environments benchmark: `yarn workspace @internal/plugin-delivery-backend bench:environments`.
 *
 * Starts the sandbox (GitHub + Kubernetes with the controller's default, real-time timing) and the
 * delivery backend plugin in a test backend, then measures, in one run:
 *   - warm latency of GET …/environments at 20 concurrent viewers (p50/p95/p99),
 *   - a same-run baseline: the same Kubernetes and GitHub data read directly per view, uncached,
 *     with @kubernetes/client-node and octokit, at the same concurrency (ratio = plugin / baseline),
 *   - rollback timing: from POST …/rollback until GET …/rollout reports the new revision complete
 *     (polled every 250 ms, as a UI would), against the rollout's own duration as a 50 ms direct
 *     watcher of the Deployment sees it (from the patch until complete).
 * Not a test: it prints figures. Targets: p95 ≤ 150 ms warm; rolled back ≤ rollout + 2 s.
 */
import './jestGlobals';
import { mockCredentials } from '@backstage/backend-test-utils';
import {
  ADMIN_TOKEN,
  GITHUB_PORTAL_BOT_TOKEN,
  startSandbox,
} from '@internal/sandbox';
import type {
  RollbackResponse,
  RolloutStatus,
} from '@internal/plugin-delivery-common';
import { Octokit } from '@octokit/rest';
import { ALICE } from '../src/__testUtils__/entities';
import {
  apiPath,
  startDeliveryBackend,
} from '../src/__testUtils__/startDeliveryBackend';
import { KubernetesClusters } from '../src/kubernetes/clusters';
import {
  readDeploymentState,
  rolloutStatusOf,
  summarizeDeployment,
} from '../src/kubernetes/deploymentStatus';
import { load } from './concurrentViewers';

const VIEWERS = Number(process.env.BENCH_VIEWERS ?? 20);
const VIEWS_PER_VIEWER = Number(process.env.BENCH_VIEWS ?? 25);
/** The uncached baseline is slow and GitHub-hungry: fewer views, same concurrency. */
const BASELINE_VIEWS = Number(process.env.BENCH_BASELINE_VIEWS ?? 5);
const ROLLBACKS = Number(process.env.BENCH_ROLLBACKS ?? 3);
const AUTHORIZATION = mockCredentials.user.header(ALICE);
const ENVIRONMENTS = ['dev', 'staging', 'prod'] as const;

async function getJson<T>(url: string): Promise<T> {
  const response = await fetch(url, {
    headers: { authorization: AUTHORIZATION },
  });
  if (!response.ok)
    throw new Error(
      `${url} answered ${response.status}: ${await response.text()}`,
    );
  return (await response.json()) as T;
}

function progress(message: string) {
  process.stderr.write(`[bench ${new Date().toISOString()}] ${message}\n`);
}

const sleep = (ms: number) => new Promise(resolve => setTimeout(resolve, ms));

async function main() {
  const sandbox = await startSandbox();
  const portal = await startDeliveryBackend({
    sandbox,
    followIntervalMilliseconds: 250,
  });
  const { baseUrl } = portal;
  const results: Record<string, unknown> = {
    machine: {
      cpus: (await import('node:os')).cpus().length,
      loadAverage: (await import('node:os')).loadavg(),
    },
  };
  try {
    // 1. The plugin: warm (one view first fills the caches).
    const view = async () => {
      await getJson(`${baseUrl}${apiPath('environments')}`);
    };
    await view();
    progress('plugin warm; loading');
    const pluginCallsBefore = sandbox.github.requests.snapshot().total;
    results.plugin = await load(VIEWERS, VIEWS_PER_VIEWER, view);
    results.pluginGitHubCallsDuringLoad =
      sandbox.github.requests.snapshot().total - pluginCallsBefore;

    // 2. Baseline: the same data read directly per view, nothing cached.
    const clusters = new KubernetesClusters([
      {
        name: 'sandbox',
        url: sandbox.kubernetes.server,
        serviceAccountToken: ADMIN_TOKEN,
        skipTLSVerify: true,
      },
    ]);
    const clients = clusters.forCluster('sandbox');
    const octokit = new Octokit({
      auth: GITHUB_PORTAL_BOT_TOKEN,
      baseUrl: sandbox.github.baseUrl,
      log: { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} },
    });
    const owner = 'acme-corp';
    const repo = 'titanic-service';
    const directView = async () => {
      const waiting = octokit.rest.actions
        .listWorkflowRunsForRepo({
          owner,
          repo,
          status: 'waiting',
          per_page: 20,
        })
        .then(({ data }) =>
          Promise.all(
            data.workflow_runs.map(run =>
              octokit.rest.actions.getPendingDeploymentsForRun({
                owner,
                repo,
                run_id: run.id,
              }),
            ),
          ),
        );
      await Promise.all([
        waiting,
        ...ENVIRONMENTS.map(async environment => {
          const binding = {
            name: environment,
            namespace: `titanic-${environment}`,
            deploymentName: 'titanic-service',
          };
          const state = await readDeploymentState(clients, binding);
          summarizeDeployment(binding, state);
          const { data: deployments } =
            await octokit.rest.repos.listDeployments({
              owner,
              repo,
              environment: environment === 'prod' ? 'production' : environment,
              per_page: 10,
            });
          await Promise.all(
            deployments.map(d =>
              octokit.rest.repos.listDeploymentStatuses({
                owner,
                repo,
                deployment_id: d.id,
                per_page: 10,
              }),
            ),
          );
        }),
      ]);
    };
    // Uncached, the baseline spends ~35 GitHub calls per view and would exhaust the sandbox's
    // realistic 5000/h limit within a minute (itself the point of caching): lift it for the run.
    const githubCallsBefore = sandbox.github.requests.snapshot().total;
    sandbox.github.rateLimit.setLimit(10_000_000);
    progress(`plugin ${JSON.stringify(results.plugin)}; baseline`);
    await directView();
    results.baselineGitHubCallsPerView =
      sandbox.github.requests.snapshot().total - githubCallsBefore;
    results.baselineUncachedDirect = await load(
      VIEWERS,
      BASELINE_VIEWS,
      directView,
    );
    const plugin = results.plugin as { p95: number; p50: number };
    const baseline = results.baselineUncachedDirect as {
      p95: number;
      p50: number;
    };
    results.ratio = {
      p95: Math.round((plugin.p95 / baseline.p95) * 100) / 100,
      p50: Math.round((plugin.p50 / baseline.p50) * 100) / 100,
    };

    progress(
      `baseline ${JSON.stringify(results.baselineUncachedDirect)}; rollbacks`,
    );
    // 3. Rollback timing on staging (2 replicas, default rolling update: one pod at a time).
    const staging = {
      name: 'staging',
      namespace: 'titanic-staging',
      deploymentName: 'titanic-service',
    };
    const rollbacks: Array<Record<string, number | string>> = [];
    for (let i = 0; i < ROLLBACKS; i++) {
      const before = await getJson<RolloutStatus>(
        `${baseUrl}${apiPath('rollout', { environment: 'staging' })}`,
      );
      let patchedAt = 0;
      let completeAt = 0;
      let stop = false;
      // The rollout's own clock: a direct watcher of the Deployment at 50 ms.
      const watcher = (async () => {
        while (!stop) {
          const deployment = await clients.apps.readNamespacedDeployment({
            name: 'titanic-service',
            namespace: 'titanic-staging',
          });
          const status = rolloutStatusOf(staging, deployment, new Date());
          if (!patchedAt && status.revision > before.revision)
            patchedAt = performance.now();
          if (
            patchedAt &&
            !completeAt &&
            status.phase === 'complete' &&
            status.revision > before.revision
          ) {
            completeAt = performance.now();
          }
          await sleep(50);
        }
      })();
      const t0 = performance.now();
      const response = await fetch(
        `${baseUrl}${apiPath('rollback', { environment: 'staging' })}`,
        {
          method: 'POST',
          headers: {
            authorization: AUTHORIZATION,
            'content-type': 'application/json',
          },
          body: JSON.stringify({
            expectedCurrentRevision: before.revision,
            reason: 'benchmark',
          }),
        },
      );
      const answeredAt = performance.now();
      const body = (await response.json()) as RollbackResponse;
      if (response.status !== 202)
        throw new Error(
          `rollback answered ${response.status}: ${JSON.stringify(body)}`,
        );
      let visibleAt = 0;
      for (;;) {
        const status = await getJson<RolloutStatus>(
          `${baseUrl}${apiPath('rollout', { environment: 'staging' })}`,
        );
        if (
          status.phase === 'complete' &&
          status.revision === body.newRevision
        ) {
          visibleAt = performance.now();
          break;
        }
        if (status.phase === 'stalled') throw new Error('rollout stalled');
        if (performance.now() - t0 > 120_000) {
          throw new Error(
            `rollback not visible after 120 s: ${JSON.stringify(status)}`,
          );
        }
        await sleep(250);
      }
      await sleep(100);
      stop = true;
      await watcher;
      const rolloutMs =
        completeAt - Math.min(patchedAt || answeredAt, answeredAt);
      progress(
        `rollback ${i + 1} visible after ${Math.round(visibleAt - t0)} ms`,
      );
      rollbacks.push({
        from: `${body.from.revision} (${body.from.image.split(':').pop()})`,
        to: `${body.to.revision} (${body.to.image.split(':').pop()}) as ${
          body.newRevision
        }`,
        requestMs: Math.round(answeredAt - t0),
        rolledBackVisibleMs: Math.round(visibleAt - t0),
        rolloutOwnMs: Math.round(rolloutMs),
        overheadMs: Math.round(visibleAt - t0 - rolloutMs),
      });
    }
    results.rollbacks = rollbacks;
    results.rollbackWorstOverheadMs = Math.max(
      ...rollbacks.map(r => Number(r.overheadMs)),
    );
  } finally {
    // eslint-disable-next-line no-console
    console.log(JSON.stringify(results, null, 2));
    // Keep-alive sockets can hold the servers' close for minutes; the figures are out already.
    await Promise.race([
      portal.close().then(() => sandbox.close()),
      sleep(5000),
    ]);
  }
}

main().then(
  () => process.exit(0),
  error => {
    // eslint-disable-next-line no-console
    console.error(error);
    process.exit(1);
  },
);
