import { createBackendModule } from '@backstage/backend-plugin-api';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import eventsPlugin from '@backstage/plugin-events-backend';
import { EventParams, eventsServiceRef } from '@backstage/plugin-events-node';
import { JsonObject } from '@backstage/types';
import http from 'node:http';
import { AddressInfo } from 'node:net';
import request from 'supertest';
import {
  WEBHOOK_SECRET,
  postWebhook,
  webhookPayload,
} from '../__testUtils__/gitHubWebhooks';
import {
  AuditedEvent,
  recordingAuditor,
} from '../__testUtils__/startDeliveryBackend';
import { eventsModuleDeliveryGitHubWebhooks } from './githubWebhooksModule';
import { signBody } from './signature';

jest.setTimeout(60_000);

/** What the events backend published, topic by topic, as a module of the events plugin hears it. */
function recorder(into: EventParams[]) {
  return createBackendModule({
    pluginId: 'events',
    moduleId: 'test-recorder',
    register(env) {
      env.registerInit({
        deps: { events: eventsServiceRef },
        async init({ events }) {
          await events.subscribe({
            id: 'test-recorder',
            topics: ['github', 'github.workflow_run', 'github.push'],
            onEvent: async event => void into.push(event),
          });
        },
      });
    },
  });
}

async function startEventsBackend(config: JsonObject) {
  const published: EventParams[] = [];
  const audited: AuditedEvent[] = [];
  const logger = mockServices.logger.mock();
  const backend = await startTestBackend({
    features: [
      eventsPlugin,
      eventsModuleDeliveryGitHubWebhooks,
      recorder(published),
      recordingAuditor(audited),
      mockServices.rootConfig.factory({ data: config }),
      mockServices.rootLogger.factory(),
      logger.factory,
    ],
  });
  return { backend, published, audited, logger };
}

const SIGNED = {
  events: { modules: { github: { webhookSecret: WEBHOOK_SECRET } } },
  delivery: { webhooks: { maxPayloadKilobytes: 64 } },
};

const completed = () =>
  webhookPayload('workflow_run', 'completed', payload => {
    payload.workflow_run.id = 4242;
  });

