import { randomInt } from 'node:crypto';
import {
  AppInstallationRecord,
  GitHubAppRecord,
  TokenRecord,
  WorldState,
} from '../../world/records';
import { iso } from '../../world/timestamps';

/*
 * Installation access tokens, as GitHub issues them to an App for one of its installations
 * (POST /app/installations/{installation_id}/access_tokens): a new `ghs_…` token on every call,
 * acting as the App's bot with the installation's permissions (or fewer, when asked), for an
 * hour. The sandbox keeps them with every other token (`githubTokens`); an expired one is
 * refused like an unknown one (401 Bad credentials) and dropped when the next one is issued.
 * The seeded installation's fixed token (PORTAL_APP_INSTALLATION_TOKEN) does not expire.
 */

export const INSTALLATION_TOKEN_LIFETIME_MS = 60 * 60 * 1000;

const TOKEN_ALPHABET =
  'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

export function isExpired(token: TokenRecord, now: number): boolean {
  return token.expiresAt !== undefined && Date.parse(token.expiresAt) <= now;
}

/** The token `presented` names, unless there is none or it expired. */
export function usableToken(
  tokens: readonly TokenRecord[],
  presented: string,
  now: number,
): TokenRecord | undefined {
  const token = tokens.find(t => t.token === presented);
  return token && !isExpired(token, now) ? token : undefined;
}

/**
 * The permissions a token asked for with `requested` (absent: all the installation has) may
 * carry, or undefined when it asks for one the installation does not have, or for more of it.
 */
export function grantablePermissions(
  granted: Record<string, 'read' | 'write'>,
  requested: Record<string, unknown> | undefined,
): Record<string, 'read' | 'write'> | undefined {
  if (!requested) return { ...granted };
  const permissions: Record<string, 'read' | 'write'> = {};
  for (const [name, level] of Object.entries(requested)) {
    const has = granted[name];
    if (!has || (level !== 'read' && level !== 'write')) return undefined;
    if (level === 'write' && has !== 'write') return undefined;
    permissions[name] = level;
  }
  return permissions;
}

/** Issues a new installation access token of `app` for `installation`, valid for an hour. */
export function issueInstallationToken(
  state: WorldState,
  app: GitHubAppRecord,
  installation: AppInstallationRecord,
  permissions: Record<string, 'read' | 'write'>,
  now: number,
): TokenRecord {
  state.githubTokens = state.githubTokens.filter(t => !isExpired(t, now));
  let value = 'ghs_';
  for (let i = 0; i < 36; i++)
    value += TOKEN_ALPHABET[randomInt(TOKEN_ALPHABET.length)];
  const token: TokenRecord = {
    token: value,
    login: app.botLogin,
    permission: Object.values(permissions).includes('write') ? 'write' : 'read',
    installationId: installation.id,
    expiresAt: iso(now + INSTALLATION_TOKEN_LIFETIME_MS),
  };
  state.githubTokens.push(token);
  return token;
}
