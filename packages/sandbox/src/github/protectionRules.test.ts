import { Octokit } from '@octokit/rest';
import { createHmac } from 'node:crypto';
import http from 'node:http';
import { ListeningServer, listen, readBody } from '../http/listen';
import {
  PORTAL_APP_ID,
  PORTAL_APP_INSTALLATION_ID,
  PORTAL_APP_INSTALLATION_TOKEN,
} from '../world/appSeed';
import {
  GITHUB_DEVELOPER_TOKEN,
  GITHUB_ORG_ADMIN_TOKEN,
  GITHUB_PORTAL_BOT_TOKEN,
} from '../world/seedRepository';
import {
  ServiceRepository,
  serviceRepository,
} from './runner/__testUtils__/serviceRepository';
import { GitHubSandbox, startGitHubServer } from './server';
import { assertValidWebhookPayload } from './webhooks/webhookSchemas';

/*
 * Custom deployment protection rules as GitHub runs them: an environment that enabled the
 * titanic-portal App holds its jobs waiting and tells the App (a signed, schema-valid
 * deployment_protection_rule webhook); only the App's installation token may answer through the
 * callback, and only for an environment the run waits on. Approved, the job runs; rejected, it
 * fails. With required reviewers too, both must approve.
 */

jest.setTimeout(120_000);

const owner = 'acme-corp';
const repo = 'gated-service';
const SECRET = 'portal-app-webhook-secret';

interface Received {
  event: string;
  hookId: string;
  targetType: string;
  signature: string | undefined;
  body: string;
  payload: any;
}

let github: GitHubSandbox;
let receiver: ListeningServer;
let service: ServiceRepository;
const received: Received[] = [];
const as = (token: string) =>
  new Octokit({ auth: token, baseUrl: github.baseUrl });

async function until<T>(
  what: string,
  probe: () => Promise<T | undefined>,
  seconds = 60,
): Promise<T> {
  const deadline = Date.now() + seconds * 1000;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise(resolve => setTimeout(resolve, 100));
  }
}

function workflow(environment: string): Record<string, string> {
  return {
    '.github/workflows/deploy.yml': `name: Deploy\non: push\njobs:\n  deploy:\n    runs-on: ubuntu-24.04\n    environment: ${environment}\n    steps:\n      - run: echo deploying to ${environment}\n`,
  };
}

async function runOf(sha: string, statuses: string[]) {
  return until(`the run of ${sha} to be ${statuses.join(' or ')}`, async () => {
    const { data } = await as(
      GITHUB_PORTAL_BOT_TOKEN,
    ).rest.actions.listWorkflowRunsForRepo({ owner, repo, head_sha: sha });
    const run = data.workflow_runs[0];
    return run && statuses.includes(run.status!) ? run : undefined;
  });
}

/** The deployment_protection_rule request the App received for `runId`. */
async function requestFor(runId: number): Promise<Received> {
  return until(`the App to be asked about run ${runId}`, async () =>
    received.find(
      r =>
        r.event === 'deployment_protection_rule' &&
        r.payload.deployment_callback_url.endsWith(
          `/actions/runs/${runId}/deployment_protection_rule`,
        ),
    ),
  );
}

async function answer(
  token: string,
  runId: number,
  body: Record<string, unknown>,
): Promise<Response> {
  return fetch(
    `${github.baseUrl}/repos/${owner}/${repo}/actions/runs/${runId}/deployment_protection_rule`,
    {
      method: 'POST',
      headers: {
        authorization: `Bearer ${token}`,
        'content-type': 'application/json',
      },
      body: JSON.stringify(body),
    },
  );
}

