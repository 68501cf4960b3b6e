/* eslint jest/expect-expect: ["warn", { "assertFunctionNames": ["expect", "refused"] }] */
import { ConfigReader } from '@backstage/config';
import {
  DefaultGithubCredentialsProvider,
  ScmIntegrations,
} from '@backstage/integration';
import { Octokit } from '@octokit/rest';
import { generateKeyPairSync } from 'node:crypto';
import http from 'node:http';
import { ListeningServer, listen, readBody } from '../../http/listen';
import {
  PORTAL_APP_CLIENT_ID,
  PORTAL_APP_ID,
  PORTAL_APP_INSTALLATION_ID,
  PORTAL_APP_INSTALLATION_TOKEN,
  appsOf,
} from '../../world/appSeed';
import {
  GITHUB_ORG_ADMIN_TOKEN,
  GITHUB_PORTAL_BOT_TOKEN,
} from '../../world/seedRepository';
import {
  ServiceRepository,
  serviceRepository,
} from '../runner/__testUtils__/serviceRepository';
import { GitHubSandbox, startGitHubServer } from '../server';
import { signAppJwt } from '../testing/appJwt';
import { JWT_MESSAGES } from './appJwt';

/*
 * GitHub App authentication as GitHub runs it: the App's private key (downloaded from the
 * sandbox as from the App's settings) signs a JWT that is the App itself — GET /app, its
 * installations — and that JWT gets installation access tokens, each new, for an hour, which act
 * as the App's installation (its custom deployment protection rule's callback among others).
 * Backstage's own credentials provider, configured with `apps`, gets a token the sandbox accepts.
 */

jest.setTimeout(60_000);

const owner = 'acme-corp';
const repo = 'titanic-service';
let github: GitHubSandbox;
let privateKey: string;
let keyDownload: Response;

const now = () => Math.floor(Date.now() / 1000);