describe('POST /api/events/http/github', () => {
  let events: Awaited<ReturnType<typeof startEventsBackend>>;

  beforeAll(async () => {
    events = await startEventsBackend(SIGNED);
  });

  afterAll(async () => {
    await events?.backend.stop();
  });

  beforeEach(() => {
    events.published.length = 0;
    events.audited.length = 0;
  });

  const refusals = () =>
    events.audited
      .filter(e => e.eventId === 'github-webhook' && e.status === 'failed')
      .map(e => (e.meta as { reason: string }).reason);

  it('publishes a signed delivery to github and, routed by its event, to github.workflow_run', async () => {
    const payload = completed();
    const response = await postWebhook(events.backend.server, {
      event: 'workflow_run',
      payload,
    });
    expect(response.status).toBe(202);
    expect(events.published.map(e => e.topic).sort()).toEqual([
      'github',
      'github.workflow_run',
    ]);
    expect(events.published[0].eventPayload).toEqual(payload);
    expect(events.published[0].metadata?.['x-github-event']).toBe(
      'workflow_run',
    );
    expect(refusals()).toEqual([]);
  });

  it('refuses an unsigned delivery with 401, audited, and publishes nothing', async () => {
    const response = await postWebhook(events.backend.server, {
      event: 'workflow_run',
      payload: completed(),
      secret: null,
    });
    expect(response.status).toBe(401);
    expect(response.body.error.reason).toBe('signature-missing');
    expect(events.published).toEqual([]);
    expect(refusals()).toEqual(['signature-missing']);
  });

  it('refuses a delivery signed with another secret, and a body changed after signing', async () => {
    const wrongSecret = await postWebhook(events.backend.server, {
      event: 'workflow_run',
      payload: completed(),
      secret: 'not-the-secret',
    });
    expect(wrongSecret.status).toBe(401);
    expect(wrongSecret.body.error.reason).toBe('signature-mismatch');

    const body = JSON.stringify(completed());
    const tampered = await request(events.backend.server)
      .post('/api/events/http/github')
      .set('Content-Type', 'application/json')
      .set('X-GitHub-Event', 'workflow_run')
      .set('X-GitHub-Delivery', 'f2b6c1d0-0000-4000-8000-000000000001')
      .set('X-Hub-Signature-256', signBody(WEBHOOK_SECRET, body))
      .send(body.replace('"completed"', '"in_progress"'));
    expect(tampered.status).toBe(401);
    expect(tampered.body.error.reason).toBe('signature-mismatch');

    expect(events.published).toEqual([]);
    expect(refusals()).toEqual(['signature-mismatch', 'signature-mismatch']);
  });

  it('refuses a replayed delivery with 409 and publishes it once', async () => {
    const delivery = 'a1b2c3d4-0000-4000-8000-000000000002';
    const payload = completed();
    const first = await postWebhook(events.backend.server, {
      event: 'workflow_run',
      payload,
      delivery,
    });
    const replay = await postWebhook(events.backend.server, {
      event: 'workflow_run',
      payload,
      delivery,
    });
    expect([first.status, replay.status]).toEqual([202, 409]);
    expect(replay.body.error.reason).toBe('replayed-delivery');
    expect(events.published.filter(e => e.topic === 'github')).toHaveLength(1);
    expect(refusals()).toEqual(['replayed-delivery']);
  });

  it('refuses an oversized delivery with 413, from its Content-Length, unread', async () => {
    const payload = webhookPayload('workflow_run', 'completed', run => {
      run.workflow_run.display_title = 'x'.repeat(70 * 1024);
    });
    const response = await postWebhook(events.backend.server, {
      event: 'workflow_run',
      payload,
    });
    expect(response.status).toBe(413);
    expect(response.body.error.reason).toBe('payload-too-large');
    expect(events.published).toEqual([]);
    expect(refusals()).toEqual(['payload-too-large']);
  });

  it('refuses an oversized delivery sent in chunks, without a Content-Length', async () => {
    const address = events.backend.server.address() as AddressInfo;
    const status = await new Promise<number>((resolve, reject) => {
      const post = http.request(
        {
          host: '127.0.0.1',
          port: address.port,
          method: 'POST',
          path: '/api/events/http/github',
          headers: {
            'content-type': 'application/json',
            'transfer-encoding': 'chunked',
            'x-github-event': 'push',
            'x-github-delivery': 'c0ffee00-0000-4000-8000-000000000003',
          },
        },
        response => {
          response.resume();
          resolve(response.statusCode ?? 0);
        },
      );
      post.on('error', reject);
      for (let chunk = 0; chunk < 80; chunk++) post.write('x'.repeat(1024));
      post.end();
    });
    expect(status).toBe(413);
    expect(events.published).toEqual([]);
    expect(refusals()).toEqual(['payload-too-large']);
  });

  it('refuses what is not JSON, and a delivery without its id', async () => {
    const form = await request(events.backend.server)
      .post('/api/events/http/github')
      .set('Content-Type', 'application/x-www-form-urlencoded')
      .set('X-GitHub-Event', 'push')
      .send('payload=%7B%7D');
    expect(form.status).toBe(415);

    const body = JSON.stringify(completed());
    const anonymous = await request(events.backend.server)
      .post('/api/events/http/github')
      .set('Content-Type', 'application/json')
      .set('X-GitHub-Event', 'workflow_run')
      .set('X-Hub-Signature-256', signBody(WEBHOOK_SECRET, body))
      .send(body);
    expect(anonymous.status).toBe(400);
    expect(anonymous.body.error.reason).toBe('delivery-id-missing');

    expect(events.published).toEqual([]);
    expect(refusals()).toEqual([
      'unsupported-media-type',
      'delivery-id-missing',
    ]);
  });
});

describe('without a webhook secret', () => {
  it('opens no GitHub webhook endpoint, and says so', async () => {
    const events = await startEventsBackend({});
    try {
      const response = await postWebhook(events.backend.server, {
        event: 'workflow_run',
        payload: completed(),
        secret: null,
      });
      expect(response.status).toBe(404);
      expect(events.published).toEqual([]);
      expect(events.logger.warn).toHaveBeenCalledWith(
        expect.stringContaining('GitHub webhooks are off'),
      );
    } finally {
      await events.backend.stop();
    }
  });

  it('refuses to start when events.http.topics would accept unsigned GitHub posts', async () => {
    await expect(
      startEventsBackend({ events: { http: { topics: ['github'] } } }),
    ).rejects.toThrow(/would accept unsigned webhooks/);
  });
});
