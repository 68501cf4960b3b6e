import { mockCredentials } from '@backstage/backend-test-utils';
import {
  DeliverySignal,
  EnvironmentsResponse,
  RunHistoryResponse,
} from '@internal/plugin-delivery-common';
import { GITHUB_PORTAL_BOT_TOKEN, Sandbox } from '@internal/sandbox';
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { ALICE } from '../__testUtils__/entities';
import { postWebhook, webhookPayload } from '../__testUtils__/gitHubWebhooks';
import {
  eventually,
  startFastSandbox,
} from '../__testUtils__/kubernetesSandbox';
import { PostgresServer } from '../__testUtils__/postgresServer';
import {
  DeliveryBackend,
  apiPath,
  startDeliveryBackend,
} from '../__testUtils__/startDeliveryBackend';

jest.setTimeout(180_000);

/*
 * Two replicas of the portal on one real PostgreSQL, as `scripts/portal --production` runs them:
 * a webhook posted to one reaches both through the database-backed event bus, both answer what
 * it changed, and both signal the entity's page.
 */

/**
 * A deadline for both replicas to show a change, not a measure of how fast they do: the database
 * event bus hands an event to the other replica in about 2 s here, and a loaded machine adds to it.
 * How fresh pages are at scale is the benchmark's to measure.
 */
const CONVERGENCE_DEADLINE_MS = 20_000;
const CHANNEL = 'delivery:component:default/titanic-service';
const REPO = '/repos/acme-corp/titanic-service';

async function github<T>(sandbox: Sandbox, path: string, init?: RequestInit) {
  const response = await fetch(`${sandbox.github.baseUrl}${REPO}${path}`, {
    ...init,
    headers: {
      authorization: `Bearer ${GITHUB_PORTAL_BOT_TOKEN}`,
      'content-type': 'application/json',
    },
  });
  return (await response.json()) as T;
}

async function read<T>(replica: DeliveryBackend, path: string): Promise<T> {
  const response = await request(replica.backend.server)
    .get(path)
    .set('Authorization', mockCredentials.user.header(ALICE));
  expect(response.status).toBe(200);
  return response.body as T;
}

const waitingRuns = async (replica: DeliveryBackend) =>
  (
    await read<EnvironmentsResponse>(replica, apiPath('environments'))
  ).pendingApprovals.map(approval => approval.runId);

const changedSignals = (replica: DeliveryBackend) =>
  replica.signals
    .filter(signal => signal.channel === CHANNEL)
    .map(signal => signal.message as DeliverySignal)
    .filter(message => message.type === 'changed');

