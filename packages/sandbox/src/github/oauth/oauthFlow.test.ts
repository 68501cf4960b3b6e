import { Octokit } from '@octokit/rest';
import { GitHubSandbox, startGitHubServer } from '../../index';
import { OAuthAuthority, PORTAL_OAUTH_APP, redirectAllowed } from './oauthApps';
import { createSeedWorld } from '../../world/seedWorld';

/*
 * GitHub's OAuth web flow on the sandbox: the authorize page, the redirect with a code, the code
 * exchanged once for a token that then works on the REST API (also under GHES's /api/v3).
 */

let github: GitHubSandbox;
const CALLBACK = 'http://127.0.0.1:7999/api/auth/github/handler/frame';
const app = {
  name: 'Test Portal',
  clientId: 'test-client',
  clientSecret: 'test-secret',
  callbackUrl: CALLBACK,
};

beforeAll(async () => {
  github = await startGitHubServer({ oauthApps: [app] });
});

afterAll(async () => {
  await github?.close();
});

function authorizeUrl(params: Record<string, string>) {
  const url = new URL('/login/oauth/authorize', github.baseUrl);
  for (const [key, value] of Object.entries(params))
    url.searchParams.set(key, value);
  return url;
}

/** What the browser does when the person picks `login` on the authorize page. */
async function choose(login: string, params: Record<string, string> = {}) {
  const form = new URLSearchParams({
    client_id: app.clientId,
    redirect_uri: `${CALLBACK}?env=production`,
    state: 'opaque-state',
    scope: 'read:user',
    login,
    ...params,
  });
  return fetch(new URL('/login/oauth/authorize', github.baseUrl), {
    method: 'POST',
    body: form,
    redirect: 'manual',
  });
}

async function codeFor(login: string) {
  const response = await choose(login);
  return new URL(response.headers.get('location')!).searchParams.get('code')!;
}

async function exchange(
  fields: Record<string, string>,
  accept = 'application/json',
) {
  const response = await fetch(
    new URL('/login/oauth/access_token', github.baseUrl),
    {
      method: 'POST',
      headers: { accept },
      body: new URLSearchParams({
        client_id: app.clientId,
        client_secret: app.clientSecret,
        redirect_uri: `${CALLBACK}?env=production`,
        ...fields,
      }),
    },
  );
  expect(response.status).toBe(200);
  return accept === 'application/json'
    ? response.json()
    : Object.fromEntries(new URLSearchParams(await response.text()));
}

