import { randomBytes } from 'node:crypto';
import { UserRecord, WorldState } from '../../world/records';

/*
 * GitHub's OAuth web flow, as github.com runs it for an OAuth App
 * (https://docs.github.com/en/apps/oauth-apps/building-oauth-apps/authorizing-oauth-apps):
 * the app sends the person to /login/oauth/authorize, GitHub sends them back to the app's
 * callback with a code, and the app exchanges the code for a token at /login/oauth/access_token.
 * Codes are single-use, expire after ten minutes and belong to the app and redirect_uri they
 * were issued for.
 */

export interface OAuthApp {
  name: string;
  clientId: string;
  clientSecret: string;
  /** The callback URL registered for the app; redirect_uri must be it or a path below it. */
  callbackUrl: string;
}

/** The app `scripts/portal --production` signs people in with (app-config.sandbox-production.yaml). */
export const PORTAL_OAUTH_APP: OAuthApp = {
  name: 'Titanic Portal',
  clientId: 'sandbox-oauth-client-id',
  clientSecret: 'sandbox-oauth-client-secret',
  callbackUrl: 'http://localhost:7007/api/auth/github/handler/frame',
};

const CODE_LIFETIME_MS = 10 * 60 * 1000;

interface IssuedCode {
  clientId: string;
  redirectUri: string;
  login: string;
  scopes: string[];
  expiresAt: number;
}

/** GitHub answers a failed exchange with 200 and these fields (its documented error codes). */
export interface OAuthExchangeError {
  error:
    | 'incorrect_client_credentials'
    | 'redirect_uri_mismatch'
    | 'bad_verification_code'
    | 'unsupported_grant_type';
  error_description: string;
  error_uri: string;
}

export interface OAuthToken {
  access_token: string;
  token_type: 'bearer';
  scope: string;
}

/** Whether `redirectUri` is allowed for `app`: same scheme, host and port, a path at or below. */
export function redirectAllowed(app: OAuthApp, redirectUri: string): boolean {
  let registered: URL;
  let requested: URL;
  try {
    registered = new URL(app.callbackUrl);
    requested = new URL(redirectUri);
  } catch {
    return false;
  }
  const base = registered.pathname.replace(/\/$/, '');
  return (
    requested.protocol === registered.protocol &&
    requested.host === registered.host &&
    (requested.pathname === registered.pathname ||
      requested.pathname.startsWith(`${base}/`))
  );
}

/** Scopes as GitHub normalises them: comma or space separated, duplicates dropped. */
export function parseScopes(scope: string | null | undefined): string[] {
  return [
    ...new Set(
      (scope ?? '')
        .split(/[\s,]+/)
        .map(part => part.trim())
        .filter(Boolean),
    ),
  ];
}

export class OAuthAuthority {
  private readonly apps = new Map<string, OAuthApp>();
  private readonly codes = new Map<string, IssuedCode>();

  constructor(
    private readonly state: () => WorldState,
    apps: OAuthApp[] = [PORTAL_OAUTH_APP],
    private readonly now: () => number = Date.now,
  ) {
    for (const app of apps) this.register(app);
  }

  register(app: OAuthApp): void {
    this.apps.set(app.clientId, app);
  }

  app(clientId: string | null | undefined): OAuthApp | undefined {
    return clientId ? this.apps.get(clientId) : undefined;
  }

  /** The people who can sign in to GitHub here (accounts, not organisations or the portal's bot). */
  people(): UserRecord[] {
    return this.state().users.filter(
      user => user.type === 'User' && !user.login.endsWith('-bot'),
    );
  }

  /** Issues the code GitHub appends to the redirect after the person authorised the app. */
  authorize(request: {
    app: OAuthApp;
    redirectUri: string;
    login: string;
    scopes: string[];
  }): string {
    const code = randomBytes(10).toString('hex');
    this.codes.set(code, {
      clientId: request.app.clientId,
      redirectUri: request.redirectUri,
      login: request.login,
      scopes: request.scopes,
      expiresAt: this.now() + CODE_LIFETIME_MS,
    });
    return code;
  }

  /** Exchanges a code for a token, once. */
  exchange(request: {
    clientId?: string;
    clientSecret?: string;
    code?: string;
    redirectUri?: string;
    grantType?: string;
  }): OAuthToken | OAuthExchangeError {
    const app = this.app(request.clientId);
    if (!app || app.clientSecret !== request.clientSecret) {
      return exchangeError(
        'incorrect_client_credentials',
        'The client_id and/or client_secret passed are incorrect.',
      );
    }
    if (request.grantType && request.grantType !== 'authorization_code') {
      return exchangeError(
        'unsupported_grant_type',
        'The grant type is not supported.',
      );
    }
    const issued = request.code ? this.codes.get(request.code) : undefined;
    // A code is spent by its first exchange, whatever the outcome: a replay never succeeds.
    if (request.code) this.codes.delete(request.code);
    if (
      !issued ||
      issued.clientId !== app.clientId ||
      issued.expiresAt <= this.now()
    ) {
      return exchangeError(
        'bad_verification_code',
        'The code passed is incorrect or expired.',
      );
    }
    if (request.redirectUri && request.redirectUri !== issued.redirectUri) {
      return exchangeError(
        'redirect_uri_mismatch',
        'The redirect_uri MUST match the registered callback URL for this application.',
      );
    }
    const member = this.state().organizationMembers.some(
      m => m.login === issued.login,
    );
    const token = `gho_${randomBytes(18).toString('base64url')}`;
    this.state().githubTokens.push({
      token,
      login: issued.login,
      // An organisation member may act where the organisation lets its members; others read.
      permission: member ? 'write' : 'read',
      scopes: issued.scopes,
    });
    return {
      access_token: token,
      token_type: 'bearer',
      scope: issued.scopes.join(','),
    };
  }
}

function exchangeError(
  error: OAuthExchangeError['error'],
  description: string,
): OAuthExchangeError {
  return {
    error,
    error_description: description,
    error_uri: `https://docs.github.com/apps/managing-oauth-apps/troubleshooting-oauth-app-access-token-request-errors/#${error.replace(
      /_/g,
      '-',
    )}`,
  };
}
