import { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';
import { ScmIntegrations } from '@backstage/integration';

/*
 * What the GitHub webhook ingress reads from configuration, once, at startup. The secrets are
 * upstream's keys (@backstage/plugin-events-backend-module-github): the generic
 * `events.modules.github.webhookSecret` and each GitHub App's `webhookSecret`.
 */

export interface WebhookSettings {
  /** Every secret a delivery may be signed with; empty turns the ingress off. */
  secrets: string[];
  /** Bodies longer than this are refused unread (413). */
  maxPayloadBytes: number;
  /** How long a delivery id is remembered to refuse its replay. */
  rememberDeliveriesMs: number;
}

export const DEFAULT_MAX_PAYLOAD_KILOBYTES = 1024;
export const DEFAULT_REMEMBER_DELIVERIES_DAYS = 7;

export function readWebhookSettings(config: Config): WebhookSettings {
  const secrets = new Set<string>();
  const generic = config.getOptionalString(
    'events.modules.github.webhookSecret',
  );
  if (generic) secrets.add(generic);
  for (const integration of ScmIntegrations.fromConfig(config).github.list()) {
    for (const app of integration.config.apps ?? []) {
      if (app.webhookSecret) secrets.add(app.webhookSecret);
    }
  }
  const positive = (key: string, fallback: number) => {
    const value = config.getOptionalNumber(key) ?? fallback;
    if (!(value > 0)) throw new InputError(`${key} must be a number > 0`);
    return value;
  };
  return {
    secrets: [...secrets],
    maxPayloadBytes:
      positive(
        'delivery.webhooks.maxPayloadKilobytes',
        DEFAULT_MAX_PAYLOAD_KILOBYTES,
      ) * 1024,
    rememberDeliveriesMs:
      positive(
        'delivery.webhooks.rememberDeliveriesDays',
        DEFAULT_REMEMBER_DELIVERIES_DAYS,
      ) *
      24 *
      3600 *
      1000,
  };
}

/**
 * Refuses a configuration under which the events backend would accept unsigned GitHub posts:
 * `events.http.topics` listing `github` adds an ingress without a validator when no module
 * registers one, and without a secret this module registers none.
 */
export function assertNoUnsignedIngress(
  config: Config,
  settings: WebhookSettings,
): void {
  const topics = config.getOptionalStringArray('events.http.topics') ?? [];
  if (settings.secrets.length === 0 && topics.includes('github')) {
    throw new InputError(
      'events.http.topics lists "github" but no GitHub webhook secret is configured ' +
        '(events.modules.github.webhookSecret or integrations.github[].apps[].webhookSecret): ' +
        'the portal would accept unsigned webhooks. Configure a secret or remove the topic.',
    );
  }
}
