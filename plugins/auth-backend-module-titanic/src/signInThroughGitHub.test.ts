import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import authPlugin from '@backstage/plugin-auth-backend';
import catalogPlugin from '@backstage/plugin-catalog-backend';
import catalogModuleGithubOrg from '@backstage/plugin-catalog-backend-module-github-org';
import {
  GITHUB_PORTAL_BOT_TOKEN,
  GitHubSandbox,
  startGitHubServer,
} from '@internal/sandbox';
import { AddressInfo } from 'node:net';
import authModuleTitanicGitHubProvider from './index';

/*
 * GitHub sign-in from end to end, over HTTP as a browser's popup does it: the portal's auth backend
 * (this module, Backstage's auth plugin), the people and teams read from the sandbox GitHub's
 * organisation by the github-org catalog provider into a real catalog, and the sandbox's OAuth web
 * flow. Who signs in is decided by GitHub's answer and the catalog, never by the request.
 */

jest.setTimeout(120_000);

const APP_ORIGIN = 'http://localhost:3000';
let github: GitHubSandbox;
let backend: Awaited<ReturnType<typeof startTestBackend>>;
let backendUrl: string;

async function eventually<T>(
  what: string,
  probe: () => Promise<T | undefined>,
  timeoutMs = 60_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise(resolve => setTimeout(resolve, 200));
  }
}

beforeAll(async () => {
  github = await startGitHubServer();
  const host = `localhost:${new URL(github.baseUrl).port}`;
  backend = await startTestBackend({
    features: [
      authPlugin,
      authModuleTitanicGitHubProvider,
      catalogPlugin,
      catalogModuleGithubOrg,
      mockServices.rootConfig.factory({
        data: {
          app: { baseUrl: APP_ORIGIN },
          integrations: {
            github: [
              {
                host,
                apiBaseUrl: github.baseUrl,
                token: GITHUB_PORTAL_BOT_TOKEN,
              },
            ],
          },
          auth: {
            environment: 'production',
            providers: {
              github: {
                production: {
                  clientId: 'test-portal',
                  clientSecret: 'test-portal-secret',
                  enterpriseInstanceUrl: github.baseUrl,
                },
              },
            },
          },
          catalog: {
            rules: [{ allow: ['User', 'Group'] }],
            providers: {
              githubOrg: {
                id: 'sandbox',
                githubUrl: `http://${host}`,
                orgs: ['acme-corp'],
                schedule: {
                  frequency: { minutes: 30 },
                  timeout: { minutes: 1 },
                },
              },
            },
          },
        },
      }),
    ],
  });
  backendUrl = `http://localhost:${
    (backend.server.address() as AddressInfo).port
  }`;
  github.oauth.register({
    name: 'Test Portal',
    clientId: 'test-portal',
    clientSecret: 'test-portal-secret',
    callbackUrl: `${backendUrl}/api/auth/github/handler/frame`,
  });
  // The organisation's people reach the catalog through the github-org provider.
  await eventually('alice in the catalog', async () => {
    const response = await fetch(
      `${backendUrl}/api/catalog/entities/by-name/user/default/alice`,
      { headers: { authorization: mockCredentials.service.header() } },
    );
    return response.ok ? true : undefined;
  });
});

afterAll(async () => {
  await backend?.stop();
  await github?.close();
});

interface WebMessage {
  type: string;
  response?: {
    backstageIdentity?: {
      identity: { userEntityRef: string; ownershipEntityRefs: string[] };
    };
  };
  error?: { name: string; message: string };
}

/** The message the sign-in popup posts to the app, from the page the callback answers. */
function postedMessage(html: string): WebMessage {
  const encoded = /var authResponse = decodeURIComponent\('([^']*)'\)/.exec(
    html,
  )?.[1];
  if (!encoded)
    throw new Error(`not a sign-in response page: ${html.slice(0, 200)}`);
  return JSON.parse(decodeURIComponent(encoded));
}

/** The Cookie header a browser sends back: cookies the response deleted (Max-Age=0) are gone. */
const cookieHeader = (setCookies: string[]) =>
  setCookies
    .filter(cookie => !/;\s*Max-Age=0(;|$)/i.test(cookie))
    .map(cookie => cookie.split(';')[0])
    .join('; ');

