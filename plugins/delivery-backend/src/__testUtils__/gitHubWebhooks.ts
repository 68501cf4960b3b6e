import {
  REPOSITORY_NAME,
  REPOSITORY_OWNER,
  assertValidWebhookPayload,
  webhookPayloadProblems,
} from '@internal/sandbox';
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { signBody } from '../webhooks/signature';

/*
 * GitHub webhook deliveries for tests: payloads are real ones GitHub sent
 * (@octokit/webhooks-examples), moved to the sandbox's acme-corp/titanic-service and changed as a
 * test needs, then validated against @octokit/webhooks-schemas, so the portal is only ever tested
 * with payloads GitHub could send.
 */

/** The secret the test backends configure (events.modules.github.webhookSecret). */
export const WEBHOOK_SECRET = 'test-webhook-secret';

type Json = Record<string, any>;

const EXAMPLES: Array<{
  name: string;
  examples: Json[];
}> = require('@octokit/webhooks-examples/api.github.com/index.json');

/**
 * A payload of `event` (with `action`, when the event has actions) for the sandbox repository:
 * the first of GitHub's examples that is valid today, with `change` applied to a copy, validated
 * after the change.
 */
export function webhookPayload<T = Json>(
  event: string,
  action: string | undefined,
  change: (payload: Json) => void = () => {},
): T {
  const example = EXAMPLES.find(e => e.name === event)?.examples.find(
    candidate =>
      (action === undefined || candidate.action === action) &&
      webhookPayloadProblems(event, candidate).length === 0,
  );
  if (!example) {
    throw new Error(`no valid ${event}${action ? `.${action}` : ''} example`);
  }
  const payload = structuredClone(example);
  payload.repository.name = REPOSITORY_NAME;
  payload.repository.full_name = `${REPOSITORY_OWNER}/${REPOSITORY_NAME}`;
  payload.repository.owner.login = REPOSITORY_OWNER;
  change(payload);
  assertValidWebhookPayload(event, payload);
  return payload as T;
}

export interface Delivery {
  event: string;
  payload: unknown;
  /** Default a new id per delivery. */
  delivery?: string;
  /** Default WEBHOOK_SECRET; null posts it unsigned. */
  secret?: string | null;
}

/** Posts a delivery to a backend's `/api/events/http/github` as GitHub does. */
export function postWebhook(
  server: Parameters<typeof request>[0],
  {
    event,
    payload,
    delivery = randomUUID(),
    secret = WEBHOOK_SECRET,
  }: Delivery,
) {
  const body = JSON.stringify(payload);
  const post = request(server)
    .post('/api/events/http/github')
    .set('Content-Type', 'application/json')
    .set('User-Agent', 'GitHub-Hookshot/test')
    .set('X-GitHub-Event', event)
    .set('X-GitHub-Delivery', delivery)
    .set('X-GitHub-Hook-ID', '1');
  if (secret !== null) post.set('X-Hub-Signature-256', signBody(secret, body));
  return post.send(body);
}
