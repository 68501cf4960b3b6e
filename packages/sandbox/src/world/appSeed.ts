import { AppsState } from './appRecords';
import { TokenRecord, UserRecord, WorldState } from './records';

/*
 * The titanic-portal GitHub App, installed on acme-corp: the portal's integration that
 * environments may enable as a custom deployment protection rule. Its webhook has no URL until
 * someone configures it (PATCH /_sandbox/app/hook/config, GitHub's /app/hook/config shape).
 */

export const PORTAL_APP_ID = 1_040_001;
export const PORTAL_APP_SLUG = 'titanic-portal';
export const PORTAL_APP_INSTALLATION_ID = 58_000_001;
/** The App's client id: GitHub takes it, like the App id, as the `iss` of the App's JWTs. */
export const PORTAL_APP_CLIENT_ID = 'Iv23liSandboxTitanicPortal';
/**
 * A fixed installation access token of the App on acme-corp that never expires, for tests and
 * scripts that need no JWT. The App gets tokens as on GitHub too: its JWT, signed with the
 * private key (GET /_sandbox/app/private-key), at POST /app/installations/{id}/access_tokens.
 */
export const PORTAL_APP_INSTALLATION_TOKEN =
  'ghs_sandboxTitanicPortalInstallation';
export const PORTAL_APP_BOT_LOGIN = `${PORTAL_APP_SLUG}[bot]`;

export function seedApps(owner: string): AppsState {
  return {
    apps: [
      {
        id: PORTAL_APP_ID,
        slug: PORTAL_APP_SLUG,
        name: 'Titanic Portal',
        description:
          'Reviews deployments of the Titanic services from the portal.',
        ownerLogin: owner,
        clientId: PORTAL_APP_CLIENT_ID,
        externalUrl: 'http://localhost:3000',
        botLogin: PORTAL_APP_BOT_LOGIN,
        events: ['deployment_protection_rule'],
        permissions: {
          actions: 'read',
          deployments: 'write',
          metadata: 'read',
        },
        createdAt: '2026-10-01T08:30:00Z',
        updatedAt: '2026-10-01T08:30:00Z',
        webhook: {
          url: '',
          secret: null,
          contentType: 'json',
          insecureSsl: '0',
        },
        hookId: 512_900_001,
      },
    ],
    installations: [
      {
        id: PORTAL_APP_INSTALLATION_ID,
        appId: PORTAL_APP_ID,
        accountLogin: owner,
        token: PORTAL_APP_INSTALLATION_TOKEN,
        createdAt: '2026-10-01T08:31:00Z',
      },
    ],
    protectionRules: [],
    ruleChecks: [],
    sequences: { protectionRule: 3_700_000, ruleCheck: 0 },
  };
}

/** The App's bot account, which GitHub shows as the actor of what the App does. */
export const PORTAL_APP_BOT: UserRecord = {
  id: 190_100_001,
  login: PORTAL_APP_BOT_LOGIN,
  type: 'Bot',
  name: 'Titanic Portal',
  email: '',
  siteAdmin: false,
};

export const PORTAL_APP_TOKEN: TokenRecord = {
  token: PORTAL_APP_INSTALLATION_TOKEN,
  login: PORTAL_APP_BOT_LOGIN,
  permission: 'write',
  installationId: PORTAL_APP_INSTALLATION_ID,
};

/** The App records of `state`, seeded the first time a snapshot without them is read. */
export function appsOf(state: WorldState): AppsState {
  if (!state.apps) {
    state.apps = seedApps(state.repository.owner);
    if (!state.users.some(user => user.login === PORTAL_APP_BOT_LOGIN))
      state.users.push({ ...PORTAL_APP_BOT });
    if (
      !state.githubTokens.some(t => t.token === PORTAL_APP_INSTALLATION_TOKEN)
    )
      state.githubTokens.push({ ...PORTAL_APP_TOKEN });
  }
  return state.apps;
}
