import {
  AuditorService,
  AuditorServiceCreateEventOptions,
  LoggerService,
} from '@backstage/backend-plugin-api';

/** Why a post to the GitHub webhook endpoint was refused, with the status it is answered with. */
export const WEBHOOK_REFUSALS = {
  /** The body is longer than delivery.webhooks.maxPayloadKilobytes. */
  'payload-too-large': 413,
  /** Not `application/json` (a hook must be configured with content type json). */
  'unsupported-media-type': 415,
  /** No X-Hub-Signature-256: the hook has no secret, or the post is not GitHub's. */
  'signature-missing': 401,
  /** X-Hub-Signature-256 is not the body's signature under any configured secret. */
  'signature-mismatch': 401,
  /** No X-GitHub-Delivery: a replay could not be told apart. */
  'delivery-id-missing': 400,
  /** No X-GitHub-Event. */
  'event-missing': 400,
  /** A delivery with this X-GitHub-Delivery was accepted before, by this or another replica. */
  'replayed-delivery': 409,
} as const;

export type WebhookRefusalReason = keyof typeof WEBHOOK_REFUSALS;

/** What GitHub (or whoever posted) gets back: the reason and a sentence. */
export interface WebhookRefusalBody {
  error: {
    name: 'WebhookRefused';
    message: string;
    reason: WebhookRefusalReason;
  };
}

/** The headers a refusal names, so an operator finds the delivery in GitHub's hook log. */
export interface PostedWebhook {
  delivery?: string;
  event?: string;
  hookId?: string;
  bytes?: number;
}

/** One header's value (the first, if repeated). */
export function header(
  headers: Record<string, string | string[] | undefined>,
  name: string,
): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

export function postedWebhook(
  headers: Record<string, string | string[] | undefined>,
  bytes?: number,
): PostedWebhook {
  return {
    delivery: header(headers, 'x-github-delivery'),
    event: header(headers, 'x-github-event'),
    hookId: header(headers, 'x-github-hook-id'),
    ...(bytes !== undefined ? { bytes } : {}),
  };
}

/**
 * Records every refusal as an auditor event (a failed `github-webhook`, severity medium: someone
 * posted what GitHub would not) and answers its status and body. Nothing refused is published.
 */
export class WebhookRefusals {
  constructor(
    private readonly auditor: AuditorService,
    private readonly logger: LoggerService,
  ) {}

  async refuse(
    reason: WebhookRefusalReason,
    message: string,
    posted: PostedWebhook,
    request?: AuditorServiceCreateEventOptions['request'],
  ): Promise<{ status: number; body: WebhookRefusalBody }> {
    const status = WEBHOOK_REFUSALS[reason];
    const meta = {
      reason,
      status,
      ...Object.fromEntries(
        Object.entries(posted).filter(([, value]) => value !== undefined),
      ),
    };
    const event = await this.auditor.createEvent({
      eventId: 'github-webhook',
      severityLevel: 'medium',
      request,
      meta,
    });
    const error = Object.assign(new Error(message), { name: 'WebhookRefused' });
    await event.fail({ error, meta });
    this.logger.warn(`Refused a GitHub webhook (${reason}): ${message}`, meta);
    return {
      status,
      body: { error: { name: 'WebhookRefused', message, reason } },
    };
  }
}