describe('two replicas on one PostgreSQL', () => {
  let postgres: PostgresServer;
  let sandbox: Sandbox;
  let first: DeliveryBackend;
  let second: DeliveryBackend;

  beforeAll(async () => {
    postgres = await PostgresServer.start();
    sandbox = await startFastSandbox();
    // One after the other, as a rolling deployment starts them: the first migrates.
    first = await startDeliveryBackend({ sandbox, postgres });
    second = await startDeliveryBackend({ sandbox, postgres });
  });

  afterAll(async () => {
    await first?.close();
    await second?.close();
    await sandbox?.close();
    await postgres?.destroy();
  });

  it('both show a review made on GitHub once its webhook reaches one, and signal the page', async () => {
    const [runId] = await waitingRuns(first);
    expect(runId).toBeDefined();
    expect(await waitingRuns(second)).toEqual(await waitingRuns(first));

    // Someone approves on GitHub itself. Both replicas serve their cached answer...
    const [pending] = await github<Array<{ environment: { id: number } }>>(
      sandbox,
      `/actions/runs/${runId}/pending_deployments`,
    );
    await github(sandbox, `/actions/runs/${runId}/pending_deployments`, {
      method: 'POST',
      body: JSON.stringify({
        environment_ids: [pending.environment.id],
        state: 'approved',
        comment: 'approved on GitHub',
      }),
    });
    expect(await waitingRuns(first)).toContain(runId);
    expect(await waitingRuns(second)).toContain(runId);

    // ...until GitHub's webhook reaches one of them.
    const run = await github<Record<string, unknown>>(
      sandbox,
      `/actions/runs/${runId}`,
    );
    const payload = webhookPayload('deployment_review', 'requested', review => {
      review.action = 'approved';
      delete review.environment;
      delete review.requestor;
      review.approver = review.sender;
      review.comment = 'approved on GitHub';
      Object.assign(review.workflow_run, {
        id: runId,
        status: run.status,
        updated_at: run.updated_at,
      });
    });
    const delivery = randomUUID();
    const posted = await postWebhook(first.backend.server, {
      event: 'deployment_review',
      payload,
      delivery,
    });
    expect(posted.status).toBe(202);
    await eventually(
      async () =>
        (
          await Promise.all([waitingRuns(first), waitingRuns(second)])
        ).every(waiting => !waiting.includes(runId)),
      'both replicas to stop showing the run as waiting',
      CONVERGENCE_DEADLINE_MS,
    );

    // Each replica signals the entity's channel once it applied the change.
    await eventually(
      async () =>
        [first, second].every(replica =>
          changedSignals(replica).some(
            message =>
              message.type === 'changed' &&
              message.changes.includes('environments'),
          ),
        ),
      'both replicas to hear the change signalled',
      CONVERGENCE_DEADLINE_MS,
    );

    // The same delivery replayed to the other replica is refused: the id is in PostgreSQL.
    const replay = await postWebhook(second.backend.server, {
      event: 'deployment_review',
      payload,
      delivery,
    });
    expect(replay.status).toBe(409);
    expect(replay.body.error.reason).toBe('replayed-delivery');
  });

  it('never shows a run older than a webhook said, whatever order deliveries arrive in', async () => {
    const runs = async (replica: DeliveryBackend) =>
      (
        await read<RunHistoryResponse>(
          replica,
          apiPath('runs', {}, { limit: 50 }),
        )
      ).runs;
    const target = (await runs(first)).find(r => r.runNumber === 20)!;
    expect(target).toMatchObject({ status: 'completed', runAttempt: 1 });
    await runs(second);

    const runEvent = (action: string, attempt: number, updatedAt: string) =>
      webhookPayload('workflow_run', action, payload => {
        Object.assign(payload.workflow_run, {
          id: target.id,
          run_number: 20,
          run_attempt: attempt,
          updated_at: updatedAt,
          ...(action === 'requested'
            ? { status: 'queued', conclusion: null }
            : {}),
        });
      });
    // Someone re-ran it; then the first attempt's completion arrives late.
    const rerun = runEvent('requested', 2, '2099-01-01T00:00:10Z');
    const late = runEvent('completed', 1, '2099-01-01T00:00:05Z');
    expect(
      (
        await postWebhook(second.backend.server, {
          event: 'workflow_run',
          payload: rerun,
        })
      ).status,
    ).toBe(202);
    expect(
      (
        await postWebhook(first.backend.server, {
          event: 'workflow_run',
          payload: late,
        })
      ).status,
    ).toBe(202);

    for (const replica of [first, second]) {
      const shown = await eventually(
        async () => {
          const run = (await runs(replica)).find(r => r.id === target.id);
          return run?.runAttempt === 2 ? run : undefined;
        },
        'the re-run to show',
        CONVERGENCE_DEADLINE_MS,
      );
      expect(shown).toMatchObject({ runAttempt: 2, status: 'queued' });
    }
  });

  it('a change the portal makes on one replica reaches the other at once, webhook or not', async () => {
    const before = changedSignals(second).length;
    const rerunnable = (
      await read<RunHistoryResponse>(first, apiPath('runs', {}, { limit: 50 }))
    ).runs.find(run => run.runNumber === 14)!;
    const rerun = await request(first.backend.server)
      .post(apiPath('rerunFailedJobs', { runId: rerunnable.id }))
      .set('Authorization', mockCredentials.user.header(ALICE));
    expect(rerun.status).toBe(201);
    await eventually(
      async () =>
        (
          await read<RunHistoryResponse>(
            second,
            apiPath('runs', {}, { limit: 50 }),
          )
        ).runs.find(run => run.id === rerunnable.id)?.runAttempt === 2,
      'the other replica to show the re-run',
      CONVERGENCE_DEADLINE_MS,
    );
    expect(changedSignals(second).length).toBeGreaterThan(before);
  });

  it('signals a live probe to its caller alone, on whichever replica holds the page', async () => {
    const nonce = `probe-${randomUUID()}`;
    const response = await request(first.backend.server)
      .post(apiPath('liveProbe'))
      .set('Authorization', mockCredentials.user.header(ALICE))
      .send({ nonce });
    expect(response.status).toBe(202);
    const heard = await eventually(
      async () =>
        second.signals.find(
          signal =>
            signal.message.type === 'probe' && signal.message.nonce === nonce,
        ),
      'the other replica to hear the probe',
      CONVERGENCE_DEADLINE_MS,
    );
    expect(heard).toMatchObject({
      channel: CHANNEL,
      recipients: { type: 'user', entityRef: ALICE },
    });
  });
});