describe("the sandbox's OAuth web flow", () => {
  it('shows the app and the people one can be, never the bot', async () => {
    const response = await fetch(
      authorizeUrl({
        client_id: app.clientId,
        redirect_uri: CALLBACK,
        state: 's',
      }),
    );
    const html = await response.text();

    expect(response.status).toBe(200);
    expect(html).toContain('Authorize Test Portal');
    for (const login of ['alice', 'bob', 'carol', 'dave', 'mallory']) {
      expect(html).toContain(`Continue as ${login} (`);
    }
    expect(html).not.toContain('Continue as titanic-portal-bot');
  });

  it('refuses an unknown app and a redirect outside its callback URL', async () => {
    const unknown = await fetch(authorizeUrl({ client_id: 'nobody' }));
    const elsewhere = await fetch(
      authorizeUrl({
        client_id: app.clientId,
        redirect_uri: 'http://evil.example/cb',
      }),
    );
    const sibling = await choose('alice', {
      redirect_uri: 'http://127.0.0.1:7999/api/auth/other',
    });

    expect(unknown.status).toBe(404);
    expect(elsewhere.status).toBe(400);
    expect(await elsewhere.text()).toContain(
      'is not associated with Test Portal',
    );
    expect(sibling.status).toBe(400);
  });

  it('sends the person back with a code and the state', async () => {
    const response = await choose('alice');
    const location = new URL(response.headers.get('location')!);

    expect(response.status).toBe(302);
    expect(location.origin + location.pathname).toBe(CALLBACK);
    expect(location.searchParams.get('env')).toBe('production');
    expect(location.searchParams.get('state')).toBe('opaque-state');
    expect(location.searchParams.get('code')).toMatch(/^[0-9a-f]{20}$/);
  });

  it('exchanges a code once for a token that is the person on the REST API', async () => {
    const token = await exchange({ code: await codeFor('alice') });

    expect(token).toEqual({
      access_token: expect.stringMatching(/^gho_/),
      token_type: 'bearer',
      scope: 'read:user',
    });
    const octokit = new Octokit({
      baseUrl: github.baseUrl,
      auth: token.access_token,
    });
    const { data: me, headers } = await octokit.rest.users.getAuthenticated();
    expect(me.login).toBe('alice');
    expect(headers['x-oauth-scopes']).toBe('read:user');
    const { data: emails } =
      await octokit.rest.users.listEmailsForAuthenticatedUser();
    expect(emails).toEqual([
      {
        email: 'alice@acme-corp.example',
        primary: true,
        verified: true,
        visibility: 'private',
      },
    ]);
    // A GitHub Enterprise client finds the same API under /api/v3.
    const enterprise = new Octokit({
      baseUrl: `${github.baseUrl}/api/v3`,
      auth: token.access_token,
    });
    expect((await enterprise.rest.users.getAuthenticated()).data.node_id).toBe(
      me.node_id,
    );
  });

  it('answers a form-encoded exchange in the form GitHub uses by default', async () => {
    const token = await exchange({ code: await codeFor('bob') }, '*/*');

    expect(token).toMatchObject({ token_type: 'bearer', scope: 'read:user' });
  });

  it('refuses a replayed code, a wrong secret and a different redirect_uri, issuing nothing', async () => {
    const tokensBefore = github.world.state.githubTokens.length;
    const code = await codeFor('carol');
    await exchange({ code });

    expect(await exchange({ code })).toMatchObject({
      error: 'bad_verification_code',
    });
    expect(
      await exchange({
        code: await codeFor('carol'),
        client_secret: 'guessed',
      }),
    ).toMatchObject({ error: 'incorrect_client_credentials' });
    expect(
      await exchange({ code: await codeFor('carol'), redirect_uri: CALLBACK }),
    ).toMatchObject({ error: 'redirect_uri_mismatch' });
    expect(github.world.state.githubTokens.length).toBe(tokensBefore + 1);
  });

  it("gives an outsider's token read access only", async () => {
    const token = await exchange({ code: await codeFor('mallory') });
    const member = await exchange({ code: await codeFor('dave') });

    const permissionOf = (value: string) =>
      github.world.state.githubTokens.find(t => t.token === value)?.permission;
    expect(permissionOf(token.access_token)).toBe('read');
    expect(permissionOf(member.access_token)).toBe('write');
  });
});

describe('OAuth codes', () => {
  it('expire after ten minutes', () => {
    let now = Date.parse('2026-12-03T10:00:00Z');
    const state = createSeedWorld();
    const issuing = new OAuthAuthority(
      () => state,
      [PORTAL_OAUTH_APP],
      () => now,
    );
    const code = issuing.authorize({
      app: PORTAL_OAUTH_APP,
      redirectUri: PORTAL_OAUTH_APP.callbackUrl,
      login: 'alice',
      scopes: [],
    });
    now += 10 * 60 * 1000;

    expect(
      issuing.exchange({
        clientId: PORTAL_OAUTH_APP.clientId,
        clientSecret: PORTAL_OAUTH_APP.clientSecret,
        code,
      }),
    ).toMatchObject({ error: 'bad_verification_code' });
    expect(state.githubTokens.some(token => token.login === 'alice')).toBe(
      false,
    );
  });

  it('return only to the callback URL or a path below it, on the same origin', () => {
    const allowed = (uri: string) => redirectAllowed(PORTAL_OAUTH_APP, uri);

    expect(allowed('http://localhost:7007/api/auth/github/handler/frame')).toBe(
      true,
    );
    expect(
      allowed('http://localhost:7007/api/auth/github/handler/frame/x?y=1'),
    ).toBe(true);
    expect(allowed('http://localhost:7008/api/auth/github/handler/frame')).toBe(
      false,
    );
    expect(
      allowed('https://localhost:7007/api/auth/github/handler/frame'),
    ).toBe(false);
    expect(
      allowed('http://localhost:7007/api/auth/github/handler/frameX'),
    ).toBe(false);
    expect(allowed('not a url')).toBe(false);
  });
});
