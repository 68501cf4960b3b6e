import { Octokit } from '@octokit/rest';
import { gzipSync } from 'node:zlib';
import {
  GITHUB_DEVELOPER_TOKEN,
  GITHUB_PORTAL_BOT_TOKEN,
  GITHUB_VIEWER_TOKEN,
  GitHubSandbox,
  startGitHubServer,
} from '../index';
import { expectMatchesGitHubSchema } from './testing/openApiValidator';

jest.setTimeout(30_000);

const owner = 'acme-corp';
const repo = 'titanic-service';
const api = (github: GitHubSandbox, path: string) =>
  `${github.baseUrl}/repos/${owner}/${repo}${path}`;
const auth = (token = GITHUB_PORTAL_BOT_TOKEN) => ({
  authorization: `token ${token}`,
});

describe('GitHub sandbox behaves as api.github.com', () => {
  let github: GitHubSandbox;
  let octokit: Octokit;

  beforeEach(async () => {
    github = await startGitHubServer({ timeScale: 0.01 });
    octokit = new Octokit({
      auth: GITHUB_PORTAL_BOT_TOKEN,
      baseUrl: github.baseUrl,
    });
  });

  afterEach(async () => {
    await github.close();
  });

  it('rejects an unknown token with 401 Bad credentials in GitHub’s error shape', async () => {
    const response = await fetch(api(github, ''), {
      headers: { authorization: 'Bearer nope' },
    });
    expect(response.status).toBe(401);
    const body = await response.json();
    expect(body).toEqual({
      message: 'Bad credentials',
      documentation_url: 'https://docs.github.com/rest',
      status: '401',
    });
    expectMatchesGitHubSchema('GET', '/repos/{owner}/{repo}', 404, body);
  });

  it('accepts both `token X` and `Bearer X` authorization', async () => {
    expect(
      (
        await fetch(api(github, ''), {
          headers: { authorization: `Bearer ${GITHUB_PORTAL_BOT_TOKEN}` },
        })
      ).status,
    ).toBe(200);
    expect((await fetch(api(github, ''), { headers: auth() })).status).toBe(
      200,
    );
  });

  it('hides the private repository from unauthenticated requests and answers unknown routes 404', async () => {
    expect((await fetch(api(github, ''))).status).toBe(404);
    const unknown = await fetch(`${github.baseUrl}/no/such/route`, {
      headers: auth(),
    });
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toMatchObject({
      message: 'Not Found',
      documentation_url: expect.any(String),
    });
  });

  it('reports rate-limit headers and does not charge a 304 for a matching ETag', async () => {
    const first = await fetch(api(github, '/actions/runs'), {
      headers: auth(),
    });
    const etag = first.headers.get('etag')!;
    expect(first.headers.get('x-ratelimit-limit')).toBe('5000');
    expect(first.headers.get('x-ratelimit-remaining')).toBe('4999');
    const second = await fetch(api(github, '/actions/runs'), {
      headers: { ...auth(), 'if-none-match': etag },
    });
    expect(second.status).toBe(304);
    expect(second.headers.get('x-ratelimit-remaining')).toBe('4999');
    expect(
      github.requests.snapshot().routes[
        'GET /repos/{owner}/{repo}/actions/runs'
      ],
    ).toEqual({ total: 2, notModified: 1, rateLimited: 0 });
    const limits = await (
      await fetch(`${github.baseUrl}/rate_limit`, { headers: auth() })
    ).json();
    expect(limits.resources.core).toMatchObject({
      limit: 5000,
      remaining: 4999,
      used: 1,
    });
  });

  it('simulates the primary rate limit: 403 with x-ratelimit-remaining 0 until reset', async () => {
    github.rateLimit.exhaustPrimary({ resetInSeconds: 120 });
    const response = await fetch(api(github, '/actions/runs'), {
      headers: auth(),
    });
    expect(response.status).toBe(403);
    expect(response.headers.get('x-ratelimit-remaining')).toBe('0');
    expect((await response.json()).message).toMatch(
      /^API rate limit exceeded for user ID/,
    );
    github.rateLimit.reset();
    expect(
      (await fetch(api(github, '/actions/runs'), { headers: auth() })).status,
    ).toBe(200);
  });

  it('simulates the secondary rate limit with Retry-After through the admin endpoint', async () => {
    await fetch(`${github.baseUrl}/_sandbox/rate-limit`, {
      method: 'POST',
      body: JSON.stringify({
        mode: 'secondary',
        status: 429,
        retryAfterSeconds: 7,
        requests: 1,
      }),
    });
    const limited = await fetch(api(github, '/actions/runs'), {
      headers: auth(),
    });
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('7');
    expect((await limited.json()).message).toMatch(/secondary rate limit/);
    expect(
      (await fetch(api(github, '/actions/runs'), { headers: auth() })).status,
    ).toBe(200);
    const counts = await (
      await fetch(`${github.baseUrl}/_sandbox/requests`)
    ).json();
    expect(counts.routes['GET /repos/{owner}/{repo}/actions/runs']).toEqual({
      total: 2,
      notModified: 0,
      rateLimited: 1,
    });
  });

  it('pages code scanning alerts beyond 100 with Link headers', async () => {
    const alerts = await octokit.paginate(
      octokit.rest.codeScanning.listAlertsForRepo,
      { owner, repo, per_page: 100 },
    );
    expect(alerts.length).toBeGreaterThan(300);
    expect(new Set(alerts.map(a => a.number)).size).toBe(alerts.length);
    const first = await fetch(
      api(github, '/code-scanning/alerts?per_page=100'),
      { headers: auth() },
    );
    expect(first.headers.get('link')).toMatch(/page=2>; rel="next"/);
    const critical = await octokit.paginate(
      octokit.rest.codeScanning.listAlertsForRepo,
      { owner, repo, severity: 'critical', state: 'open', tool_name: 'Trivy' },
    );
    expect(critical.length).toBeGreaterThan(0);
    expect(
      critical.every(
        a =>
          a.rule.security_severity_level === 'critical' &&
          a.state === 'open' &&
          a.tool.name === 'Trivy',
      ),
    ).toBe(true);
    const tools = new Set(alerts.map(a => a.tool.name));
    expect([...tools].sort()).toEqual(['Checkov', 'Trivy', 'gitleaks']);
  });

  it('filters runs by branch, status and event', async () => {
    const { data } = await octokit.rest.actions.listWorkflowRunsForRepo({
      owner,
      repo,
      branch: 'develop',
      status: 'failure',
      event: 'push',
    });
    expect(data.total_count).toBeGreaterThan(3);
    expect(
      data.workflow_runs.every(
        r =>
          r.head_branch === 'develop' &&
          r.conclusion === 'failure' &&
          r.event === 'push',
      ),
    ).toBe(true);
    const waiting = await octokit.rest.actions.listWorkflowRunsForRepo({
      owner,
      repo,
      status: 'waiting',
    });
    expect(
      waiting.data.workflow_runs.map(r => r.triggering_actor?.login),
    ).toEqual(['alice', 'guest-acme']);
  });

  it('redirects job logs to a download URL serving the runner log', async () => {
    const { data: runs } = await octokit.rest.actions.listWorkflowRunsForRepo({
      owner,
      repo,
      branch: 'develop',
      status: 'failure',
    });
    const run = runs.workflow_runs.at(-1)!; // the oldest failure: gitleaks
    const { data: jobs } = await octokit.rest.actions.listJobsForWorkflowRun({
      owner,
      repo,
      run_id: run.id,
    });
    const gitleaks = jobs.jobs.find(j => j.name === 'Gitleaks / Secret scan')!;
    expect(gitleaks.conclusion).toBe('failure');
    const response = await octokit.rest.actions.downloadJobLogsForWorkflowRun({
      owner,
      repo,
      job_id: gitleaks.id,
    });
    expect(String(response.data)).toMatch(/WRN leaks found: 2/);
  });

  it('lets a required reviewer approve the waiting production deployment and resumes the run', async () => {
    const { data: runs } = await octokit.rest.actions.listWorkflowRunsForRepo({
      owner,
      repo,
      status: 'waiting',
    });
    const run = runs.workflow_runs[0];
    const { data: pending } =
      await octokit.rest.actions.getPendingDeploymentsForRun({
        owner,
        repo,
        run_id: run.id,
      });
    expect(pending[0].environment.name).toBe('production');
    expect(pending[0].current_user_can_approve).toBe(true);
    expect(
      pending[0].reviewers.map(
        r => (r.reviewer as any).login ?? (r.reviewer as any).slug,
      ),
    ).toEqual(['titanic-portal-bot', 'titanic-maintainers']);
    await octokit.rest.actions.reviewPendingDeploymentsForRun({
      owner,
      repo,
      run_id: run.id,
      environment_ids: [pending[0].environment.id!],
      state: 'approved',
      comment: 'Ship it',
    });
    const resumed = await octokit.rest.actions.getWorkflowRun({
      owner,
      repo,
      run_id: run.id,
    });
    expect(['queued', 'in_progress']).toContain(resumed.data.status);
    let status = resumed.data.status;
    for (let i = 0; i < 50 && status !== 'completed'; i++) {
      await new Promise(resolve => setTimeout(resolve, 100));
      status = (
        await octokit.rest.actions.getWorkflowRun({
          owner,
          repo,
          run_id: run.id,
        })
      ).data.status;
    }
    const done = await octokit.rest.actions.getWorkflowRun({
      owner,
      repo,
      run_id: run.id,
    });
    expect(done.data.conclusion).toBe('success');
    const { data: approvals } = await octokit.rest.actions.getReviewsForRun({
      owner,
      repo,
      run_id: run.id,
    });
    expect(approvals[0]).toMatchObject({
      state: 'approved',
      comment: 'Ship it',
      user: { login: 'titanic-portal-bot' },
    });
    const { data: deployments } = await octokit.rest.repos.listDeployments({
      owner,
      repo,
      environment: 'production',
      per_page: 1,
    });
    const { data: statuses } = await octokit.rest.repos.listDeploymentStatuses({
      owner,
      repo,
      deployment_id: deployments[0].id,
    });
    expect(statuses[0].state).toBe('success');
    // No longer waiting: a second review finds nothing to approve.
    await expect(
      octokit.rest.actions.reviewPendingDeploymentsForRun({
        owner,
        repo,
        run_id: run.id,
        environment_ids: [pending[0].environment.id!],
        state: 'approved',
        comment: 'again',
      }),
    ).rejects.toMatchObject({ status: 422 });
  });

  it('fails the run when the deployment is rejected', async () => {
    const { data: runs } = await octokit.rest.actions.listWorkflowRunsForRepo({
      owner,
      repo,
      status: 'waiting',
    });
    const run = runs.workflow_runs[0];
    await octokit.rest.actions.reviewPendingDeploymentsForRun({
      owner,
      repo,
      run_id: run.id,
      environment_ids: [4_200_000_003],
      state: 'rejected',
      comment: 'Not today',
    });
    const { data } = await octokit.rest.actions.getWorkflowRun({
      owner,
      repo,
      run_id: run.id,
    });
    expect(data).toMatchObject({ status: 'completed', conclusion: 'failure' });
  });

  it('allows only required reviewers and writers to review', async () => {
    const { data: runs } = await octokit.rest.actions.listWorkflowRunsForRepo({
      owner,
      repo,
      status: 'waiting',
    });
    const body = JSON.stringify({
      environment_ids: [4_200_000_003],
      state: 'approved',
      comment: 'me too',
    });
    const path = api(
      github,
      `/actions/runs/${runs.workflow_runs[0].id}/pending_deployments`,
    );
    const viewer = await fetch(path, {
      method: 'POST',
      headers: auth(GITHUB_VIEWER_TOKEN),
      body,
    });
    expect(viewer.status).toBe(403);
    const developer = await fetch(path, {
      method: 'POST',
      headers: auth(GITHUB_DEVELOPER_TOKEN),
      body,
    });
    expect(developer.status).toBe(422);
    const invalid = await fetch(path, {
      method: 'POST',
      headers: auth(),
      body: JSON.stringify({ state: 'maybe' }),
    });
    expect(invalid.status).toBe(422);
    expect((await invalid.json()).message).toMatch(/^Invalid request/);
  });

  it('re-runs failed jobs, keeping the successful ones, and a flaky failure passes', async () => {
    const { data: runs } = await octokit.rest.actions.listWorkflowRunsForRepo({
      owner,
      repo,
      branch: 'develop',
      status: 'failure',
      per_page: 100,
    });
    const flaky = runs.workflow_runs.find(
      r => r.display_title === 'Retry database connections on start-up',
    )!;
    const before = await octokit.rest.actions.listJobsForWorkflowRun({
      owner,
      repo,
      run_id: flaky.id,
    });
    await octokit.rest.actions.reRunWorkflowFailedJobs({
      owner,
      repo,
      run_id: flaky.id,
    });
    let run = (
      await octokit.rest.actions.getWorkflowRun({
        owner,
        repo,
        run_id: flaky.id,
      })
    ).data;
    expect(run.run_attempt).toBe(2);
    for (let i = 0; i < 80 && run.status !== 'completed'; i++) {
      await new Promise(resolve => setTimeout(resolve, 100));
      run = (
        await octokit.rest.actions.getWorkflowRun({
          owner,
          repo,
          run_id: flaky.id,
        })
      ).data;
    }
    expect(run.conclusion).toBe('success');
    const after = await octokit.rest.actions.listJobsForWorkflowRun({
      owner,
      repo,
      run_id: flaky.id,
    });
    const keptGitleaks = (jobs: typeof after.data.jobs) =>
      jobs.find(j => j.name === 'Gitleaks / Secret scan')!.id;
    expect(keptGitleaks(after.data.jobs)).toBe(keptGitleaks(before.data.jobs));
    const all = await octokit.rest.actions.listJobsForWorkflowRun({
      owner,
      repo,
      run_id: flaky.id,
      filter: 'all',
    });
    expect(all.data.total_count).toBeGreaterThan(after.data.total_count);
  });

  it('cancels a running run and refuses to cancel a completed one', async () => {
    const { data: runs } = await octokit.rest.actions.listWorkflowRunsForRepo({
      owner,
      repo,
      status: 'success',
      branch: 'develop',
    });
    const run = runs.workflow_runs[0];
    await expect(
      octokit.rest.actions.cancelWorkflowRun({ owner, repo, run_id: run.id }),
    ).rejects.toMatchObject({ status: 409 });
    await octokit.rest.actions.reRunWorkflow({ owner, repo, run_id: run.id });
    await octokit.rest.actions.cancelWorkflowRun({
      owner,
      repo,
      run_id: run.id,
    });
    const { data } = await octokit.rest.actions.getWorkflowRun({
      owner,
      repo,
      run_id: run.id,
    });
    expect(data).toMatchObject({
      status: 'completed',
      conclusion: 'cancelled',
    });
  });

  it('turns an uploaded gzip+base64 SARIF into code scanning alerts and fixes those it no longer reports', async () => {
    const { data: commit } = await octokit.rest.repos.getCommit({
      owner,
      repo,
      ref: 'develop',
    });
    const sarif = (results: unknown[]) =>
      gzipSync(
        JSON.stringify({
          version: '2.1.0',
          runs: [
            {
              tool: {
                driver: {
                  name: 'gitleaks',
                  rules: [
                    {
                      id: 'generic-api-key',
                      shortDescription: { text: 'Generic API Key' },
                    },
                  ],
                },
              },
              results,
            },
          ],
        }),
      ).toString('base64');
    const finding = {
      ruleId: 'generic-api-key',
      message: { text: 'generic-api-key has detected secret' },
      locations: [
        {
          physicalLocation: {
            artifactLocation: { uri: 'docs/setup.md' },
            region: { startLine: 3 },
          },
        },
      ],
    };
    const ref = 'refs/heads/feature/docs';
    await octokit.rest.codeScanning.uploadSarif({
      owner,
      repo,
      commit_sha: commit.sha,
      ref,
      sarif: sarif([finding]),
    });
    let alerts = await octokit.rest.codeScanning.listAlertsForRepo({
      owner,
      repo,
      ref,
      tool_name: 'gitleaks',
    });
    expect(
      alerts.data.map(a => [
        a.rule.id,
        a.state,
        a.most_recent_instance.location?.path,
      ]),
    ).toEqual([['generic-api-key', 'open', 'docs/setup.md']]);
    await octokit.rest.codeScanning.uploadSarif({
      owner,
      repo,
      commit_sha: commit.sha,
      ref,
      sarif: sarif([]),
    });
    alerts = await octokit.rest.codeScanning.listAlertsForRepo({
      owner,
      repo,
      ref,
      tool_name: 'gitleaks',
    });
    expect(alerts.data[0].state).toBe('fixed');
    const bad = await fetch(api(github, '/code-scanning/sarifs'), {
      method: 'POST',
      headers: auth(),
      body: JSON.stringify({ ref }),
    });
    expect(bad.status).toBe(422);
  });
});
