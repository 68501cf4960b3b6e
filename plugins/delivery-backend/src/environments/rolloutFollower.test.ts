import { mockCredentials } from '@backstage/backend-test-utils';
import { AuditTrailResponse } from '@internal/plugin-delivery-common';
import { Sandbox } from '@internal/sandbox';
import knexFactory, { Knex } from 'knex';
import request from 'supertest';
import { ALICE } from '../__testUtils__/entities';
import {
  eventually,
  startFastSandbox,
} from '../__testUtils__/kubernetesSandbox';
import {
  DeliveryBackend,
  apiPath,
  startDeliveryBackend,
} from '../__testUtils__/startDeliveryBackend';

jest.setTimeout(90_000);

async function latestRollback(backend: DeliveryBackend) {
  const response = await request(backend.backend.server)
    .get(apiPath('audit', {}, { action: 'rollback', limit: 1 }))
    .set('Authorization', mockCredentials.user.header(ALICE));
  return (response.body as AuditTrailResponse).entries[0];
}

describe('a backend restarted while a rollback rolls out', () => {
  let sandbox: Sandbox;
  let knex: Knex;
  let restarted: DeliveryBackend | undefined;
  let survivor: DeliveryBackend | undefined;

  beforeAll(async () => {
    sandbox = await startFastSandbox();
    // One database for both backends, as in production.
    knex = knexFactory({
      client: 'better-sqlite3',
      connection: ':memory:',
      useNullAsDefault: true,
    });
  });

  afterAll(async () => {
    await restarted?.close();
    await survivor?.close();
    await knex?.destroy();
    await sandbox?.close();
  });

  it('follows the rollout again and records how it ended, so the audit entry does not stay progressing', async () => {
    // The first backend looks at the rollout only once a minute: it stops before it looks again.
    const first = await startDeliveryBackend({
      sandbox,
      knex,
      followIntervalMilliseconds: 60_000,
    });
    const response = await request(first.backend.server)
      .post(apiPath('rollback', { environment: 'dev' }))
      .set('Authorization', mockCredentials.user.header(ALICE))
      .send({ reason: 'restart drill' });
    expect(response.status).toBe(202);
    await first.close();
    const [row] = await knex('delivery_audit')
      .where({ action: 'rollback' })
      .orderBy('id', 'desc')
      .limit(1);
    expect(row.rollout_status).toBe('progressing');

    restarted = await startDeliveryBackend({
      sandbox,
      knex,
      followIntervalMilliseconds: 50,
    });
    const entry = await eventually(async () => {
      const latest = await latestRollback(restarted!);
      return latest?.rolloutStatus !== 'progressing' && latest;
    }, 'the restarted backend to record the end of the rollout');
    expect(entry).toMatchObject({
      id: Number(row.id),
      reason: 'restart drill',
      result: 'succeeded',
      rolloutStatus: 'complete',
    });
    expect(entry.completedAt).not.toBeNull();
  });

  it('a replica that keeps running finishes a rollback another replica stopped following', async () => {
    survivor = await startDeliveryBackend({
      sandbox,
      knex,
      followIntervalMilliseconds: 50,
    });
    const stopping = await startDeliveryBackend({
      sandbox,
      knex,
      followIntervalMilliseconds: 60_000,
    });
    const response = await request(stopping.backend.server)
      .post(apiPath('rollback', { environment: 'staging' }))
      .set('Authorization', mockCredentials.user.header(ALICE))
      .send({ reason: 'replica drill' });
    expect(response.status).toBe(202);
    await stopping.close();
    expect((await latestRollback(survivor)).rolloutStatus).toBe('progressing');

    // The sweep of unfinished rollbacks, as the scheduler runs it on one replica.
    await survivor.runScheduledTask('delivery-unfinished-rollbacks');
    const entry = await eventually(async () => {
      const latest = await latestRollback(survivor!);
      return latest?.rolloutStatus !== 'progressing' && latest;
    }, 'the surviving replica to record the end of the rollout');

    expect(entry).toMatchObject({
      environment: 'staging',
      reason: 'replica drill',
      result: 'succeeded',
      rolloutStatus: 'complete',
    });
  });
});
