import { PORTAL_APP_ID, appsOf } from '../world/appSeed';
import { GitHubAppRecord } from '../world/records';
import { iso } from '../world/timestamps';
import { SandboxWorld } from '../world/sandboxWorld';

/* An App's webhook configuration, changed as GitHub's PATCH /app/hook/config changes it. */

export function portalApp(world: SandboxWorld): GitHubAppRecord {
  return appsOf(world.state).apps.find(app => app.id === PORTAL_APP_ID)!;
}

/** Applies `input` (url, content_type, secret, insecure_ssl); what is wrong with it, if anything. */
export function configureAppHook(
  app: GitHubAppRecord,
  input: Record<string, unknown>,
): string | undefined {
  const {
    url,
    content_type: contentType,
    secret,
    insecure_ssl: insecure,
  } = input;
  if (url !== undefined) {
    if (typeof url !== 'string' || (url !== '' && !URL.canParse(url)))
      return `url ${JSON.stringify(url)} is not a URL`;
  }
  if (
    contentType !== undefined &&
    contentType !== 'json' &&
    contentType !== 'form'
  )
    return 'content_type must be "json" or "form"';
  if (secret !== undefined && secret !== null && typeof secret !== 'string')
    return 'secret must be a string';
  const insecureSsl =
    typeof insecure === 'number' ? String(insecure) : insecure;
  if (insecureSsl !== undefined && insecureSsl !== '0' && insecureSsl !== '1')
    return 'insecure_ssl must be "0" or "1"';
  if (url !== undefined) app.webhook.url = url as string;
  if (contentType !== undefined)
    app.webhook.contentType = contentType as 'json' | 'form';
  if (secret !== undefined) app.webhook.secret = (secret as string) || null;
  if (insecureSsl !== undefined)
    app.webhook.insecureSsl = insecureSsl as '0' | '1';
  app.updatedAt = iso(Date.now());
  return undefined;
}
