import { mockCredentials } from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  ApprovalsCountResponse,
  ApprovalsInboxResponse,
} from '@internal/plugin-delivery-common';
import { GITHUB_PORTAL_BOT_TOKEN } from '@internal/sandbox';
import request from 'supertest';
import { ALICE, BOB, ENTITIES_WITH_LOGINS } from '../__testUtils__/entities';
import { eventually } from '../__testUtils__/kubernetesSandbox';
import {
  DeliveryBackend,
  PermissionPolicy,
  startDeliveryBackend,
} from '../__testUtils__/startDeliveryBackend';

jest.setTimeout(90_000);

const CAROL = 'user:default/carol';

/*
 * The approvals inbox over the sandbox's GitHub: every run of the catalog's repositories waiting
 * for a review, for the components the person may approve and whose entity was read from the
 * repository it names, less the runs the person started. What it should list is computed here
 * from GitHub's own answers, not from the backend's code.
 */

/** The components bound to acme-corp/titanic-service (the look-alike names it but is not). */
const BOUND = [
  'component:default/not-analysed',
  'component:default/titanic-service',
];

interface GitHubWaitingRun {
  id: number;
  head_commit: { message: string } | null;
  triggering_actor: { login: string } | null;
}

describe('the approvals inbox', () => {
  let portal: DeliveryBackend;
  /** Carol reads every service but may approve none. */
  const policy: PermissionPolicy = (permission, user) =>
    permission === 'delivery.deployment.approve' && user === CAROL
      ? AuthorizeResult.DENY
      : AuthorizeResult.ALLOW;
  let waiting: GitHubWaitingRun[];

  const inbox = (as: string, query = '') =>
    request(portal.backend.server)
      .get(`/api/delivery/approvals${query}`)
      .set('Authorization', mockCredentials.user.header(as));

  beforeAll(async () => {
    portal = await startDeliveryBackend({
      entities: ENTITIES_WITH_LOGINS,
      policy,
    });
    const answer = await fetch(
      `${portal.sandbox.github.baseUrl}/repos/acme-corp/titanic-service/actions/runs?status=waiting`,
      { headers: { authorization: `Bearer ${GITHUB_PORTAL_BOT_TOKEN}` } },
    ).then(r => r.json());
    waiting = answer.workflow_runs;
    if (waiting.length === 0) throw new Error('the sandbox has no waiting run');
    // The history learns the repositories' runs as the scheduled refresh reads them, in the
    // background; the inbox answers from it.
    await portal.runScheduledTask('delivery-insights-refresh');
    await eventually(async () => {
      const body = (await inbox(BOB)).body as ApprovalsInboxResponse;
      return body.totalCount === waiting.length * BOUND.length;
    }, 'the history to know the waiting runs');
  });

  afterAll(async () => {
    await portal?.close();
  });

  it('lists every waiting deployment someone may decide, oldest wait first, with what a reviewer needs', async () => {
    const response = await inbox(BOB);
    expect(response.status).toBe(200);
    const body = response.body as ApprovalsInboxResponse;
    expect(body.totalCount).toBe(waiting.length * BOUND.length);
    expect(body).toMatchObject({ offset: 0, limit: 25, startedByYou: [] });
    expect([...new Set(body.items.map(i => i.entityRef))].sort()).toEqual(
      BOUND,
    );
    const since = body.items.map(i => i.waitingSince);
    expect(since).toEqual([...since].sort());

    const started = waiting.find(r => r.triggering_actor?.login === 'alice')!;
    const item = body.items.find(
      i =>
        i.runId === started.id &&
        i.entityRef === 'component:default/titanic-service',
    )!;
    expect(item).toMatchObject({
      owner: 'group:default/titanic-team',
      repository: 'acme-corp/titanic-service',
      commitMessage: started.head_commit!.message.split('\n')[0],
      requestedBy: { login: 'alice', userRefs: [ALICE] },
    });
    expect(item.environments).toEqual([
      expect.objectContaining({
        githubEnvironment: 'production',
        environment: 'prod',
      }),
    ]);
    // Every check before production passed; the deployments go on after the review.
    expect(item.gatesPassed?.map(g => g.id)).toEqual([
      'gitleaks',
      'checkov',
      'sonarcloud',
      'tests',
      'build',
      'trivy',
    ]);
    expect(Date.parse(item.waitingSince)).toBeGreaterThanOrEqual(
      Date.parse(item.createdAt),
    );
  });

  it('shows apart the runs the person started: someone else must approve them', async () => {
    const body = (await inbox(ALICE)).body as ApprovalsInboxResponse;
    const hers = waiting.filter(r => r.triggering_actor?.login === 'alice');
    expect(hers.length).toBeGreaterThan(0);
    expect(body.startedByYou).toHaveLength(hers.length * BOUND.length);
    expect(
      body.startedByYou.every(i => i.requestedBy.userRefs.includes(ALICE)),
    ).toBe(true);
    expect(body.totalCount).toBe((waiting.length - hers.length) * BOUND.length);
    expect(
      body.items.filter(i => i.requestedBy.userRefs.includes(ALICE)),
    ).toEqual([]);
  });

  it('pages, and counts for the badge', async () => {
    const all = (await inbox(BOB)).body as ApprovalsInboxResponse;
    const second = (await inbox(BOB, '?offset=1&limit=1'))
      .body as ApprovalsInboxResponse;
    expect(second).toMatchObject({
      offset: 1,
      limit: 1,
      totalCount: all.totalCount,
    });
    expect(second.items.map(i => [i.entityRef, i.runId])).toEqual(
      all.items.slice(1, 2).map(i => [i.entityRef, i.runId]),
    );
    const count = await request(portal.backend.server)
      .get('/api/delivery/approvals/count')
      .set('Authorization', mockCredentials.user.header(BOB));
    expect((count.body as ApprovalsCountResponse).count).toBe(all.totalCount);
  });

  it('refuses a bad page (400) and anyone but a person (403)', async () => {
    for (const query of ['?limit=x', '?offset=-1', '?limit=1.5']) {
      const response = await inbox(BOB, query);
      expect(response.status).toBe(400);
      expect(response.body.error.details.reason).toBe('invalid-request');
    }
    const service = await request(portal.backend.server)
      .get('/api/delivery/approvals')
      .set('Authorization', mockCredentials.service.header());
    expect(service.status).toBe(403);
  });

  it('is empty for someone who may not approve', async () => {
    const body = (await inbox(CAROL)).body as ApprovalsInboxResponse;
    expect(body).toMatchObject({ items: [], totalCount: 0 });
  });
});
