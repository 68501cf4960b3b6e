import { mockCredentials } from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  DashboardResponse,
  EnvironmentsResponse,
  ApprovalsInboxResponse,
} from '@internal/plugin-delivery-common';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import request from 'supertest';
import { parse as parseYaml } from 'yaml';
import { ALICE, BOB } from '../__testUtils__/entities';
import { eventually } from '../__testUtils__/kubernetesSandbox';
import {
  DeliveryBackend,
  PermissionPolicy,
  apiPath,
  startDeliveryBackend,
} from '../__testUtils__/startDeliveryBackend';
import type { DeliveryStatusOutput } from './deliveryStatus';
import type { PendingApprovalsPageOutput } from './pendingApprovalsPage';

jest.setTimeout(120_000);

/*
 * The delivery actions as a client of the actions registry calls them (mcp-actions-backend does
 * the same on behalf of the signed-in user): listed at /.backstage/actions/v1/actions and invoked
 * at .../{id}/invoke of the delivery plugin, against the sandbox's GitHub, SonarCloud and
 * Kubernetes. What they answer is checked against the HTTP routes that answer the pages.
 */

/** A person on the platform team whom the policy lets see nothing of delivery. */
const CAROL = 'user:default/carol';

/** Someone who may read every component's delivery data but approve none of its deployments. */
const DAN = 'user:default/dan';

const policy: PermissionPolicy = (permission, user) => {
  if (user === CAROL) return AuthorizeResult.DENY;
  if (user === DAN && permission === 'delivery.deployment.approve') {
    return AuthorizeResult.DENY;
  }
  return AuthorizeResult.ALLOW;
};

const ACTIONS = '/api/delivery/.backstage/actions/v1/actions';
const STATUS = 'delivery:get-delivery-status';
const APPROVALS = 'delivery:list-pending-approvals';

const as = (userEntityRef: string) =>
  mockCredentials.user.header(userEntityRef);