beforeAll(async () => {
  receiver = await listen(
    (request: http.IncomingMessage, response: http.ServerResponse) => {
      void readBody(request).then(body => {
        const text = body.toString('utf8');
        received.push({
          event: String(request.headers['x-github-event']),
          hookId: String(request.headers['x-github-hook-id']),
          targetType: String(
            request.headers['x-github-hook-installation-target-type'],
          ),
          signature: request.headers['x-hub-signature-256'] as
            | string
            | undefined,
          body: text,
          payload: JSON.parse(text),
        });
        response.writeHead(200).end();
      });
    },
    { host: '127.0.0.1', port: 0 },
  );
  github = await startGitHubServer({ timeScale: 0.01 });
  const configured = await fetch(`${github.baseUrl}/_sandbox/app/hook/config`, {
    method: 'PATCH',
    body: JSON.stringify({
      url: `${receiver.url}/github/app`,
      content_type: 'json',
      secret: SECRET,
    }),
  });
  if (!configured.ok)
    throw new Error(
      `Could not configure the App's webhook: ${configured.status}`,
    );
  const admin = as(GITHUB_ORG_ADMIN_TOKEN);
  await admin.request('POST /orgs/{org}/repos', { org: owner, name: repo });
  await admin.request(
    'PUT /repos/{owner}/{repo}/environments/{environment_name}',
    { owner, repo, environment_name: 'staging' },
  );
  await admin.request(
    'PUT /repos/{owner}/{repo}/environments/{environment_name}',
    {
      owner,
      repo,
      environment_name: 'production',
      reviewers: [{ type: 'User', id: 190_000_001 }],
    },
  );
  for (const environment of ['staging', 'production']) {
    await admin.request(
      'POST /repos/{owner}/{repo}/environments/{environment_name}/deployment_protection_rules',
      {
        owner,
        repo,
        environment_name: environment,
        integration_id: PORTAL_APP_ID,
      },
    );
  }
  service = serviceRepository(github.baseUrl, owner, repo, workflow('staging'));
});

afterAll(async () => {
  await github?.close();
  await receiver?.close();
  service?.remove();
});

it("shows the App's webhook configuration, its secret masked", async () => {
  const response = await fetch(`${github.baseUrl}/_sandbox/app/hook/config`);
  expect(await response.json()).toEqual({
    url: `${receiver.url}/github/app`,
    content_type: 'json',
    insecure_ssl: '0',
    secret: '********',
  });
});

it('lets only owners enable an App on an environment, and lists what is enabled', async () => {
  const developer = as(GITHUB_DEVELOPER_TOKEN);
  await expect(
    developer.request(
      'POST /repos/{owner}/{repo}/environments/{environment_name}/deployment_protection_rules',
      {
        owner,
        repo,
        environment_name: 'staging',
        integration_id: PORTAL_APP_ID,
      },
    ),
  ).rejects.toMatchObject({ status: 403 });
  const { data } = await developer.request(
    'GET /repos/{owner}/{repo}/environments/{environment_name}/deployment_protection_rules',
    { owner, repo, environment_name: 'staging' },
  );
  expect(
    data.custom_deployment_protection_rules?.map(rule => [
      rule.enabled,
      rule.app.id,
      rule.app.slug,
    ]),
  ).toEqual([[true, PORTAL_APP_ID, 'titanic-portal']]);
});

