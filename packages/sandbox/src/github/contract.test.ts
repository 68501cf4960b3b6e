/* eslint jest/expect-expect: ["warn", { "assertFunctionNames": ["expect", "expectMatchesGitHubSchema", "check"] }] */
import { Octokit } from '@octokit/rest';
import git from 'isomorphic-git';
import gitHttp from 'isomorphic-git/http/node';
import fs from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import {
  GITHUB_ORG_ADMIN_TOKEN,
  GITHUB_PORTAL_BOT_TOKEN,
  GITHUB_VIEWER_TOKEN,
  GitHubSandbox,
  startGitHubServer,
} from '../index';
import {
  PORTAL_APP_ID,
  PORTAL_APP_INSTALLATION_ID,
  PORTAL_APP_INSTALLATION_TOKEN,
} from '../world/appSeed';
import { signAppJwt } from './testing/appJwt';
import { githubApiRoutes } from './routes';
import { serviceRepository } from './runner/__testUtils__/serviceRepository';
import {
  expectMatchesGitHubSchema,
  validatedOperations,
} from './testing/openApiValidator';

/*
 * Contract: every GitHub operation the sandbox implements answers with a body that GitHub's
 * own OpenAPI description accepts. Requests go through @octokit/rest as the portal sends them.
 */

jest.setTimeout(60_000);

const owner = 'acme-corp';
const repo = 'titanic-service';
let github: GitHubSandbox;
let octokit: Octokit;

beforeAll(async () => {
  github = await startGitHubServer({ timeScale: 0.01 });
  octokit = new Octokit({
    auth: GITHUB_PORTAL_BOT_TOKEN,
    baseUrl: github.baseUrl,
  });
}, 30_000);

afterAll(async () => {
  await github?.close();
});

async function check(
  method: string,
  path: string,
  parameters: Record<string, unknown> = {},
) {
  const response = await octokit.request(`${method} ${path}`, {
    owner,
    repo,
    ...parameters,
  });
  expectMatchesGitHubSchema(method, path, response.status, response.data);
  return response;
}

async function waitingRun() {
  const { data } = await octokit.rest.actions.listWorkflowRunsForRepo({
    owner,
    repo,
    status: 'waiting',
  });
  return data.workflow_runs[0];
}