describe('delivery actions in the actions registry', () => {
  let portal: DeliveryBackend;

  const invoke = (id: string, input: object, authorization = as(ALICE)) =>
    request(portal.backend.server)
      .post(`${ACTIONS}/${encodeURIComponent(id)}/invoke`)
      .set('Authorization', authorization)
      .send(input);

  beforeAll(async () => {
    portal = await startDeliveryBackend({ policy });
  });

  afterAll(async () => {
    await portal?.close();
  });

  it('lists both actions as read-only, idempotent and not destructive, with their input schemas', async () => {
    const response = await request(portal.backend.server)
      .get(ACTIONS)
      .set('Authorization', as(ALICE));
    expect(response.status).toBe(200);
    const listed = response.body.actions as Array<{
      id: string;
      pluginId: string;
      description: string;
      attributes: Record<string, boolean>;
      schema: { input: { required?: string[]; properties: object } };
    }>;
    expect(listed.map(a => a.id).sort()).toEqual([STATUS, APPROVALS]);
    for (const action of listed) {
      expect(action.pluginId).toBe('delivery');
      expect(action.attributes).toEqual({
        readOnly: true,
        destructive: false,
        idempotent: true,
      });
      expect(action.description.length).toBeGreaterThan(100);
    }
    const status = listed.find(a => a.id === STATUS)!;
    expect(status.schema.input.required).toEqual(['entityRef']);
    const approvals = listed.find(a => a.id === APPROVALS)!;
    expect(Object.keys(approvals.schema.input.properties).sort()).toEqual([
      'limit',
      'offset',
    ]);
  });

  describe('get-delivery-status', () => {
    it('answers the latest default-branch run with its gates, open findings by severity and each environment, as the dashboard and environments routes see them', async () => {
      const response = await invoke(STATUS, {
        entityRef: 'component:default/titanic-service',
      });
      expect(response.status).toBe(200);
      const status = response.body.output as DeliveryStatusOutput;
      const [dashboard, environments] = await Promise.all([
        request(portal.backend.server)
          .get(apiPath('dashboard'))
          .set('Authorization', as(ALICE))
          .then(r => r.body as DashboardResponse),
        request(portal.backend.server)
          .get(apiPath('environments'))
          .set('Authorization', as(ALICE))
          .then(r => r.body as EnvironmentsResponse),
      ]);

      expect(status.entityRef).toBe('component:default/titanic-service');
      expect(status.repository.slug).toBe('acme-corp/titanic-service');
      const run = dashboard.latestRun!;
      expect(run).not.toBeNull();
      expect(status.latestRun).toMatchObject({
        id: run.id,
        branch: dashboard.repository.defaultBranch,
        status: run.status,
        conclusion: run.conclusion,
        failedGateId: run.failedGateId,
      });
      expect(status.latestRun!.gates).toEqual(
        run.gates.map(gate => ({
          id: gate.id,
          title: gate.title,
          status: gate.status,
          reason: gate.reason,
          durationSeconds: gate.durationSeconds,
          logsUrl: gate.logsUrl,
        })),
      );
      expect(status.latestRun!.gates.length).toBeGreaterThan(0);

      expect(status.openFindings).toEqual(dashboard.findingCounts);
      expect(status.openFindings.total.total).toBeGreaterThan(0);
      expect(status.sonarcloudQualityGate?.status).toBe(
        dashboard.sonarcloud?.qualityGate.status,
      );

      expect(status.environments.map(e => e.name)).toEqual([
        'dev',
        'staging',
        'prod',
      ]);
      expect(
        status.environments.map(e => ({
          name: e.name,
          namespace: e.namespace,
          revision: e.revision,
          image: e.image,
          latestDeployment: e.latestDeployment?.sha ?? null,
          waitingForApproval: e.waitingForApproval?.runId ?? null,
        })),
      ).toEqual(
        environments.environments.map(e => ({
          name: e.name,
          namespace: e.namespace,
          revision: e.kubernetes?.revision ?? null,
          image: e.kubernetes?.image ?? null,
          latestDeployment: e.githubDeployments[0]?.sha ?? null,
          waitingForApproval: e.pendingApproval?.runId ?? null,
        })),
      );
      // The sandbox's production run waits for its review.
      const prod = status.environments.find(e => e.name === 'prod')!;
      expect(prod.waitingForApproval).not.toBeNull();
      expect(prod.image).toContain('titanic-service');
      expect(status.environments.every(e => e.problems.length === 0)).toBe(
        true,
      );
    });

    it.each([
      ['without a repository', 'no-repo', 400, 'missing-annotation'],
      [
        'whose repository GitHub does not know',
        'orders-api',
        404,
        'unknown-repository',
      ],
    ])(
      'gives a component %s the dashboard route’s answer',
      async (_, name, statusCode, reason) => {
        const [action, route] = await Promise.all([
          invoke(STATUS, { entityRef: `component:default/${name}` }),
          request(portal.backend.server)
            .get(apiPath('dashboard', { name }))
            .set('Authorization', as(ALICE)),
        ]);
        expect(route.status).toBe(statusCode);
        expect(action.status).toBe(statusCode);
        expect(action.body.error.details.reason).toBe(reason);
        expect(action.body.error.message).toBe(route.body.error.message);
      },
    );

    it('accepts a bare component name', async () => {
      const response = await invoke(STATUS, { entityRef: 'titanic-service' });
      expect(response.status).toBe(200);
      expect(response.body.output.entityRef).toBe(
        'component:default/titanic-service',
      );
    });

    it('refuses a user without delivery.read on the component (403, naming the permission), as the routes do', async () => {
      const response = await invoke(
        STATUS,
        { entityRef: 'component:default/titanic-service' },
        as(CAROL),
      );
      expect(response.status).toBe(403);
      expect(response.body.error.name).toBe('NotAllowedError');
      expect(response.body.error.message).toContain('delivery.read');
      const route = await request(portal.backend.server)
        .get(apiPath('dashboard'))
        .set('Authorization', as(CAROL));
      expect(route.status).toBe(403);
    });

    it('answers 404 for a component the catalog does not show the caller, before any refusal', async () => {
      for (const user of [ALICE, CAROL]) {
        const response = await invoke(
          STATUS,
          { entityRef: 'component:default/no-such-service' },
          as(user),
        );
        expect(response.status).toBe(404);
        expect(response.body.error.message).toBe(
          'No entity component:default/no-such-service in the catalog',
        );
      }
    });

    it.each([
      ['a malformed ref', 'component:default/', 'is not an entity ref'],
      ['another kind', 'group:default/titanic-team', 'kept for components'],
      ['an empty ref', '', 'Invalid input'],
    ])('answers 400 for %s', async (_, entityRef, message) => {
      const response = await invoke(STATUS, { entityRef });
      expect(response.status).toBe(400);
      expect(response.body.error.name).toBe('InputError');
      expect(response.body.error.message).toContain(message);
    });
  });

  describe('list-pending-approvals', () => {
    it('lists the runs waiting for the caller’s review, as the approvals inbox does, a page at a time', async () => {
      // The inbox answers from the history, which the scheduled refresh fills in the background.
      await portal.runScheduledTask('delivery-insights-refresh');
      const inbox = await eventually(async () => {
        const body = (
          await request(portal.backend.server)
            .get('/api/delivery/approvals')
            .set('Authorization', as(BOB))
        ).body as ApprovalsInboxResponse;
        return body.totalCount > 0 && body;
      }, 'the history to know the waiting runs');
      const all = await invoke(APPROVALS, {}, as(BOB));
      expect(all.status).toBe(200);
      const output = all.body.output as PendingApprovalsPageOutput;
      expect(output.totalCount).toBe(inbox.totalCount);
      expect(output.startedByYou).toBe(inbox.startedByYou.length);
      expect(output.nextOffset).toBeNull();
      expect(output.approvals.map(a => [a.entityRef, a.runId])).toEqual(
        inbox.items.map(i => [i.entityRef, i.runId]),
      );
      expect(
        [...new Set(output.approvals.map(a => a.entityRef))].sort(),
      ).toEqual([
        'component:default/not-analysed',
        'component:default/titanic-service',
      ]);
      expect(output.approvals[0]).toMatchObject({
        repository: 'acme-corp/titanic-service',
        owner: 'group:default/titanic-team',
        environments: [
          expect.objectContaining({
            githubEnvironment: 'production',
            environment: 'prod',
          }),
        ],
      });
      expect(output.approvals[0].commitMessage).toEqual(
        inbox.items[0].commitMessage,
      );
      expect(output.approvals[0].gatesPassed?.length).toBeGreaterThan(0);

      const first = (await invoke(APPROVALS, { limit: 1 }, as(BOB))).body
        .output as PendingApprovalsPageOutput;
      expect(first.approvals).toEqual(output.approvals.slice(0, 1));
      expect(first.nextOffset).toBe(1);
      const last = (
        await invoke(
          APPROVALS,
          { offset: output.totalCount - 1, limit: 1 },
          as(BOB),
        )
      ).body.output as PendingApprovalsPageOutput;
      expect(last.approvals).toEqual(output.approvals.slice(-1));
      expect(last.nextOffset).toBeNull();
    });

    it.each([
      ['read', CAROL],
      ['approve', DAN],
    ])('lists nothing to a user who may %s no component', async (_, user) => {
      const response = await invoke(APPROVALS, {}, as(user));
      expect(response.status).toBe(200);
      expect(response.body.output).toMatchObject({
        approvals: [],
        totalCount: 0,
        nextOffset: null,
      });
    });

    it('refuses a service principal (403): approvals are a person’s', async () => {
      const response = await invoke(
        APPROVALS,
        {},
        mockCredentials.service.header(),
      );
      expect(response.status).toBe(403);
      expect(response.body.error.message).toContain('signed-in user');
    });

    it.each([
      [{ limit: 0 }],
      [{ limit: 101 }],
      [{ offset: -1 }],
      [{ limit: 2.5 }],
    ])('answers 400 for a page out of bounds: %j', async input => {
      const response = await invoke(APPROVALS, input, as(BOB));
      expect(response.status).toBe(400);
      expect(response.body.error.name).toBe('InputError');
    });
  });
});

describe('the portal’s configuration', () => {
  it('exposes the delivery actions to MCP clients (backend.actions.pluginSources)', async () => {
    const config = parseYaml(
      await readFile(
        path.resolve(__dirname, '../../../../app-config.yaml'),
        'utf8',
      ),
    );
    expect(config.backend.actions.pluginSources).toContain('delivery');
  });
});