describe('a job bound for an environment gated by the App', () => {
  let runId: number;

  beforeAll(async () => {
    runId = (await runOf(await service.push('First deploy'), ['waiting'])).id;
  });

  it('waits, and the App receives a signed deployment_protection_rule request its schema accepts', async () => {
    const request = await requestFor(runId);
    expect(request.signature).toBe(
      `sha256=${createHmac('sha256', SECRET)
        .update(request.body)
        .digest('hex')}`,
    );
    expect(request.targetType).toBe('integration');
    assertValidWebhookPayload('deployment_protection_rule', request.payload);
    expect(request.payload).toMatchObject({
      action: 'requested',
      environment: 'staging',
      event: 'push',
      deployment_callback_url: `${github.baseUrl}/repos/${owner}/${repo}/actions/runs/${runId}/deployment_protection_rule`,
      deployment: { environment: 'staging' },
      installation: { id: PORTAL_APP_INSTALLATION_ID },
      repository: { full_name: `${owner}/${repo}` },
      organization: { login: owner },
      sender: { login: expect.any(String) },
    });
    // No reviewer is asked: the environment has none, only the App's rule.
    const { data: pending } = await as(
      GITHUB_PORTAL_BOT_TOKEN,
    ).rest.actions.getPendingDeploymentsForRun({ owner, repo, run_id: runId });
    expect(pending).toEqual([]);
  });

  it('refuses an answer by a token that is not the App installation', async () => {
    const response = await answer(GITHUB_PORTAL_BOT_TOKEN, runId, {
      environment_name: 'staging',
      state: 'approved',
      comment: 'not mine to say',
    });
    expect(response.status).toBe(403);
    expect((await runOf(service.head(), ['waiting'])).id).toBe(runId);
  });

  it('answers 422 for an environment the run does not wait on', async () => {
    const response = await answer(PORTAL_APP_INSTALLATION_TOKEN, runId, {
      environment_name: 'production',
      state: 'approved',
      comment: 'wrong environment',
    });
    expect(response.status).toBe(422);
  });

  it('moves on once the App approves: the job runs and the run succeeds', async () => {
    const response = await answer(PORTAL_APP_INSTALLATION_TOKEN, runId, {
      environment_name: 'staging',
      state: 'approved',
      comment: 'Change window open',
    });
    expect(response.status).toBe(204);
    const run = await runOf(service.head(), ['completed']);
    expect(run.conclusion).toBe('success');
    // Answered once: a second answer finds nothing waiting.
    const again = await answer(PORTAL_APP_INSTALLATION_TOKEN, runId, {
      environment_name: 'staging',
      state: 'approved',
      comment: 'again',
    });
    expect(again.status).toBe(422);
  });
});

it('fails the job when the App rejects', async () => {
  const sha = await service.push('Second deploy', {
    'CHANGELOG.md': 'A second change\n',
  });
  const { id } = await runOf(sha, ['waiting']);
  await requestFor(id);
  const response = await answer(PORTAL_APP_INSTALLATION_TOKEN, id, {
    environment_name: 'staging',
    state: 'rejected',
    comment: 'Change freeze',
  });
  expect(response.status).toBe(204);
  const run = await runOf(sha, ['completed']);
  expect(run.conclusion).toBe('failure');
  const { data } = await as(
    GITHUB_PORTAL_BOT_TOKEN,
  ).rest.actions.listJobsForWorkflowRun({ owner, repo, run_id: id });
  expect(data.jobs.map(job => [job.name, job.conclusion])).toEqual([
    ['deploy', 'failure'],
  ]);
});

it('with required reviewers too, waits until both the reviewers and the App approved', async () => {
  const sha = await service.push(
    'Deploy to production',
    workflow('production'),
  );
  const { id } = await runOf(sha, ['waiting']);
  await requestFor(id);
  const bot = as(GITHUB_PORTAL_BOT_TOKEN);
  const { data: pending } = await bot.rest.actions.getPendingDeploymentsForRun({
    owner,
    repo,
    run_id: id,
  });
  expect(pending.map(p => p.environment.name)).toEqual(['production']);
  await bot.rest.actions.reviewPendingDeploymentsForRun({
    owner,
    repo,
    run_id: id,
    environment_ids: [pending[0].environment.id!],
    state: 'approved',
    comment: 'Reviewed',
  });
  // The reviewers are done; the App is not: the run still waits, for the App alone.
  const { data: after } = await bot.rest.actions.getPendingDeploymentsForRun({
    owner,
    repo,
    run_id: id,
  });
  expect(after).toEqual([]);
  expect(
    (await bot.rest.actions.getWorkflowRun({ owner, repo, run_id: id })).data
      .status,
  ).toBe('waiting');

  const response = await answer(PORTAL_APP_INSTALLATION_TOKEN, id, {
    environment_name: 'production',
    state: 'approved',
    comment: 'Change window open',
  });
  expect(response.status).toBe(204);
  expect((await runOf(sha, ['completed'])).conclusion).toBe('success');
});
