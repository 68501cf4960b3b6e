import { createHmac, randomUUID } from 'node:crypto';
import { GitHubAppRecord, HookRecord, WorldState } from '../../world/records';
import { webhookPayloadProblems } from './webhookSchemas';

/*
 * GitHub's side of webhooks: each event goes to every active hook of its repository and of the
 * repository's organisation that subscribed to it, as one delivery per hook — signed with the
 * hook's secret (X-Hub-Signature-256, and the legacy SHA-1 X-Hub-Signature), a new GUID in
 * X-GitHub-Delivery, posted as JSON or as a form. Deliveries to one hook go out in order; each
 * is recorded (the hooks' "Recent Deliveries"). A payload the official schemas
 * (@octokit/webhooks-schemas) refuse is never sent: it is kept in `problems`, a sandbox bug.
 */

/** One event the sandbox tells hooks about (the payload without hook or delivery fields). */
export interface WebhookEvent {
  /** X-GitHub-Event, e.g. `workflow_run`. */
  name: string;
  /** The repository it happened in (its hooks and its organisation's are told). */
  repositoryId: number | null;
  organization: string;
  payload: Record<string, unknown>;
}

/** A delivery as GitHub's hook-delivery API describes it, with what was sent and answered. */
export interface DeliveryRecord {
  id: number;
  guid: string;
  hookId: number;
  deliveredAt: string;
  /** Seconds. */
  duration: number;
  /** `OK`, or why it failed, e.g. `Invalid HTTP Response: 401`. */
  status: string;
  statusCode: number;
  event: string;
  action: string | null;
  repositoryId: number | null;
  request: { headers: Record<string, string>; payload: unknown };
  response: { headers: Record<string, string>; payload: string | null };
}

/** What a delivery's X-GitHub-Hook-Installation-Target-* headers name. */
interface DeliveryTarget {
  id: number;
  type: 'repository' | 'organization' | 'integration';
}

/** How many deliveries each hook keeps (GitHub keeps days of them; a sandbox needs the recent). */
const KEPT_PER_HOOK = 200;
/** GitHub gives up on a delivery after 10 s. */
const TIMEOUT_MS = 10_000;

export function signatures(
  secret: string,
  body: string,
): Record<string, string> {
  return {
    'X-Hub-Signature': `sha1=${createHmac('sha1', secret)
      .update(body)
      .digest('hex')}`,
    'X-Hub-Signature-256': `sha256=${createHmac('sha256', secret)
      .update(body)
      .digest('hex')}`,
  };
}

/** Whether `hook` hears `event` happening in `repositoryId` of `organization`. */
function hears(
  hook: HookRecord,
  event: WebhookEvent,
  byRepository: boolean,
): boolean {
  if (!hook.active) return false;
  if (!hook.events.includes('*') && !hook.events.includes(event.name)) {
    return false;
  }
  if ('repositoryId' in hook.scope) {
    return byRepository && hook.scope.repositoryId === event.repositoryId;
  }
  return (
    hook.scope.organization.toLowerCase() === event.organization.toLowerCase()
  );
}

export class WebhookSender {
  private readonly queues = new Map<number, Promise<void>>();
  private readonly deliveries = new Map<number, DeliveryRecord[]>();
  private sequence = 93_000_000_000;
  private closed = false;
  /** Payloads the official schemas refused, never sent (a sandbox bug when not empty). */
  readonly problems: string[] = [];

  constructor(private readonly state: () => WorldState) {}

  /** Sends `event` to every hook that hears it; returns at once, deliveries go out in order. */
  dispatch(event: WebhookEvent): void {
    this.sendTo(
      this.state().hooks.filter(hook =>
        hears(hook, event, event.repositoryId !== null),
      ),
      event,
    );
  }

  /** Sends one event to one hook (a ping), whatever it subscribed to. */
  send(hook: HookRecord, event: WebhookEvent): void {
    this.sendTo([hook], event);
  }

  /**
   * Sends one event to a GitHub App's webhook (App events such as deployment_protection_rule),
   * signed with the App's secret; nothing goes out while the App has no webhook URL.
   */
  sendToApp(app: GitHubAppRecord, event: WebhookEvent): void {
    if (!app.webhook.url) return;
    const hook: HookRecord = {
      id: app.hookId,
      scope: { organization: app.ownerLogin },
      events: ['*'],
      active: true,
      url: app.webhook.url,
      contentType: app.webhook.contentType,
      secret: app.webhook.secret,
      insecureSsl: app.webhook.insecureSsl,
      lastResponse: { code: null, status: 'unused', message: null },
      createdAt: app.createdAt,
      updatedAt: app.updatedAt,
    };
    this.sendTo([hook], event, { id: app.id, type: 'integration' });
  }

