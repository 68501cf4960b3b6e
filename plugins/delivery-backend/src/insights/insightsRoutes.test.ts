import { mockCredentials } from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  DoraResponse,
  HomeResponse,
  OverviewResponse,
} from '@internal/plugin-delivery-common';
import {
  HISTORY_ENVIRONMENT,
  HistoryWorldState,
  Sandbox,
  ServiceHistoryRecord,
} from '@internal/sandbox';
import request from 'supertest';
import { ALICE } from '../__testUtils__/entities';
import {
  eventually,
  startFastSandbox,
} from '../__testUtils__/kubernetesSandbox';
import { TestPostgres, startPostgres } from '../__testUtils__/postgresServer';
import {
  DeliveryBackend,
  PermissionPolicy,
  apiPath,
  startDeliveryBackend,
} from '../__testUtils__/startDeliveryBackend';

/*
 * The insights routes over the sandbox's GitHub (titanic-service and the further services'
 * ninety days) with the history stored in a real PostgreSQL. Every figure is checked against a
 * computation of its own over the sandbox's records, written from the definitions in
 * @internal/plugin-delivery-common, not from the backend's code.
 */

jest.setTimeout(120_000);

const HOUR = 3600 * 1000;
const FIX = /^(fix|hotfix|revert)\b|^hotfix\//i;

function median(values: number[], p = 0.5): number | null {
  if (!values.length) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = p * (sorted.length - 1);
  const below = sorted[Math.floor(rank)];
  const above = sorted[Math.ceil(rank)];
  return Math.round(below + (above - below) * (rank - Math.floor(rank)));
}

/** The four keys of one sandbox service over [from, to), straight from its records. */
function expectedKeys(service: ServiceHistoryRecord, from: number, to: number) {
  const position = new Map(service.commits.map((c, i) => [c.sha, i]));
  const deployments = service.deployments
    .filter(d => d.environment === HISTORY_ENVIRONMENT)
    .map(d => {
      const first = (state: string[]) =>
        d.statuses
          .filter(s => state.includes(s.state))
          .map(s => Date.parse(s.createdAt))
          .sort((a, b) => a - b)[0] ?? null;
      return {
        record: d,
        ok: first(['success']),
        bad: first(['failure', 'error']),
      };
    })
    .sort((a, b) => (a.ok ?? a.bad)! - (b.ok ?? b.bad)!);
  const shipped = new Set<string>();
  let live: string | null = null;
  let failedSha: string | null = null;
  const changes: Array<{
    ok: number | null;
    bad: number | null;
    retry: boolean;
    leads: number[];
    fix: boolean;
    id: number;
  }> = [];
  const healthy: number[] = [];
  const rollbacks: number[] = [];
  for (const d of deployments) {
    const rollback = d.record.task.includes('rollback');
    const change = !rollback && d.record.sha !== live;
    if (d.ok !== null) healthy.push(d.ok);
    if (rollback && d.ok !== null) rollbacks.push(d.ok);
    if (change) {
      const leads: number[] = [];
      const headlines: string[] = [];
      if (d.ok !== null && live !== null) {
        const commits = service.commits.slice(
          position.get(live)! + 1,
          position.get(d.record.sha)! + 1,
        );
        for (const commit of commits) {
          if (shipped.has(commit.sha)) continue;
          leads.push(Math.max(0, (d.ok - Date.parse(commit.date)) / 1000));
          headlines.push(commit.message);
        }
      }
      changes.push({
        ok: d.ok,
        bad: d.bad,
        retry: d.record.sha === failedSha,
        leads,
        fix: headlines.some(h => FIX.test(h)),
        id: d.record.id,
      });
      failedSha = d.ok === null ? d.record.sha : null;
    }
    if (d.ok !== null) {
      // Everything up to the live commit has reached production.
      for (const commit of service.commits.slice(
        0,
        position.get(d.record.sha)! + 1,
      )) {
        shipped.add(commit.sha);
      }
      live = d.record.sha;
    }
  }
  const inWindow = (at: number | null) => at !== null && at >= from && at < to;
  const successful = changes.filter(c => c.ok !== null);
  const failures = changes.map((c, index) => {
    if (c.bad !== null) {
      const restored = healthy
        .filter(at => at > c.bad!)
        .sort((a, b) => a - b)[0];
      return { change: c, at: c.bad, restored };
    }
    if (c.ok === null) return null;
    const next = successful.find(n => n.ok! > c.ok!);
    const rolledBack = rollbacks.find(
      at => at > c.ok! && at < (next?.ok ?? Infinity),
    );
    if (rolledBack) return { change: c, at: c.ok, restored: rolledBack };
    if (next && next.ok! - c.ok <= 24 * HOUR && next.fix) {
      return { change: c, at: c.ok, restored: next.ok! };
    }
    void index;
    return null;
  });
  const finished = changes.filter(c => !c.retry && inWindow(c.ok ?? c.bad));
  const failed = failures.filter(
    f => f && !f.change.retry && inWindow(f.change.ok ?? f.change.bad),
  );
  const restores = failures
    .filter(f => f && inWindow(f.at) && f.restored !== undefined)
    .map(f => (f!.restored! - f!.at) / 1000);
  const leads = successful.filter(c => inWindow(c.ok)).flatMap(c => c.leads);
  return {
    deployments: successful.filter(c => inWindow(c.ok)).length,
    leadMedian: median(leads),
    leadP90: median(leads, 0.9),
    commits: leads.length,
    failed: failed.length,
    changes: finished.length,
    restoreMedian: median(restores),
  };
}

