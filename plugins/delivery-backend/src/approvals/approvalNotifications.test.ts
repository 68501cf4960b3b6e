import { mockCredentials } from '@backstage/backend-test-utils';
import { ApprovalsInboxResponse } from '@internal/plugin-delivery-common';
import {
  GITHUB_DEVELOPER_TOKEN,
  GITHUB_PORTAL_BOT_TOKEN,
  Sandbox,
} from '@internal/sandbox';
import request from 'supertest';
import { ALICE, BOB, ENTITIES_WITH_LOGINS } from '../__testUtils__/entities';
import {
  eventually,
  startFastSandbox,
} from '../__testUtils__/kubernetesSandbox';
import {
  DeliveryBackend,
  startDeliveryBackend,
} from '../__testUtils__/startDeliveryBackend';
import { APPROVALS_TOPIC } from './approvalNotifications';

jest.setTimeout(120_000);

/*
 * Notifications of approvals, told from what the history records of the runs: the owning group
 * (less whoever started the run) hears that a run waits for its review; the person who started
 * it hears who decided and what they said — whether the review was given in the portal or on
 * GitHub.
 */

const REPO = 'acme-corp/titanic-service';

describe('approval notifications', () => {
  let sandbox: Sandbox;
  let portal: DeliveryBackend;

  const github = (path: string, token: string, init: RequestInit = {}) =>
    fetch(`${portal.sandbox.github.baseUrl}/repos/${REPO}${path}`, {
      ...init,
      headers: {
        authorization: `Bearer ${token}`,
        'content-type': 'application/json',
      },
    });

  /** The refresh reads what changed on GitHub into the history, as the events path would. */
  const refreshed = async <T>(
    probe: () => T | undefined | false,
    what: string,
  ) =>
    eventually(async () => {
      await portal.runScheduledTask('delivery-insights-refresh');
      return probe();
    }, what);

  beforeAll(async () => {
    // Live jobs at 1/200 of real time: a re-run reaches its production review in seconds.
    sandbox = await startFastSandbox({ timeScale: 0.005 });
    portal = await startDeliveryBackend({
      sandbox,
      entities: ENTITIES_WITH_LOGINS,
      freshSeconds: 0,
    });
  });

  afterAll(async () => {
    await portal?.close();
    await sandbox?.close();
  });

  it('tells the team, but not its requester, that a run waits for their review', async () => {
    // Bob runs again the last released pipeline: it passes its gates and waits for production.
    const runs = await github(
      '/actions/runs?branch=main&status=success',
      GITHUB_PORTAL_BOT_TOKEN,
    ).then(r => r.json());
    const released = runs.workflow_runs[0];
    const rerun = await github(
      `/actions/runs/${released.id}/rerun`,
      GITHUB_DEVELOPER_TOKEN,
      { method: 'POST', body: '{}' },
    );
    expect(rerun.status).toBe(201);

    const told = await refreshed(
      () =>
        portal.notifications.find(n =>
          n.payload.scope?.endsWith(`:${released.id}`),
        ),
      'the team to be told the run waits',
    );
    expect(told.recipients).toEqual({
      type: 'entity',
      entityRef: 'group:default/titanic-team',
      excludeEntityRef: [BOB],
    });
    expect(told.payload).toMatchObject({
      link: '/approvals',
      severity: 'high',
      topic: APPROVALS_TOPIC,
    });
    expect(told.payload.title).toMatch(
      /^titanic-service: run #\d+ waits for your review to deploy to prod$/,
    );
    expect(told.payload.description).toContain('started by bob');

    // Told once, however often the history reads the run again.
    await portal.runScheduledTask('delivery-insights-refresh');
    expect(
      portal.notifications.filter(n =>
        n.payload.scope?.endsWith(`:${released.id}`),
      ),
    ).toHaveLength(1);
  });

  it('tells the requester who rejected it in the portal, and why', async () => {
    const inbox = (
      await request(portal.backend.server)
        .get('/api/delivery/approvals')
        .set('Authorization', mockCredentials.user.header(BOB))
    ).body as ApprovalsInboxResponse;
    // Alice started the seeded release; Bob may decide it.
    const hers = inbox.items.find(
      i =>
        i.requestedBy.login === 'alice' &&
        i.entityRef === 'component:default/titanic-service',
    )!;
    portal.notifications.length = 0;
    const rejected = await request(portal.backend.server)
      .post(
        `/api/delivery/entities/component/default/titanic-service/runs/${hers.runId}/review`,
      )
      .set('Authorization', mockCredentials.user.header(BOB))
      .send({ decision: 'reject', comment: 'Not during the freeze' });
    expect(rejected.status).toBe(200);

    const told = await refreshed(
      () =>
        portal.notifications.find(
          n => n.payload.scope === `delivery-decision:${REPO}:${hers.runId}`,
        ),
      'alice to be told of the rejection',
    );
    expect(told.recipients).toEqual({ type: 'entity', entityRef: [ALICE] });
    expect(told.payload.title).toMatch(
      /^titanic-service: your run #\d+ was rejected for production$/,
    );
    expect(told.payload.description).toContain('Rejected in Titanic Portal by');
    expect(told.payload.description).toContain('Not during the freeze');
    expect(told.payload).toMatchObject({
      severity: 'high',
      link: '/catalog/default/component/titanic-service/deployments',
    });
  });
});