  private sendTo(
    hooks: HookRecord[],
    event: WebhookEvent,
    target?: DeliveryTarget,
  ): void {
    if (hooks.length === 0) return;
    // The first check compiles the schemas (about 2 s, once): a new hook's ping pays for it.
    const problems = webhookPayloadProblems(event.name, event.payload);
    if (problems.length > 0) {
      const report = `${event.name}.${String(
        event.payload.action ?? '',
      )}: ${problems.slice(0, 5).join('; ')}`;
      this.problems.push(report);
      process.stderr.write(
        `sandbox: webhook payload refused by its schema: ${report}\n`,
      );
      return;
    }
    for (const hook of hooks) this.enqueue(hook, event, target);
  }

  /** The hook's recent deliveries, newest first. */
  recent(hookId: number): DeliveryRecord[] {
    return [...(this.deliveries.get(hookId) ?? [])].reverse();
  }

  /** Resolves once every delivery queued so far has been answered (or failed). */
  async idle(): Promise<void> {
    let pending = [...this.queues.values()];
    while (pending.length > 0) {
      await Promise.all(pending);
      const settled = pending;
      pending = [...this.queues.values()].filter(q => !settled.includes(q));
    }
  }

  forget(hookId: number): void {
    this.deliveries.delete(hookId);
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.idle();
  }

  private enqueue(
    hook: HookRecord,
    event: WebhookEvent,
    target?: DeliveryTarget,
  ): void {
    if (this.closed) return;
    const previous = this.queues.get(hook.id) ?? Promise.resolve();
    const next = previous.then(() => this.deliver(hook, event, target));
    this.queues.set(hook.id, next);
    void next.then(() => {
      if (this.queues.get(hook.id) === next) this.queues.delete(hook.id);
    });
  }

  private async deliver(
    hook: HookRecord,
    event: WebhookEvent,
    target: DeliveryTarget = this.targetOf(hook),
  ): Promise<void> {
    const guid = randomUUID();
    const json = JSON.stringify(event.payload);
    const body =
      hook.contentType === 'json'
        ? json
        : `payload=${encodeURIComponent(json)}`;
    const headers: Record<string, string> = {
      Accept: '*/*',
      'Content-Type':
        hook.contentType === 'json'
          ? 'application/json'
          : 'application/x-www-form-urlencoded',
      'User-Agent': 'GitHub-Hookshot/sandbox',
      'X-GitHub-Delivery': guid,
      'X-GitHub-Event': event.name,
      'X-GitHub-Hook-ID': String(hook.id),
      'X-GitHub-Hook-Installation-Target-ID': String(target.id),
      'X-GitHub-Hook-Installation-Target-Type': target.type,
      ...(hook.secret ? signatures(hook.secret, body) : {}),
    };
    const started = performance.now();
    let statusCode = 0;
    let status = 'OK';
    let responseHeaders: Record<string, string> = {};
    let responseBody: string | null = null;
    try {
      const response = await fetch(hook.url, {
        method: 'POST',
        headers,
        body,
        signal: AbortSignal.timeout(TIMEOUT_MS),
      });
      statusCode = response.status;
      responseHeaders = Object.fromEntries(response.headers.entries());
      responseBody = await response.text();
      if (!response.ok) status = `Invalid HTTP Response: ${statusCode}`;
    } catch (error) {
      status =
        error instanceof Error && error.name === 'TimeoutError'
          ? 'timed out'
          : `failed to connect to host: ${
              error instanceof Error ? error.message : String(error)
            }`;
    }
    const kept = this.deliveries.get(hook.id) ?? [];
    kept.push({
      id: (this.sequence += 1),
      guid,
      hookId: hook.id,
      deliveredAt: new Date().toISOString().replace(/\.\d{3}Z$/, 'Z'),
      duration: Math.round(performance.now() - started) / 1000,
      status,
      statusCode,
      event: event.name,
      action:
        typeof event.payload.action === 'string' ? event.payload.action : null,
      repositoryId: event.repositoryId,
      request: { headers, payload: event.payload },
      response: { headers: responseHeaders, payload: responseBody },
    });
    if (kept.length > KEPT_PER_HOOK)
      kept.splice(0, kept.length - KEPT_PER_HOOK);
    this.deliveries.set(hook.id, kept);
    hook.lastResponse = {
      code: statusCode || null,
      status: status === 'OK' ? 'active' : status,
      message: status === 'OK' ? 'OK' : status,
    };
  }

  private targetOf(hook: HookRecord): DeliveryTarget {
    return 'repositoryId' in hook.scope
      ? { id: hook.scope.repositoryId, type: 'repository' }
      : {
          id: this.organizationId(hook.scope.organization),
          type: 'organization',
        };
  }

  private organizationId(login: string): number {
    return (
      this.state().users.find(
        user => user.type === 'Organization' && user.login === login,
      )?.id ?? 0
    );
  }
}