describe('GitHub REST responses match api.github.com OpenAPI schemas', () => {
  it('repository, user and commits', async () => {
    await check('GET', '/user');
    await check('GET', '/user/emails');
    await check('GET', '/rate_limit');
    await check('GET', '/repos/{owner}/{repo}');
    const commits = await check('GET', '/repos/{owner}/{repo}/commits', {
      sha: 'main',
    });
    await check('GET', '/repos/{owner}/{repo}/commits/{ref}', {
      ref: commits.data[0].sha,
    });
    await check('GET', '/repos/{owner}/{repo}/compare/{basehead}', {
      basehead: `${commits.data[3].sha}...${commits.data[0].sha}`,
    });
  });

  it('workflows, runs, jobs, logs and artifacts', async () => {
    await check('GET', '/repos/{owner}/{repo}/actions/workflows');
    await check(
      'GET',
      '/repos/{owner}/{repo}/actions/workflows/{workflow_id}',
      { workflow_id: 'titanic-service.yml' },
    );
    await check(
      'GET',
      '/repos/{owner}/{repo}/actions/workflows/{workflow_id}/runs',
      { workflow_id: 'titanic-service.yml', branch: 'develop' },
    );
    const runs = await check('GET', '/repos/{owner}/{repo}/actions/runs', {
      per_page: 100,
    });
    for (const run of runs.data.workflow_runs) {
      await check('GET', '/repos/{owner}/{repo}/actions/runs/{run_id}', {
        run_id: run.id,
      });
      const jobs = await check(
        'GET',
        '/repos/{owner}/{repo}/actions/runs/{run_id}/jobs',
        { run_id: run.id, filter: 'all' },
      );
      await check(
        'GET',
        '/repos/{owner}/{repo}/actions/runs/{run_id}/artifacts',
        { run_id: run.id },
      );
      await check(
        'GET',
        '/repos/{owner}/{repo}/actions/runs/{run_id}/approvals',
        { run_id: run.id },
      );
      await check(
        'GET',
        '/repos/{owner}/{repo}/actions/runs/{run_id}/pending_deployments',
        { run_id: run.id },
      );
      await check('GET', '/repos/{owner}/{repo}/actions/jobs/{job_id}', {
        job_id: jobs.data.jobs[0].id,
      });
    }
    const run = runs.data.workflow_runs.find(
      (r: any) => r.conclusion === 'failure',
    );
    await check(
      'GET',
      '/repos/{owner}/{repo}/actions/runs/{run_id}/attempts/{attempt_number}/jobs',
      { run_id: run.id, attempt_number: 1 },
    );
    const artifacts = await check(
      'GET',
      '/repos/{owner}/{repo}/actions/artifacts',
      { per_page: 5 },
    );
    await check(
      'GET',
      '/repos/{owner}/{repo}/actions/artifacts/{artifact_id}',
      { artifact_id: artifacts.data.artifacts[0].id },
    );
  });

  it('redirecting downloads answer 302 with a Location, as documented', async () => {
    const { data: runs } = await octokit.rest.actions.listWorkflowRunsForRepo({
      owner,
      repo,
      status: 'failure',
    });
    const run = runs.workflow_runs[0];
    const { data: jobs } = await octokit.rest.actions.listJobsForWorkflowRun({
      owner,
      repo,
      run_id: run.id,
    });
    const { data: artifacts } =
      await octokit.rest.actions.listWorkflowRunArtifacts({
        owner,
        repo,
        run_id: run.id,
      });
    const targets: Array<[string, string]> = [
      [
        '/repos/{owner}/{repo}/actions/jobs/{job_id}/logs',
        `/repos/${owner}/${repo}/actions/jobs/${jobs.jobs[0].id}/logs`,
      ],
      [
        '/repos/{owner}/{repo}/actions/runs/{run_id}/logs',
        `/repos/${owner}/${repo}/actions/runs/${run.id}/logs`,
      ],
      [
        '/repos/{owner}/{repo}/actions/artifacts/{artifact_id}/{archive_format}',
        `/repos/${owner}/${repo}/actions/artifacts/${artifacts.artifacts[0].id}/zip`,
      ],
    ];
    for (const [template, path] of targets) {
      const response = await fetch(`${github.baseUrl}${path}`, {
        headers: { authorization: `token ${GITHUB_PORTAL_BOT_TOKEN}` },
        redirect: 'manual',
      });
      expect(response.status).toBe(302);
      expect(response.headers.get('location')).toMatch(
        /^http:\/\/127\.0\.0\.1:\d+\/_sandbox\/downloads\//,
      );
      expectMatchesGitHubSchema('GET', template, 302, undefined);
    }
  });

  it('environments, deployments and deployment statuses', async () => {
    await check('GET', '/repos/{owner}/{repo}/environments');
    await check(
      'GET',
      '/repos/{owner}/{repo}/environments/{environment_name}',
      { environment_name: 'production' },
    );
    const deployments = await check(
      'GET',
      '/repos/{owner}/{repo}/deployments',
      { per_page: 100 },
    );
    for (const deployment of deployments.data) {
      await check('GET', '/repos/{owner}/{repo}/deployments/{deployment_id}', {
        deployment_id: deployment.id,
      });
      const statuses = await check(
        'GET',
        '/repos/{owner}/{repo}/deployments/{deployment_id}/statuses',
        { deployment_id: deployment.id },
      );
      await check(
        'GET',
        '/repos/{owner}/{repo}/deployments/{deployment_id}/statuses/{status_id}',
        { deployment_id: deployment.id, status_id: statuses.data[0].id },
      );
    }
  });

  it('check runs and annotations', async () => {
    const { data: runs } = await octokit.rest.actions.listWorkflowRunsForRepo({
      owner,
      repo,
      per_page: 100,
    });
    for (const run of runs.workflow_runs) {
      const checks = await check(
        'GET',
        '/repos/{owner}/{repo}/commits/{ref}/check-runs',
        { ref: run.head_sha },
      );
      for (const checkRun of checks.data.check_runs) {
        await check('GET', '/repos/{owner}/{repo}/check-runs/{check_run_id}', {
          check_run_id: checkRun.id,
        });
        await check(
          'GET',
          '/repos/{owner}/{repo}/check-runs/{check_run_id}/annotations',
          { check_run_id: checkRun.id },
        );
      }
    }
  });

  it('code scanning alerts, SARIF upload and alert update', async () => {
    for (let page = 1; page <= 5; page++) {
      await check('GET', '/repos/{owner}/{repo}/code-scanning/alerts', {
        per_page: 100,
        page,
      });
    }
    const alerts = await check(
      'GET',
      '/repos/{owner}/{repo}/code-scanning/alerts',
      { per_page: 100, state: 'dismissed' },
    );
    await check(
      'GET',
      '/repos/{owner}/{repo}/code-scanning/alerts/{alert_number}',
      { alert_number: alerts.data[0].number },
    );
    await check(
      'PATCH',
      '/repos/{owner}/{repo}/code-scanning/alerts/{alert_number}',
      {
        alert_number: alerts.data[0].number,
        state: 'open',
      },
    );
    const sarif = gzipSync(
      JSON.stringify({
        version: '2.1.0',
        runs: [
          { tool: { driver: { name: 'Checkov', rules: [] } }, results: [] },
        ],
      }),
    ).toString('base64');
    const { data: commit } = await octokit.rest.repos.getCommit({
      owner,
      repo,
      ref: 'develop',
    });
    const upload = await check(
      'POST',
      '/repos/{owner}/{repo}/code-scanning/sarifs',
      { commit_sha: commit.sha, ref: 'refs/heads/feature/empty', sarif },
    );
    await check(
      'GET',
      '/repos/{owner}/{repo}/code-scanning/sarifs/{sarif_id}',
      { sarif_id: upload.data.id },
    );
    const analyses = await check(
      'GET',
      '/repos/{owner}/{repo}/code-scanning/analyses',
      { tool_name: 'Trivy', ref: 'refs/heads/develop', per_page: 100 },
    );
    expect(analyses.data.length).toBeGreaterThan(5);
    await check(
      'GET',
      '/repos/{owner}/{repo}/code-scanning/analyses/{analysis_id}',
      { analysis_id: analyses.data[0].id },
    );
  });

  it('re-run, re-run failed jobs, cancel and pending deployment review', async () => {
    const { data: failed } = await octokit.rest.actions.listWorkflowRunsForRepo(
      { owner, repo, status: 'failure', branch: 'develop' },
    );
    await check(
      'POST',
      '/repos/{owner}/{repo}/actions/runs/{run_id}/rerun-failed-jobs',
      { run_id: failed.workflow_runs[0].id },
    );
    await check('POST', '/repos/{owner}/{repo}/actions/runs/{run_id}/cancel', {
      run_id: failed.workflow_runs[0].id,
    });
    await check('POST', '/repos/{owner}/{repo}/actions/runs/{run_id}/rerun', {
      run_id: failed.workflow_runs[1].id,
    });
    const run = await waitingRun();
    const { data: pending } =
      await octokit.rest.actions.getPendingDeploymentsForRun({
        owner,
        repo,
        run_id: run.id,
      });
    await check(
      'POST',
      '/repos/{owner}/{repo}/actions/runs/{run_id}/pending_deployments',
      {
        run_id: run.id,
        environment_ids: [pending[0].environment.id],
        state: 'approved',
        comment: 'Approved in the Titanic Portal by alice',
      },
    );
  });

  it('repository creation, pushed contents, status, tarball, topics and branch protection', async () => {
    const created = await check('POST', '/orgs/{org}/repos', {
      org: owner,
      name: 'contract-service',
      private: true,
    });
    await check('POST', '/user/repos', { name: 'contract-personal' });
    await check('GET', '/users/{username}', { username: owner });
    await check('GET', '/users/{username}', { username: 'alice' });
    const dir = await mkdtemp(join(tmpdir(), 'sandbox-contract-'));
    const pushed: string[] = [];
    try {
      await fs.promises.mkdir(join(dir, 'docs'));
      await writeFile(join(dir, 'docs', 'index.md'), '# Contract\n');
      await writeFile(join(dir, 'catalog-info.yaml'), 'kind: Component\n');
      await git.init({ fs, dir, defaultBranch: 'main' });
      await git.add({ fs, dir, filepath: '.' });
      const author = { name: 'Scaffolder', email: 'scaffolder@backstage.io' };
      const push = () =>
        git.push({
          fs,
          http: gitHttp,
          dir,
          url: created.data.clone_url,
          onAuth: () => ({
            username: 'x-access-token',
            password: GITHUB_PORTAL_BOT_TOKEN,
          }),
        });
      pushed.push(await git.commit({ fs, dir, message: 'initial', author }));
      await push();
      // A second commit on top, so compare and the commits list have history to answer from.
      await writeFile(join(dir, 'docs', 'index.md'), '# Contract, changed\n');
      await git.add({ fs, dir, filepath: 'docs/index.md' });
      pushed.push(await git.commit({ fs, dir, message: 'second', author }));
      await push();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
    const target = { repo: 'contract-service' };
    await check('GET', '/repos/{owner}/{repo}', target);
    for (const path of ['catalog-info.yaml', 'docs', '']) {
      await check('GET', '/repos/{owner}/{repo}/contents/{path}', {
        ...target,
        path,
      });
    }
    await check('GET', '/repos/{owner}/{repo}/commits/{ref}/status', {
      ...target,
      ref: 'main',
    });
    const [first, second] = pushed;
    for (const basehead of [`${first}...main`, `main...${first}`]) {
      await check('GET', '/repos/{owner}/{repo}/compare/{basehead}', {
        ...target,
        basehead,
      });
    }
    await check('GET', '/repos/{owner}/{repo}/compare/{basehead}', {
      ...target,
      basehead: `${first.slice(0, 7)}...${second.slice(0, 7)}`,
      per_page: 1,
    });
    await check('GET', '/repos/{owner}/{repo}/commits', target);
    await check('GET', '/repos/{owner}/{repo}/commits/{ref}', {
      ...target,
      ref: second,
    });
    const tarball = await fetch(
      `${github.baseUrl}/repos/${owner}/contract-service/tarball/main`,
      {
        headers: { authorization: `token ${GITHUB_PORTAL_BOT_TOKEN}` },
        redirect: 'manual',
      },
    );
    expect(tarball.status).toBe(302);
    expectMatchesGitHubSchema(
      'GET',
      '/repos/{owner}/{repo}/tarball/{ref}',
      302,
      undefined,
    );
    await check('PUT', '/repos/{owner}/{repo}/topics', {
      ...target,
      names: ['titanic'],
    });
    await check('GET', '/repos/{owner}/{repo}/topics', target);
    await check('GET', '/repos/{owner}/{repo}/topics');
    const protection = {
      ...target,
      branch: 'main',
      required_status_checks: { strict: true, contexts: ['build'] },
      enforce_admins: true,
      required_pull_request_reviews: {
        required_approving_review_count: 1,
        require_code_owner_reviews: false,
        dismiss_stale_reviews: false,
        require_last_push_approval: false,
      },
      restrictions: null,
      required_conversation_resolution: false,
      required_linear_history: false,
      block_creations: false,
    };
    await check(
      'PUT',
      '/repos/{owner}/{repo}/branches/{branch}/protection',
      protection,
    );
    for (const path of [
      '/repos/{owner}/{repo}/actions/runs',
      '/repos/{owner}/{repo}/actions/workflows',
      '/repos/{owner}/{repo}/environments',
      '/repos/{owner}/{repo}/deployments',
    ]) {
      await check('GET', path, target);
    }
    await check('GET', '/repos/{owner}/{repo}/branches/{branch}/protection', {
      ...target,
      branch: 'main',
    });
    // What the golden path sets up next: a branch, a team looked up by slug, an environment.
    const head = await check(
      'GET',
      '/repos/{owner}/{repo}/commits/{ref}/status',
      { ...target, ref: 'main' },
    );
    await check('POST', '/repos/{owner}/{repo}/git/refs', {
      ...target,
      ref: 'refs/heads/develop',
      sha: head.data.sha,
    });
    const team = await check('GET', '/orgs/{org}/teams/{team_slug}', {
      org: owner,
      team_slug: 'titanic-team',
    });
    await check(
      'PUT',
      '/repos/{owner}/{repo}/environments/{environment_name}',
      {
        ...target,
        environment_name: 'production',
        wait_timer: 0,
        prevent_self_review: false,
        reviewers: [{ type: 'Team', id: team.data.id }],
        deployment_branch_policy: {
          protected_branches: true,
          custom_branch_policies: false,
        },
      },
    );
    await check('GET', '/repos/{owner}/{repo}/environments', target);
  });

  it('error answers match the documented error responses', async () => {
    const send = async (
      method: string,
      path: string,
      options: { token?: string | null; body?: unknown } = {},
    ) => {
      const token =
        options.token === undefined ? GITHUB_PORTAL_BOT_TOKEN : options.token;
      const response = await fetch(`${github.baseUrl}${path}`, {
        method,
        headers: token ? { authorization: `token ${token}` } : {},
        body:
          options.body === undefined ? undefined : JSON.stringify(options.body),
      });
      return { status: response.status, body: await response.json() };
    };
    const { data: runs } = await octokit.rest.actions.listWorkflowRunsForRepo({
      owner,
      repo,
      status: 'success',
      per_page: 1,
    });
    const cases: Array<
      [
        string,
        string,
        string,
        { token?: string | null; body?: unknown },
        number,
      ]
    > = [
      ['GET', '/repos/{owner}/{repo}', `/repos/${owner}/unknown-repo`, {}, 404],
      ['GET', '/user', '/user', { token: null }, 401],
      [
        'POST',
        '/repos/{owner}/{repo}/actions/runs/{run_id}/cancel',
        `/repos/${owner}/${repo}/actions/runs/${runs.workflow_runs[0].id}/cancel`,
        {},
        409,
      ],
      [
        'GET',
        '/repos/{owner}/{repo}/code-scanning/alerts/{alert_number}',
        `/repos/${owner}/${repo}/code-scanning/alerts/999999`,
        {},
        404,
      ],
      [
        'GET',
        '/repos/{owner}/{repo}/commits/{ref}',
        `/repos/${owner}/${repo}/commits/no-such-branch`,
        {},
        422,
      ],
      [
        'GET',
        '/repos/{owner}/{repo}/deployments/{deployment_id}',
        `/repos/${owner}/${repo}/deployments/1`,
        {},
        404,
      ],
      [
        'POST',
        '/orgs/{org}/repos',
        `/orgs/${owner}/repos`,
        { body: { name: repo } },
        422,
      ],
      [
        'POST',
        '/orgs/{org}/repos',
        `/orgs/${owner}/repos`,
        { token: GITHUB_VIEWER_TOKEN, body: { name: 'viewer-made' } },
        403,
      ],
      [
        'POST',
        '/user/repos',
        '/user/repos',
        { token: null, body: { name: 'nobody-made' } },
        401,
      ],
      ['GET', '/users/{username}', '/users/nobody-at-all', {}, 404],
      [
        'GET',
        '/orgs/{org}/teams/{team_slug}',
        `/orgs/${owner}/teams/no-such-team`,
        {},
        404,
      ],
      [
        'POST',
        '/repos/{owner}/{repo}/git/refs',
        `/repos/${owner}/contract-service/git/refs`,
        { body: { ref: 'refs/heads/develop', sha: 'f'.repeat(40) } },
        422,
      ],
      [
        'PUT',
        '/repos/{owner}/{repo}/environments/{environment_name}',
        `/repos/${owner}/contract-service/environments/staging`,
        {
          body: {
            deployment_branch_policy: {
              protected_branches: true,
              custom_branch_policies: true,
            },
          },
        },
        422,
      ],
      [
        'GET',
        '/repos/{owner}/{repo}/contents/{path}',
        `/repos/${owner}/contract-service/contents/missing.txt`,
        {},
        404,
      ],
      [
        'GET',
        '/repos/{owner}/{repo}/compare/{basehead}',
        `/repos/${owner}/contract-service/compare/main...no-such-branch`,
        {},
        404,
      ],
      [
        'GET',
        '/repos/{owner}/{repo}/commits/{ref}',
        `/repos/${owner}/contract-service/commits/no-such-branch`,
        {},
        422,
      ],
      [
        'GET',
        '/repos/{owner}/{repo}/commits',
        '/repos/titanic-portal-bot/contract-personal/commits',
        {},
        409,
      ],
      [
        'GET',
        '/repos/{owner}/{repo}/commits/{ref}/status',
        `/repos/${owner}/contract-service/commits/no-such-branch/status`,
        {},
        404,
      ],
      [
        'PUT',
        '/repos/{owner}/{repo}/branches/{branch}/protection',
        `/repos/${owner}/contract-service/branches/no-such-branch/protection`,
        {
          body: {
            required_status_checks: null,
            enforce_admins: null,
            required_pull_request_reviews: null,
            restrictions: null,
          },
        },
        404,
      ],
      [
        'PUT',
        '/repos/{owner}/{repo}/topics',
        `/repos/${owner}/contract-service/topics`,
        { body: { names: ['Not A Topic'] } },
        422,
      ],
      [
        'POST',
        '/repos/{owner}/{repo}/code-scanning/sarifs',
        `/repos/${owner}/${repo}/code-scanning/sarifs`,
        {
          body: {
            commit_sha: 'a'.repeat(40),
            ref: 'refs/heads/develop',
            sarif: 'not gzip',
          },
        },
        400,
      ],
    ];
    for (const [method, template, path, options, status] of cases) {
      const response = await send(method, path, options);
      expect([template, response.status]).toEqual([template, status]);
      expectMatchesGitHubSchema(method, template, status, response.body);
    }
  });

  it('webhooks of a repository and of the organisation, and their deliveries', async () => {
    const admin = new Octokit({
      auth: GITHUB_ORG_ADMIN_TOKEN,
      baseUrl: github.baseUrl,
    });
    const as = async (
      method: string,
      path: string,
      parameters: Record<string, unknown>,
    ) => {
      const response = await admin.request(`${method} ${path}`, {
        owner,
        repo,
        org: owner,
        ...parameters,
      });
      expectMatchesGitHubSchema(method, path, response.status, response.data);
      return response;
    };
    for (const prefix of ['/repos/{owner}/{repo}', '/orgs/{org}']) {
      // Nobody listens there: the ping's delivery fails, and is recorded as failed.
      const created = await as('POST', `${prefix}/hooks`, {
        name: 'web',
        config: { url: 'http://127.0.0.1:9/hooks', content_type: 'json' },
        events: ['workflow_run'],
      });
      const hook_id = created.data.id;
      await as('GET', `${prefix}/hooks`, {});
      await as('GET', `${prefix}/hooks/{hook_id}`, { hook_id });
      await as('PATCH', `${prefix}/hooks/{hook_id}`, {
        hook_id,
        ...(prefix.startsWith('/repos')
          ? { add_events: ['deployment'] }
          : { events: ['workflow_run', 'deployment'] }),
      });
      await as('POST', `${prefix}/hooks/{hook_id}/pings`, { hook_id });
      await github.webhooks.idle();
      const deliveries = await as(
        'GET',
        `${prefix}/hooks/{hook_id}/deliveries`,
        {
          hook_id,
        },
      );
      await as('GET', `${prefix}/hooks/{hook_id}/deliveries/{delivery_id}`, {
        hook_id,
        delivery_id: deliveries.data[0].id,
      });
      await as('DELETE', `${prefix}/hooks/{hook_id}`, { hook_id });
    }
  });

  it("custom deployment protection rules, and the App's answer to a run waiting on one", async () => {
    const target = { repo: 'contract-gated' };
    const token = (auth: string) =>
      new Octokit({ auth, baseUrl: github.baseUrl });
    const as = async (
      client: Octokit,
      method: string,
      path: string,
      parameters: Record<string, unknown> = {},
    ) => {
      const response = await client.request(`${method} ${path}`, {
        owner,
        ...target,
        environment_name: 'staging',
        ...parameters,
      });
      expectMatchesGitHubSchema(method, path, response.status, response.data);
      return response;
    };
    const admin = token(GITHUB_ORG_ADMIN_TOKEN);
    await admin.request('POST /orgs/{org}/repos', {
      org: owner,
      name: target.repo,
    });
    await admin.request(
      'PUT /repos/{owner}/{repo}/environments/{environment_name}',
      { owner, ...target, environment_name: 'staging' },
    );
    const rules = `/repos/{owner}/{repo}/environments/{environment_name}/deployment_protection_rules`;
    const apps = await as(octokit, 'GET', `${rules}/apps`);
    const created = await as(admin, 'POST', rules, {
      integration_id:
        apps.data.available_custom_deployment_protection_rule_integrations[0]
          .id,
    });
    await as(octokit, 'GET', rules);
    await as(octokit, 'GET', `${rules}/{protection_rule_id}`, {
      protection_rule_id: created.data.id,
    });
    const service = serviceRepository(github.baseUrl, owner, target.repo, {
      '.github/workflows/deploy.yml':
        'on: push\njobs:\n  deploy:\n    runs-on: ubuntu-24.04\n    environment: staging\n    steps:\n      - run: echo deploy\n',
    });
    try {
      await service.push('Deploy');
      let run: { id: number; status: string | null } | undefined;
      for (let i = 0; i < 200 && run?.status !== 'waiting'; i++) {
        await new Promise(resolve => setTimeout(resolve, 50));
        run = (
          await octokit.rest.actions.listWorkflowRunsForRepo({
            owner,
            ...target,
          })
        ).data.workflow_runs[0];
      }
      await as(
        token(PORTAL_APP_INSTALLATION_TOKEN),
        'POST',
        '/repos/{owner}/{repo}/actions/runs/{run_id}/deployment_protection_rule',
        {
          run_id: run!.id,
          environment_name: 'staging',
          state: 'approved',
          comment: 'Change window open',
        },
      );
    } finally {
      service.remove();
    }
    await as(admin, 'DELETE', `${rules}/{protection_rule_id}`, {
      protection_rule_id: created.data.id,
    });
  });

  it('the App, with its JWT: itself, its installations, their tokens, its webhook', async () => {
    const jwt = signAppJwt(github.apps.privateKey(), { iss: PORTAL_APP_ID });
    const app = new Octokit({ auth: jwt, baseUrl: github.baseUrl });
    const as = async (
      method: string,
      path: string,
      parameters: Record<string, unknown> = {},
    ) => {
      const response = await app.request(`${method} ${path}`, {
        owner,
        repo,
        org: owner,
        username: owner,
        installation_id: PORTAL_APP_INSTALLATION_ID,
        ...parameters,
      });
      expectMatchesGitHubSchema(method, path, response.status, response.data);
      return response;
    };
    await as('GET', '/app');
    await as('GET', '/app/installations', { per_page: 1 });
    await as('GET', '/app/installations/{installation_id}');
    await as('GET', '/orgs/{org}/installation');
    await as('GET', '/users/{username}/installation');
    await as('GET', '/repos/{owner}/{repo}/installation');
    const minted = await as(
      'POST',
      '/app/installations/{installation_id}/access_tokens',
      { permissions: { actions: 'read' } },
    );
    await check('GET', '/repos/{owner}/{repo}', {
      headers: { authorization: `token ${minted.data.token}` },
    });
    await as('GET', '/app/hook/config');
    await as('PATCH', '/app/hook/config', { insecure_ssl: '0' });
    // The documented errors: no JWT (401), another App's installation (404), permissions the
    // installation lacks (422).
    for (const [path, options, status] of [
      ['/app/installations/{installation_id}/access_tokens', {}, 401],
      [
        '/app/installations/{installation_id}/access_tokens',
        { authorization: `Bearer ${jwt}`, installation: 1 },
        404,
      ],
      [
        '/app/installations/{installation_id}/access_tokens',
        {
          authorization: `Bearer ${jwt}`,
          body: { permissions: { contents: 'write' } },
        },
        422,
      ],
    ] as const) {
      const response = await fetch(
        `${github.baseUrl}${path.replace(
          '{installation_id}',
          String(
            'installation' in options
              ? options.installation
              : PORTAL_APP_INSTALLATION_ID,
          ),
        )}`,
        {
          method: 'POST',
          headers:
            'authorization' in options
              ? { authorization: options.authorization }
              : {},
          body: 'body' in options ? JSON.stringify(options.body) : undefined,
        },
      );
      expect([path, response.status]).toEqual([path, status]);
      expectMatchesGitHubSchema('POST', path, status, await response.json());
    }
  });

  it('every implemented operation was validated above', () => {
    const implemented = githubApiRoutes.map(
      route => `${route.method} ${route.path}`,
    );
    const missing = implemented.filter(
      operation => !validatedOperations().has(operation),
    );
    expect(missing).toEqual([]);
  });
});