/** The popup: start, the person chosen on GitHub's authorize page, the callback with its cookies. */
async function signInAs(login: string) {
  const start = await fetch(
    `${backendUrl}/api/auth/github/start?env=production&scope=read:user&origin=${encodeURIComponent(
      APP_ORIGIN,
    )}&flow=popup`,
    { redirect: 'manual' },
  );
  expect(start.status).toBe(302);
  const cookies = cookieHeader(start.headers.getSetCookie());
  const authorize = new URL(start.headers.get('location')!);
  expect(authorize.origin + authorize.pathname).toBe(
    `${github.baseUrl}/login/oauth/authorize`,
  );
  const chosen = await fetch(`${github.baseUrl}/login/oauth/authorize`, {
    method: 'POST',
    body: new URLSearchParams({
      client_id: authorize.searchParams.get('client_id')!,
      redirect_uri: authorize.searchParams.get('redirect_uri')!,
      state: authorize.searchParams.get('state')!,
      scope: authorize.searchParams.get('scope') ?? '',
      login,
    }),
    redirect: 'manual',
  });
  expect(chosen.status).toBe(302);
  const callback = chosen.headers.get('location')!;
  const finish = (url: string, cookie: string) =>
    fetch(url, { headers: cookie ? { cookie } : {}, redirect: 'manual' }).then(
      async response => postedMessage(await response.text()),
    );
  return {
    callback,
    cookies,
    finish,
    message: await finish(callback, cookies),
  };
}

describe('signing in to the portal with GitHub', () => {
  it('signs an organisation member in as their catalog user, with their teams', async () => {
    const { message } = await signInAs('alice');

    expect(message.error).toBeUndefined();
    expect(message.response?.backstageIdentity?.identity).toEqual({
      type: 'user',
      userEntityRef: 'user:default/alice',
      ownershipEntityRefs: expect.arrayContaining([
        'user:default/alice',
        'group:default/titanic-team',
        'group:default/titanic-maintainers',
      ]),
    });
  });

  it('refuses a GitHub account outside the organisation, saying why, and creates no user', async () => {
    const { message } = await signInAs('mallory');

    expect(message.response).toBeUndefined();
    expect(message.error).toMatchObject({
      name: 'NotAllowedError',
      message: expect.stringContaining(
        'The GitHub account "mallory" is not a person of this portal',
      ),
    });
    const mallory = await fetch(
      `${backendUrl}/api/catalog/entities/by-name/user/default/mallory`,
      { headers: { authorization: mockCredentials.service.header() } },
    );
    expect(mallory.status).toBe(404);
  });

  it('refuses a callback whose state was not started in this browser (forged, or its nonce expired)', async () => {
    const { callback } = await freshCallback('bob');

    const withoutNonce = await fetch(callback, { redirect: 'manual' });
    const message = postedMessage(await withoutNonce.text());

    expect(message.error).toMatchObject({
      name: 'NotAllowedError',
      message: 'Auth response is missing cookie nonce',
    });
    expect(message.response).toBeUndefined();
  });

  it('refuses a callback replayed with its own cookies: the code was spent by the first', async () => {
    const { callback, cookies, finish, message } = await signInAs('bob');
    expect(message.response?.backstageIdentity?.identity.userEntityRef).toBe(
      'user:default/bob',
    );

    const replayed = await finish(callback, cookies);

    expect(replayed.response).toBeUndefined();
    // GitHub answered bad_verification_code; passport reports it as no token obtained.
    expect(replayed.error?.message).toBe(
      'Authentication failed, Failed to obtain access token',
    );
  });

  it("refuses a state carrying another browser's nonce", async () => {
    const mine = await freshCallback('carol');
    const theirs = await freshCallback('carol');

    const crossed = await fetch(theirs.callback, {
      headers: { cookie: mine.cookies },
      redirect: 'manual',
    });

    expect(postedMessage(await crossed.text()).error).toMatchObject({
      name: 'NotAllowedError',
      message: 'Invalid nonce',
    });
  });
});

/** Start and choose, without finishing: a callback URL and the cookies of the browser that started. */
async function freshCallback(login: string) {
  const start = await fetch(
    `${backendUrl}/api/auth/github/start?env=production&scope=read:user&origin=${encodeURIComponent(
      APP_ORIGIN,
    )}&flow=popup`,
    { redirect: 'manual' },
  );
  const cookies = cookieHeader(start.headers.getSetCookie());
  const authorize = new URL(start.headers.get('location')!);
  const chosen = await fetch(`${github.baseUrl}/login/oauth/authorize`, {
    method: 'POST',
    body: new URLSearchParams({
      client_id: authorize.searchParams.get('client_id')!,
      redirect_uri: authorize.searchParams.get('redirect_uri')!,
      state: authorize.searchParams.get('state')!,
      login,
    }),
    redirect: 'manual',
  });
  return { callback: chosen.headers.get('location')!, cookies };
}