async function call(
  method: string,
  path: string,
  credential: string | undefined,
  body?: unknown,
) {
  const response = await fetch(`${github.baseUrl}${path}`, {
    method,
    headers: credential ? { authorization: `Bearer ${credential}` } : {},
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return {
    status: response.status,
    headers: response.headers,
    body: text ? JSON.parse(text) : undefined,
  };
}

const appJwt = () => signAppJwt(privateKey, { iss: PORTAL_APP_ID });

async function mintToken(
  body?: unknown,
  installationId = PORTAL_APP_INSTALLATION_ID,
): Promise<any> {
  const minted = await call(
    'POST',
    `/app/installations/${installationId}/access_tokens`,
    appJwt(),
    body,
  );
  expect(minted.status).toBe(201);
  return minted.body;
}

beforeAll(async () => {
  github = await startGitHubServer({ timeScale: 0.01 });
  // The private key, downloaded as a developer downloads it.
  keyDownload = await fetch(`${github.baseUrl}/_sandbox/app/private-key`);
  privateKey = await keyDownload.text();
});

afterAll(async () => {
  await github?.close();
});

it('hands out the App private key as GitHub downloads it: a PKCS#1 PEM, the same every time', async () => {
  expect(keyDownload.status).toBe(200);
  expect(keyDownload.headers.get('content-type')).toBe(
    'application/x-pem-file',
  );
  expect(keyDownload.headers.get('content-disposition')).toMatch(
    /^attachment; filename="titanic-portal\.\d{4}-\d{2}-\d{2}\.private-key\.pem"$/,
  );
  expect(privateKey).toMatch(
    /^-----BEGIN RSA PRIVATE KEY-----\n[\s\S]+\n-----END RSA PRIVATE KEY-----\n$/,
  );
  expect(github.apps.privateKey()).toBe(privateKey);
  expect(github.apps.privateKey(PORTAL_APP_ID)).toBe(privateKey);
  expect(() => github.apps.privateKey(42)).toThrow(/no GitHub App 42/);
});

describe('a JWT signed with the private key', () => {
  it('is the App: GET /app', async () => {
    const { status, body } = await call('GET', '/app', appJwt());
    expect(status).toBe(200);
    expect(body).toMatchObject({
      id: PORTAL_APP_ID,
      slug: 'titanic-portal',
      client_id: PORTAL_APP_CLIENT_ID,
      owner: { login: owner, type: 'Organization' },
      permissions: { deployments: 'write' },
      events: ['deployment_protection_rule'],
      installations_count: 1,
    });
    // GitHub also takes the App's client id as the issuer.
    const byClientId = signAppJwt(privateKey, {
      iss: PORTAL_APP_CLIENT_ID,
    });
    expect((await call('GET', '/app', byClientId)).body.id).toBe(PORTAL_APP_ID);
    // The App's id as a string, as some libraries sign it.
    const byString = signAppJwt(privateKey, { iss: String(PORTAL_APP_ID) });
    expect((await call('GET', '/app', byString)).status).toBe(200);
  });

  it('lists and finds its installations, paged like GitHub', async () => {
    const jwt = appJwt();
    const list = await call('GET', '/app/installations', jwt);
    expect(list.status).toBe(200);
    expect(list.body).toMatchObject([
      {
        id: PORTAL_APP_INSTALLATION_ID,
        app_id: PORTAL_APP_ID,
        app_slug: 'titanic-portal',
        account: { login: owner },
        target_type: 'Organization',
        repository_selection: 'all',
        access_tokens_url: `${github.baseUrl}/app/installations/${PORTAL_APP_INSTALLATION_ID}/access_tokens`,
        suspended_by: null,
      },
    ]);
    const beyond = await call(
      'GET',
      '/app/installations?per_page=1&page=2',
      jwt,
    );
    expect(beyond.body).toEqual([]);
    expect(beyond.headers.get('link')).toContain('rel="prev"');
    const since = await call(
      'GET',
      '/app/installations?since=2030-01-01T00:00:00Z',
      jwt,
    );
    expect(since.body).toEqual([]);
    for (const path of [
      `/app/installations/${PORTAL_APP_INSTALLATION_ID}`,
      `/orgs/${owner}/installation`,
      `/users/${owner}/installation`,
      `/repos/${owner}/${repo}/installation`,
      `/repos/${owner}/passenger-search/installation`,
    ]) {
      const found = await call('GET', path, jwt);
      expect([path, found.status, found.body.id]).toEqual([
        path,
        200,
        PORTAL_APP_INSTALLATION_ID,
      ]);
    }
    for (const path of [
      '/app/installations/1',
      '/orgs/elsewhere/installation',
      '/users/alice/installation',
      `/repos/${owner}/no-such-repository/installation`,
    ]) {
      expect([path, (await call('GET', path, jwt)).status]).toEqual([
        path,
        404,
      ]);
    }
  });

  it('reads and changes the App webhook configuration (GitHub /app/hook/config)', async () => {
    const changed = await call('PATCH', '/app/hook/config', appJwt(), {
      url: 'http://127.0.0.1:9/app-hook',
      secret: 'app-secret',
    });
    expect(changed.body).toEqual({
      url: 'http://127.0.0.1:9/app-hook',
      content_type: 'json',
      insecure_ssl: '0',
      secret: '********',
    });
    expect((await call('GET', '/app/hook/config', appJwt())).body).toEqual(
      changed.body,
    );
    expect(
      (await call('PATCH', '/app/hook/config', appJwt(), { url: 'nope' }))
        .status,
    ).toBe(422);
    await call('PATCH', '/app/hook/config', appJwt(), { url: '', secret: '' });
  });

  it('may do nothing else: other routes answer 403, as to an integration', async () => {
    const response = await call('GET', `/repos/${owner}/${repo}`, appJwt());
    expect(response).toMatchObject({
      status: 403,
      body: { message: 'Resource not accessible by integration' },
    });
  });
});

describe('a JWT GitHub would refuse is 401', () => {
  const refused = async (jwt: string, message: string) => {
    const response = await call('GET', '/app', jwt);
    expect(response.status).toBe(401);
    expect(response.body).toEqual({
      message,
      documentation_url: 'https://docs.github.com/rest',
      status: '401',
    });
  };

  it('signed with another key, or not signed at all', async () => {
    const other = generateKeyPairSync('rsa', { modulusLength: 2048 })
      .privateKey.export({ type: 'pkcs1', format: 'pem' })
      .toString();
    await refused(
      signAppJwt(other, { iss: PORTAL_APP_ID }),
      JWT_MESSAGES.undecodable,
    );
    const [, claims] = appJwt().split('.');
    const unsigned = `${Buffer.from('{"alg":"none"}').toString(
      'base64url',
    )}.${claims}.`;
    await refused(unsigned, JWT_MESSAGES.undecodable);
    // Claims changed after signing (a longer life): the signature no longer matches.
    const tampered = appJwt().replace(
      /\.([^.]+)\./,
      `.${Buffer.from(
        JSON.stringify({
          iat: now() - 30,
          exp: now() + 590,
          iss: PORTAL_APP_ID,
        }),
      ).toString('base64url')}.`,
    );
    await refused(tampered, JWT_MESSAGES.undecodable);
  });

  it('issued by no App', async () => {
    await refused(
      signAppJwt(privateKey, { iss: 999_999 }),
      JWT_MESSAGES.unknownIssuer,
    );
  });

  it('expired, issued in the future, or living longer than ten minutes', async () => {
    await refused(
      signAppJwt(privateKey, {
        iss: PORTAL_APP_ID,
        iat: now() - 700,
        exp: now() - 100,
      }),
      JWT_MESSAGES.expired,
    );
    await refused(
      signAppJwt(privateKey, { iss: PORTAL_APP_ID, iat: now() + 300 }),
      JWT_MESSAGES.issuedAt,
    );
    await refused(
      signAppJwt(privateKey, {
        iss: PORTAL_APP_ID,
        iat: now() - 30,
        exp: now() + 900,
      }),
      JWT_MESSAGES.tooLong,
    );
    // Within the clock drift GitHub allows: iat a little ahead is fine.
    const ahead = signAppJwt(privateKey, {
      iss: PORTAL_APP_ID,
      iat: now() + 20,
    });
    expect((await call('GET', '/app', ahead)).status).toBe(200);
  });

  it('and the App routes want a JWT: no credentials or a token are 401', async () => {
    for (const credential of [undefined, GITHUB_PORTAL_BOT_TOKEN]) {
      const response = await call('GET', '/app/installations', credential);
      expect(response.status).toBe(401);
      expect(response.body.message).toBe(JWT_MESSAGES.undecodable);
    }
  });
});

describe('installation access tokens', () => {
  it('are new on every request, last an hour and carry the installation permissions', async () => {
    const before = Date.now();
    const first = await mintToken();
    const second = await mintToken();
    expect(first.token).toMatch(/^ghs_[A-Za-z0-9]{36}$/);
    expect(second.token).not.toBe(first.token);
    expect(first).toEqual({
      token: first.token,
      expires_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/),
      permissions: { actions: 'read', deployments: 'write', metadata: 'read' },
      repository_selection: 'all',
    });
    const lifetime = Date.parse(first.expires_at) - before;
    expect(lifetime).toBeGreaterThan(59 * 60 * 1000);
    expect(lifetime).toBeLessThanOrEqual(60 * 60 * 1000);
    for (const token of [first.token, second.token]) {
      const repository = await call('GET', `/repos/${owner}/${repo}`, token);
      expect(repository.status).toBe(200);
    }
  });

  it('act as the installation: its rate limit, its bot, and no more than it may', async () => {
    const { token } = await mintToken({ permissions: { actions: 'read' } });
    const runs = await call(
      'GET',
      `/repos/${owner}/${repo}/actions/runs`,
      token,
    );
    expect(runs.status).toBe(200);
    const failed = runs.body.workflow_runs.find(
      (run: any) => run.conclusion === 'failure',
    );
    const rerun = await call(
      'POST',
      `/repos/${owner}/${repo}/actions/runs/${failed.id}/rerun-failed-jobs`,
      token,
    );
    expect(rerun).toMatchObject({
      status: 403,
      body: { message: 'Resource not accessible by integration' },
    });
    const fixed = await call(
      'GET',
      '/rate_limit',
      PORTAL_APP_INSTALLATION_TOKEN,
    );
    const minted = await call('GET', '/rate_limit', token);
    expect(minted.body.resources.core.used).toBe(
      fixed.body.resources.core.used,
    );
  });

  it('refuse permissions the installation lacks, and repository subsets', async () => {
    for (const body of [
      { permissions: { contents: 'write' } },
      { permissions: { actions: 'write' } },
      { repositories: [repo] },
    ]) {
      const response = await call(
        'POST',
        `/app/installations/${PORTAL_APP_INSTALLATION_ID}/access_tokens`,
        appJwt(),
        body,
      );
      expect([body, response.status]).toEqual([body, 422]);
    }
    const elsewhere = await call(
      'POST',
      '/app/installations/1/access_tokens',
      appJwt(),
    );
    expect(elsewhere.status).toBe(404);
  });

  it('expire: an hour later the token is Bad credentials', async () => {
    const { token } = await mintToken();
    const record = github.world.state.githubTokens.find(t => t.token === token);
    record!.expiresAt = new Date(Date.now() - 1000).toISOString();
    const response = await call('GET', `/repos/${owner}/${repo}`, token);
    expect(response).toMatchObject({
      status: 401,
      body: { message: 'Bad credentials' },
    });
    // The fixed token of the seeded installation does not expire.
    expect(
      (
        await call(
          'GET',
          `/repos/${owner}/${repo}`,
          PORTAL_APP_INSTALLATION_TOKEN,
        )
      ).status,
    ).toBe(200);
    // Expired tokens are dropped when the next one is issued.
    await mintToken();
    expect(github.world.state.githubTokens.some(t => t.token === token)).toBe(
      false,
    );
  });
});

describe("Backstage's GitHub integration configured with the App", () => {
  it('gets installation tokens for the organisation and its repositories that the sandbox accepts', async () => {
    const host = new URL(github.baseUrl).host;
    const integrations = ScmIntegrations.fromConfig(
      new ConfigReader({
        integrations: {
          github: [
            {
              host,
              apiBaseUrl: github.baseUrl,
              apps: [
                {
                  appId: PORTAL_APP_ID,
                  privateKey,
                  webhookSecret: 'app-webhook-secret',
                  clientId: PORTAL_APP_CLIENT_ID,
                  clientSecret: 'sandbox-app-client-secret',
                },
              ],
            },
          ],
        },
      }),
    );
    github.requests.reset();
    const provider =
      DefaultGithubCredentialsProvider.fromIntegrations(integrations);
    const credentials = await provider.getCredentials({
      url: `https://${host}/${owner}/${repo}`,
    });
    expect(credentials.type).toBe('app');
    expect(credentials.token).toMatch(/^ghs_/);
    expect(github.requests.count('GET /app/installations')).toBe(1);
    expect(
      github.requests.count(
        'POST /app/installations/{installation_id}/access_tokens',
      ),
    ).toBe(1);
    const octokit = new Octokit({
      auth: credentials.token,
      baseUrl: github.baseUrl,
    });
    const { data } = await octokit.rest.repos.get({ owner, repo });
    expect(data.full_name).toBe(`${owner}/${repo}`);
    const token = github.world.state.githubTokens.find(
      t => t.token === credentials.token,
    );
    expect(token).toMatchObject({
      login: 'titanic-portal[bot]',
      installationId: PORTAL_APP_INSTALLATION_ID,
    });
    // The organisation's URL gets the installation's (cached) token too.
    const org = await provider.getCredentials({
      url: `https://${host}/${owner}`,
    });
    expect(org).toMatchObject({ type: 'app', token: credentials.token });
    // An organisation the App is not installed on has no App token, and no fallback token.
    const elsewhere = await provider.getCredentials({
      url: `https://${host}/elsewhere/repository`,
    });
    expect(elsewhere).toMatchObject({ type: 'token', token: undefined });
  });
});

describe('the App answering its deployment protection rule with a token it minted', () => {
  const requests: any[] = [];
  let receiver: ListeningServer;
  let service: ServiceRepository;
  const gated = 'app-gated-service';

  beforeAll(async () => {
    // The App's webhook endpoint: it keeps what GitHub asks it.
    receiver = await listen(
      (request: http.IncomingMessage, response: http.ServerResponse) => {
        void readBody(request).then(body => {
          if (
            request.headers['x-github-event'] === 'deployment_protection_rule'
          )
            requests.push(JSON.parse(body.toString('utf8')));
          response.writeHead(200).end();
        });
      },
      { host: '127.0.0.1', port: 0 },
    );
    await call('PATCH', '/app/hook/config', appJwt(), {
      url: `${receiver.url}/github/app`,
      secret: 'app-webhook-secret',
    });
    const admin = new Octokit({
      auth: GITHUB_ORG_ADMIN_TOKEN,
      baseUrl: github.baseUrl,
    });
    await admin.request('POST /orgs/{org}/repos', { org: owner, name: gated });
    await admin.request(
      'PUT /repos/{owner}/{repo}/environments/{environment_name}',
      { owner, repo: gated, environment_name: 'staging' },
    );
    await admin.request(
      'POST /repos/{owner}/{repo}/environments/{environment_name}/deployment_protection_rules',
      {
        owner,
        repo: gated,
        environment_name: 'staging',
        integration_id: PORTAL_APP_ID,
      },
    );
    service = serviceRepository(github.baseUrl, owner, gated, {
      '.github/workflows/deploy.yml':
        'name: Deploy\non: push\njobs:\n  deploy:\n    runs-on: ubuntu-24.04\n    environment: staging\n    steps:\n      - run: echo deploy\n',
    });
  });

  afterAll(async () => {
    service?.remove();
    await receiver?.close();
  });

  async function until<T>(what: string, probe: () => Promise<T | undefined>) {
    for (let i = 0; i < 600; i++) {
      const value = await probe();
      if (value !== undefined) return value;
      await new Promise(resolve => setTimeout(resolve, 100));
    }
    throw new Error(`Timed out waiting for ${what}`);
  }

  const runWith = (statuses: string[]) =>
    until(`a run ${statuses.join(' or ')}`, async () => {
      const { data } = await new Octokit({
        auth: GITHUB_PORTAL_BOT_TOKEN,
        baseUrl: github.baseUrl,
      }).rest.actions.listWorkflowRunsForRepo({ owner, repo: gated });
      const run = data.workflow_runs[0];
      return run && statuses.includes(run.status!) ? run : undefined;
    });

  it('lets the waiting run proceed', async () => {
    await service.push('Deploy');
    const run = await runWith(['waiting']);
    const request = await until('the App to be asked', async () =>
      requests.find(r =>
        r.deployment_callback_url.includes(`/runs/${run.id}/`),
      ),
    );
    // The App, as a real one does: its JWT gets a token for the installation GitHub named…
    const { token } = await mintToken(undefined, request.installation.id);
    expect(token).not.toBe(PORTAL_APP_INSTALLATION_TOKEN);
    // …which answers at the callback URL GitHub gave.
    const answer = await fetch(request.deployment_callback_url, {
      method: 'POST',
      headers: { authorization: `token ${token}` },
      body: JSON.stringify({
        environment_name: request.environment,
        state: 'approved',
        comment: 'Approved by the portal',
      }),
    });
    expect(answer.status).toBe(204);
    expect((await runWith(['completed'])).conclusion).toBe('success');
    // The same token clones over git's smart HTTP, as Backstage's readers do with it.
    const refs = await fetch(
      `${github.baseUrl}/${owner}/${gated}.git/info/refs?service=git-upload-pack`,
      {
        headers: {
          authorization: `Basic ${Buffer.from(
            `x-access-token:${token}`,
          ).toString('base64')}`,
        },
      },
    );
    expect(refs.status).toBe(200);
    expect(
      appsOf(github.world.state).ruleChecks.filter(c => c.runId === run.id),
    ).toMatchObject([{ state: 'approved', comment: 'Approved by the portal' }]);
  });
});