describe('delivery insights over the sandbox', () => {
  let sandbox: Sandbox;
  let postgres: TestPostgres;
  let portal: DeliveryBackend;
  let policy: PermissionPolicy = () => AuthorizeResult.ALLOW;

  beforeAll(async () => {
    [sandbox, postgres] = await Promise.all([
      startFastSandbox(),
      startPostgres(),
    ]);
    portal = await startDeliveryBackend({
      sandbox,
      knex: await postgres.database(),
      policy: (permission, user) => policy(permission, user),
    });
  });

  afterAll(async () => {
    await portal?.close();
    await sandbox?.close();
    await postgres?.stop();
  });

  afterEach(() => {
    policy = () => AuthorizeResult.ALLOW;
  });

  const services = () =>
    (sandbox.world.state as HistoryWorldState).serviceHistories!;

  async function dora(query: string, user = ALICE) {
    const response = await request(portal.backend.server)
      .get(`/api/delivery/insights/dora?${query}`)
      .set('Authorization', mockCredentials.user.header(user));
    return response;
  }

  it.each([
    'passenger-search',
    'lifeboat-roster',
    'manifest-importer',
    'harbour-gateway',
    'telegraph-notifier',
  ])(
    'computes the four keys of %s over 90 days as its own records say',
    async name => {
      const response = await dora(
        `entityRef=component:default/${name}&days=90`,
      );
      expect(response.status).toBe(200);
      const body = response.body as DoraResponse;
      expect(body.pending).toEqual([]);
      const service = services().find(s => s.repository.name === name)!;
      const expected = expectedKeys(
        service,
        Date.parse(body.window.from),
        Date.parse(body.window.to),
      );
      expect({
        deployments: body.keys.deploymentFrequency.deployments,
        leadMedian: body.keys.leadTime.medianSeconds,
        leadP90: body.keys.leadTime.p90Seconds,
        commits: body.keys.leadTime.commits,
        failed: body.keys.changeFailureRate.failed,
        changes: body.keys.changeFailureRate.changes,
        restoreMedian: body.keys.timeToRestore.medianSeconds,
      }).toEqual(expected);
      expect(expected.deployments).toBeGreaterThan(0);
      // Each figure names the deployments behind it, and they are listed with links.
      const listed = new Set(body.deployments.map(d => d.id));
      for (const id of body.keys.deploymentFrequency.deploymentIds) {
        expect(listed.has(id)).toBe(true);
      }
      expect(body.deployments[0].htmlUrl).toMatch(/^https:\/\//);
      expect(body.reference.source).toContain('2023');
    },
  );

  it('tells the services apart: a daily deployer is elite at deploying, a monthly one is not', async () => {
    const fast = (
      await dora('entityRef=component:default/passenger-search&days=90')
    ).body as DoraResponse;
    const slow = (
      await dora('entityRef=component:default/telegraph-notifier&days=90')
    ).body as DoraResponse;
    expect(fast.levels.deploymentFrequency).toBe('elite');
    expect(['medium', 'low']).toContain(slow.levels.deploymentFrequency);
    expect(fast.keys.leadTime.medianSeconds!).toBeLessThan(
      slow.keys.leadTime.medianSeconds!,
    );
    // The skewed commit and the deploy of many commits are in the history and measured.
    expect(services().some(s => s.repository.name === 'passenger-search')).toBe(
      true,
    );
    expect(fast.keys.leadTime.clockSkewedCommits).toBeGreaterThanOrEqual(1);
  });

  it('adds a team up from its services, and the organisation from every service', async () => {
    // A team's first view counts what is read and names what is still being read.
    let team = (await dora('group=group:default/titanic-team&days=90'))
      .body as DoraResponse;
    while (team.pending.length > 0) {
      await new Promise(resolve => setTimeout(resolve, 200));
      team = (await dora('group=group:default/titanic-team&days=90'))
        .body as DoraResponse;
    }
    expect(team.components.sort()).toEqual(
      [
        'component:default/lifeboat-roster',
        'component:default/manifest-importer',
        'component:default/no-repo',
        'component:default/not-analysed',
        'component:default/orders-api',
        'component:default/ghost-service',
        'component:default/passenger-search',
        'component:default/titanic-service',
      ].sort(),
    );
    const each = await Promise.all(
      [
        'passenger-search',
        'lifeboat-roster',
        'manifest-importer',
        'titanic-service',
      ].map(
        async name =>
          (
            (
              await dora(`entityRef=component:default/${name}&days=90`)
            ).body as DoraResponse
          ).keys.deploymentFrequency.deployments,
      ),
    );
    expect(team.keys.deploymentFrequency.deployments).toBe(
      each.reduce((a, b) => a + b, 0),
    );
    expect(team.series.length).toBe(13);
    const organisation = (await dora('days=30')).body as DoraResponse;
    expect(organisation.scope).toEqual({ kind: 'organization' });
    expect(organisation.components.length).toBeGreaterThan(
      team.components.length,
    );
  });

  it('answers clear 400s at the edge', async () => {
    const cases: Array<[string, RegExp]> = [
      [
        'entityRef=component:default/titanic-service&group=group:default/titanic-team',
        /not both/,
      ],
      [
        'entityRef=component:default/titanic-service&days=14',
        /days must be one of 7, 30, 90/,
      ],
      ['entityRef=group:default/titanic-team', /entityRef must be a component/],
      ['group=user:default/alice', /group must be a group/],
      [
        'entityRef=component:default/a&entityRef=component:default/b',
        /entityRef must be given once/,
      ],
    ];
    for (const [query, message] of cases) {
      const response = await dora(query);
      expect([query, response.status]).toEqual([query, 400]);
      expect(response.body.error.message).toMatch(message);
      expect(response.body.error.details.reason).toBe('invalid-request');
    }
  });

  it('answers 404 for an unknown component or group, and 403 without delivery.read', async () => {
    expect((await dora('entityRef=component:default/nope')).status).toBe(404);
    expect((await dora('group=group:default/nobody')).status).toBe(404);
    policy = permission =>
      permission === 'delivery.read'
        ? AuthorizeResult.DENY
        : AuthorizeResult.ALLOW;
    const refused = await dora('entityRef=component:default/titanic-service');
    expect(refused.status).toBe(403);
    // A team's figures count only what the caller may read.
    const team = (await dora('group=group:default/titanic-team'))
      .body as DoraResponse;
    expect(team.components).toEqual([]);
    expect(team.keys.deploymentFrequency.deployments).toBe(0);
  });

  it('counts a rollback made in the portal as a failure of the change it rolled back', async () => {
    const before = (
      await dora('entityRef=component:default/titanic-service&days=90')
    ).body as DoraResponse;
    expect(before.keys.changeFailureRate.byKind['portal-rollback']).toBe(0);
    const rollback = await request(portal.backend.server)
      .post(apiPath('rollback', { environment: 'prod' }))
      .set('Authorization', mockCredentials.user.header(ALICE))
      .send({ reason: 'insights drill' });
    expect(rollback.status).toBe(202);
    const after = (
      await dora('entityRef=component:default/titanic-service&days=90')
    ).body as DoraResponse;
    expect(after.keys.changeFailureRate.byKind['portal-rollback']).toBe(1);
    expect(after.keys.changeFailureRate.failed).toBe(
      before.keys.changeFailureRate.failed + 1,
    );
    const home = (
      await request(portal.backend.server)
        .get('/api/delivery/insights/home')
        .set('Authorization', mockCredentials.user.header(ALICE))
    ).body as HomeResponse;
    expect(home.recent[0]).toMatchObject({
      kind: 'portal-rollback',
      repository: 'acme-corp/titanic-service',
      actor: ALICE,
    });
  });

  it('lists every service in the overview with owner, last deploy, gate pass rate and level', async () => {
    const response = await request(portal.backend.server)
      .get('/api/delivery/insights/overview?days=30')
      .set('Authorization', mockCredentials.user.header(ALICE));
    expect(response.status).toBe(200);
    const body = response.body as OverviewResponse;
    const search = body.services.find(
      s => s.entityRef === 'component:default/passenger-search',
    )!;
    expect(search).toMatchObject({
      owner: 'group:default/titanic-team',
      repository: 'acme-corp/passenger-search',
      pending: false,
    });
    expect(search.lastDeployment).not.toBeNull();
    expect(search.gatePassRate).toBeGreaterThan(0);
    expect(search.gatePassRate).toBeLessThanOrEqual(1);
    expect(search.level).not.toBeNull();
    const titanic = body.services.find(
      s => s.entityRef === 'component:default/titanic-service',
    )!;
    expect(titanic.criticalFindings).toBeGreaterThan(0);
  });

  it('shows the signed-in owner the deployment waiting for them, their team’s services and their keys', async () => {
    // The rollback drill above leaves prod rolling out for a moment; the page shows it settled.
    const home = await eventually(async () => {
      const response = await request(portal.backend.server)
        .get('/api/delivery/insights/home')
        .set('Authorization', mockCredentials.user.header(ALICE));
      expect(response.status).toBe(200);
      const body = response.body as HomeResponse;
      const settled = body.services
        .find(s => s.entityRef === 'component:default/titanic-service')
        ?.environments.every(e => e.health !== 'progressing');
      return settled && body;
    }, 'the titanic-service rollouts to settle');
    expect(home.teams).toEqual(['group:default/titanic-team']);
    // Components read from the repository they name may be reviewed; a look-alike may not.
    // Two runs wait for production: alice's (#22, newest) and the guest's (#21).
    expect(home.approvals.map(a => a.entityRef).sort()).toEqual([
      'component:default/not-analysed',
      'component:default/not-analysed',
      'component:default/titanic-service',
      'component:default/titanic-service',
    ]);
    expect(home.approvals[0]).toMatchObject({
      repository: 'acme-corp/titanic-service',
      runNumber: 22,
      environments: ['production'],
      environmentNames: ['prod'],
    });
    const titanic = home.services.find(
      s => s.entityRef === 'component:default/titanic-service',
    )!;
    expect(titanic.latestRun).toMatchObject({
      branch: 'develop',
      result: 'failed',
    });
    expect(titanic.criticalFindings).toBeGreaterThan(0);
    expect(titanic.environments.map(e => e.health)).toEqual([
      'healthy',
      'healthy',
      'healthy',
    ]);
    expect(home.teamKeys?.keys.deploymentFrequency.deployments).toBeGreaterThan(
      0,
    );

    // Someone who may not approve sees no approvals.
    const carol = 'user:default/carol';
    policy = (permission, user) =>
      permission === 'delivery.deployment.approve' && user === carol
        ? AuthorizeResult.DENY
        : AuthorizeResult.ALLOW;
    const refused = (
      await request(portal.backend.server)
        .get('/api/delivery/insights/home')
        .set('Authorization', mockCredentials.user.header(carol))
    ).body as HomeResponse;
    expect(refused.approvals).toEqual([]);
  });

  it('answers the home page to people only', async () => {
    const response = await request(portal.backend.server)
      .get('/api/delivery/insights/home')
      .set('Authorization', mockCredentials.service.header());
    expect(response.status).toBe(403);
  });
});
