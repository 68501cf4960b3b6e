/* eslint jest/expect-expect: ["warn", { "assertFunctionNames": ["expect", "check"] }] */
import { Octokit } from '@octokit/rest';
import { Sandbox, startSandbox } from '../../sandbox';
import {
  GITHUB_DEVELOPER_TOKEN,
  GITHUB_PORTAL_BOT_TOKEN,
} from '../../world/seedRepository';
import { expectMatchesGitHubSchema } from '../testing/openApiValidator';
import {
  ServiceRepository,
  serviceRepository,
} from './__testUtils__/serviceRepository';

/*
 * A repository created through the API and pushed to with git runs its own workflow: the
 * portal's pipeline as the golden path copies it, renamed. Gates run in `needs` order and say
 * whether they are real or simulated, staging is deployed to the sandbox cluster, production
 * waits for the environment's reviewers, and every answer about the run is one GitHub's OpenAPI
 * description accepts.
 */

jest.setTimeout(240_000);

const owner = 'acme-corp';
const repo = 'orders-api';
let sandbox: Sandbox;
let octokit: Octokit;
let service: ServiceRepository;

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

async function until<T>(
  what: string,
  probe: () => Promise<T | undefined>,
  seconds = 90,
): Promise<T> {
  const deadline = Date.now() + seconds * 1000;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise(resolve => setTimeout(resolve, 250));
  }
}

async function runOf(sha: string, branch = 'main') {
  const { data } = await octokit.rest.actions.listWorkflowRunsForRepo({
    owner,
    repo,
    head_sha: sha,
    branch,
  });
  return data.workflow_runs[0];
}

async function runWhen(sha: string, statuses: string[], branch = 'main') {
  return until(`a run of ${sha} to be ${statuses.join(' or ')}`, async () => {
    const run = await runOf(sha, branch);
    return run && statuses.includes(run.status!) ? run : undefined;
  });
}

async function jobsOf(runId: number) {
  const { data } = await octokit.rest.actions.listJobsForWorkflowRun({
    owner,
    repo,
    run_id: runId,
    filter: 'latest',
  });
  return data.jobs;
}

async function logOf(jobId: number): Promise<string> {
  const response = await fetch(
    `${sandbox.github.baseUrl}/repos/${owner}/${repo}/actions/jobs/${jobId}/logs`,
    {
      headers: { authorization: `token ${GITHUB_PORTAL_BOT_TOKEN}` },
    },
  );
  return response.text();
}

async function cluster(path: string) {
  const response = await fetch(`${sandbox.kubernetes.server}${path}`, {
    headers: { authorization: 'Bearer sandbox-admin-token' },
  });
  return response.json();
}

beforeAll(async () => {
  sandbox = await startSandbox({ timeScale: 0.02 });
  octokit = new Octokit({
    auth: GITHUB_PORTAL_BOT_TOKEN,
    baseUrl: sandbox.github.baseUrl,
  });
  await octokit.request('POST /orgs/{org}/repos', {
    org: owner,
    name: repo,
    private: true,
  });
  service = serviceRepository(sandbox.github.baseUrl, owner, repo);
});

afterAll(async () => {
  await sandbox?.close();
  service?.remove();
});

it('gives a workflow file GitHub cannot run a failed run, and runs the others', async () => {
  await octokit.request('POST /orgs/{org}/repos', {
    org: owner,
    name: 'broken-flow',
  });
  const broken = serviceRepository(
    sandbox.github.baseUrl,
    owner,
    'broken-flow',
    {
      '.github/workflows/broken.yml':
        'on: push\njobs:\n  deploy:\n    needs: build\n    runs-on: ubuntu-24.04\n    steps:\n      - run: echo deploy\n',
      '.github/workflows/hello.yml':
        'name: Hello\non: push\njobs:\n  hello:\n    runs-on: ubuntu-24.04\n    steps:\n      - run: echo hello\n',
    },
  );
  try {
    const sha = await broken.push('Add a job that needs a job nobody wrote');
    const runs = await until('both runs to complete', async () => {
      const { data } = await octokit.rest.actions.listWorkflowRunsForRepo({
        owner,
        repo: 'broken-flow',
        head_sha: sha,
      });
      const done = data.workflow_runs.filter(run => run.status === 'completed');
      return done.length === 2 ? done : undefined;
    });
    expect(runs.map(run => [run.name, run.conclusion]).sort()).toEqual([
      ['.github/workflows/broken.yml', 'failure'],
      ['Hello', 'success'],
    ]);
  } finally {
    broken.remove();
  }
});

describe('the workflow of a created repository', () => {
  let first: string;
  let pushedAt: number;

  it('runs on the first push: gates in needs order, each saying real or simulated; staging deployed; production waits for its reviewers', async () => {
    pushedAt = Date.now();
    first = await service.push(
      'Create orders-api from the Titanic golden path',
    );
    // What the golden path sets up right after publishing: branch protection and the
    // production environment with its reviewers (the portal's account and the owning team).
    await octokit.rest.repos.updateBranchProtection({
      owner,
      repo,
      branch: 'main',
      required_status_checks: null,
      enforce_admins: true,
      required_pull_request_reviews: null,
      restrictions: null,
    });
    const team = await octokit.request('GET /orgs/{org}/teams/{team_slug}', {
      org: owner,
      team_slug: 'titanic-team',
    });
    const bot = await octokit.request('GET /users/{username}', {
      username: 'titanic-portal-bot',
    });
    await octokit.request(
      'PUT /repos/{owner}/{repo}/environments/{environment_name}',
      {
        owner,
        repo,
        environment_name: 'production',
        reviewers: [
          { type: 'User', id: Number(bot.data.id) },
          { type: 'Team', id: team.data.id },
        ],
        deployment_branch_policy: {
          protected_branches: true,
          custom_branch_policies: false,
        },
      },
    );

    const run = await runWhen(first, ['waiting']);
    const secondsToWaiting = (Date.now() - pushedAt) / 1000;
    // eslint-disable-next-line no-console
    console.log(
      `first push → waiting for approval: ${secondsToWaiting.toFixed(1)} s`,
    );
    expect(secondsToWaiting).toBeLessThan(60);
    expect(run).toMatchObject({
      name: 'Titanic service pipeline',
      event: 'push',
      head_branch: 'main',
      run_number: 1,
    });

    const jobs = await jobsOf(run.id);
    expect(jobs.map(job => [job.name, job.status, job.conclusion])).toEqual([
      ['Gitleaks / Secret scan', 'completed', 'success'],
      ['Checkov / IaC scan', 'completed', 'success'],
      ['SonarCloud / Quality gate', 'completed', 'success'],
      ['Tests & lint', 'completed', 'success'],
      ['Build image', 'completed', 'success'],
      ['Trivy / Image scan', 'completed', 'success'],
      // `if: … github.ref == 'refs/heads/develop'`, as written: a push to main skips it.
      ['Deploy dev', 'completed', 'skipped'],
      ['Deploy staging', 'completed', 'success'],
      ['Deploy production', 'waiting', null],
    ]);
    // Each gate started after the one it needs had finished.
    for (let index = 1; index < 6; index++)
      expect(Date.parse(jobs[index].started_at)).toBeGreaterThanOrEqual(
        Date.parse(jobs[index - 1].completed_at!),
      );

    const logs = Object.fromEntries(
      await Promise.all(
        jobs
          .filter(
            job => job.status === 'completed' && job.conclusion !== 'skipped',
          )
          .map(async job => [job.name, await logOf(job.id)]),
      ),
    );
    expect(logs['Gitleaks / Secret scan']).toContain(
      '[sandbox] REAL: gitleaks 8.28.0',
    );
    expect(logs['Gitleaks / Secret scan']).toContain('no leaks found');
    expect(logs['Checkov / IaC scan']).toContain(
      '[sandbox] SIMULATED: Checkov did not run',
    );
    expect(logs['SonarCloud / Quality gate']).toContain(
      '[sandbox] SIMULATED: no SonarCloud analysis ran',
    );
    expect(logs['Tests & lint']).toContain(
      '[sandbox] SIMULATED: the tests did not run',
    );
    expect(logs['Build image']).toContain(
      '[sandbox] SIMULATED: no image was built',
    );
    expect(logs['Trivy / Image scan']).toContain(
      '[sandbox] SIMULATED: Trivy did not run',
    );
    expect(logs['Deploy staging']).toContain(
      '[sandbox] REAL: against the sandbox Kubernetes cluster',
    );

    // Staging runs the image the build tagged, in a namespace bound to the team infra/k8s names.
    const image = `ghcr.io/acme-corp/orders-api:sha-${first.slice(0, 7)}`;
    const namespace = await cluster('/api/v1/namespaces/orders-api-staging');
    expect(namespace.metadata.annotations['titanic.io/owner']).toBe(
      'group:default/titanic-team',
    );
    expect(
      namespace.metadata.labels['pod-security.kubernetes.io/enforce'],
    ).toBe('restricted');
    const staging = await cluster(
      '/apis/apps/v1/namespaces/orders-api-staging/deployments/orders-api',
    );
    expect(staging.spec.template.spec.containers[0].image).toBe(image);
    expect(staging.status.availableReplicas).toBe(1);

    const { data: pending } =
      await octokit.rest.actions.getPendingDeploymentsForRun({
        owner,
        repo,
        run_id: run.id,
      });
    expect(
      pending.map(p => [p.environment.name, p.current_user_can_approve]),
    ).toEqual([['production', true]]);
    expect(
      pending[0].reviewers.map(r => [
        r.type,
        (r.reviewer as { login?: string; slug?: string }).login ??
          (r.reviewer as { slug?: string }).slug,
      ]),
    ).toEqual([
      ['User', 'titanic-portal-bot'],
      ['Team', 'titanic-team'],
    ]);

    // Every answer about the run matches GitHub's OpenAPI description.
    await check('GET', '/repos/{owner}/{repo}/actions/workflows');
    await check(
      'GET',
      '/repos/{owner}/{repo}/actions/workflows/{workflow_id}',
      { workflow_id: 'orders-api.yml' },
    );
    await check('GET', '/repos/{owner}/{repo}/actions/runs');
    await check('GET', '/repos/{owner}/{repo}/actions/runs/{run_id}', {
      run_id: run.id,
    });
    await check('GET', '/repos/{owner}/{repo}/actions/runs/{run_id}/jobs', {
      run_id: run.id,
      filter: 'all',
    });
    await check(
      'GET',
      '/repos/{owner}/{repo}/actions/runs/{run_id}/artifacts',
      { run_id: run.id },
    );
    await check(
      'GET',
      '/repos/{owner}/{repo}/actions/runs/{run_id}/pending_deployments',
      { run_id: run.id },
    );
    for (const job of jobs) {
      await check('GET', '/repos/{owner}/{repo}/actions/jobs/{job_id}', {
        job_id: job.id,
      });
      await check('GET', '/repos/{owner}/{repo}/check-runs/{check_run_id}', {
        check_run_id: job.id,
      });
      await check(
        'GET',
        '/repos/{owner}/{repo}/check-runs/{check_run_id}/annotations',
        { check_run_id: job.id },
      );
    }
    await check('GET', '/repos/{owner}/{repo}/commits/{ref}/check-runs', {
      ref: first,
    });
    await check('GET', '/repos/{owner}/{repo}/environments');
    await check(
      'GET',
      '/repos/{owner}/{repo}/environments/{environment_name}',
      { environment_name: 'staging' },
    );
    const deployments = await check('GET', '/repos/{owner}/{repo}/deployments');
    for (const deployment of deployments.data)
      await check(
        'GET',
        '/repos/{owner}/{repo}/deployments/{deployment_id}/statuses',
        { deployment_id: deployment.id },
      );
    await check('GET', '/repos/{owner}/{repo}/code-scanning/alerts');
    await check('GET', '/repos/{owner}/{repo}/code-scanning/analyses');

    // The jobs' html_url (where the portal's "Logs" links go) shows the log, no token needed.
    const page = await fetch(jobs[0].html_url!);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('[sandbox] REAL: gitleaks 8.28.0');
  });

  it('continues after the production review and rolls production out', async () => {
    const run = await runOf(first);
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
    const done = await runWhen(first, ['completed']);
    expect(done.conclusion).toBe('success');
    const production = await cluster(
      '/apis/apps/v1/namespaces/orders-api-prod/deployments/orders-api',
    );
    expect(production.spec.template.spec.containers[0].image).toBe(
      `ghcr.io/acme-corp/orders-api:sha-${first.slice(0, 7)}`,
    );
    const { data: deployments } = await octokit.rest.repos.listDeployments({
      owner,
      repo,
      environment: 'production',
    });
    const { data: statuses } = await octokit.rest.repos.listDeploymentStatuses({
      owner,
      repo,
      deployment_id: deployments[0].id,
    });
    expect(statuses.map(s => s.state)).toEqual([
      'success',
      'in_progress',
      'queued',
      'pending',
    ]);
    await check(
      'GET',
      '/repos/{owner}/{repo}/actions/runs/{run_id}/approvals',
      { run_id: run.id },
    );
  });

  it('fails at Gitleaks with the finding in code scanning when a later push commits a secret, and skips the gates after it', async () => {
    // Assembled at run time so that no key-shaped string is committed to the portal.
    const key = ['AK', 'IA', 'QYLPMN5HHHFPZAM2'].join('');
    const sha = await service.push('Configure the payment provider', {
      'config/payments.env': `AWS_ACCESS_KEY_ID=${key}\n`,
    });
    const run = await runWhen(sha, ['completed']);
    expect(run.conclusion).toBe('failure');
    expect(run.run_number).toBe(2);
    const jobs = await jobsOf(run.id);
    expect(jobs.map(job => [job.name, job.conclusion])).toEqual([
      ['Gitleaks / Secret scan', 'failure'],
      ['Checkov / IaC scan', 'skipped'],
      ['SonarCloud / Quality gate', 'skipped'],
      ['Tests & lint', 'skipped'],
      ['Build image', 'skipped'],
      ['Trivy / Image scan', 'skipped'],
      ['Deploy dev', 'skipped'],
      ['Deploy staging', 'skipped'],
      ['Deploy production', 'skipped'],
    ]);
    const log = await logOf(jobs[0].id);
    // The line the portal reads its reason from ("1 secret found"), in gitleaks' own words.
    expect(log).toMatch(/WRN leaks found: 1/);
    expect(log).toMatch(/RuleID:\s+aws-access-token/);
    expect(log).toContain('##[error]Process completed with exit code 1.');
    const { data: alerts } = await octokit.request(
      'GET /repos/{owner}/{repo}/code-scanning/alerts',
      { owner, repo, tool_name: 'gitleaks', state: 'open' },
    );
    expect(
      alerts.map((a: any) => [
        a.rule.id,
        a.most_recent_instance.location.path,
        a.most_recent_instance.commit_sha,
      ]),
    ).toEqual([['aws-access-token', 'config/payments.env', sha]]);
    // A re-run replays the same commit: the secret is still there.
    await check(
      'POST',
      '/repos/{owner}/{repo}/actions/runs/{run_id}/rerun-failed-jobs',
      { run_id: run.id },
    );
    await until('the re-run to fail again', async () => {
      const again = await runOf(sha);
      return again.run_attempt === 2 && again.status === 'completed'
        ? again
        : undefined;
    });
    expect((await runOf(sha)).conclusion).toBe('failure');
  });

  it('runs for a branch created through the API too: develop deploys dev', async () => {
    const developer = new Octokit({
      auth: GITHUB_DEVELOPER_TOKEN,
      baseUrl: sandbox.github.baseUrl,
    });
    await developer.request('POST /repos/{owner}/{repo}/git/refs', {
      owner,
      repo,
      ref: 'refs/heads/develop',
      sha: first,
    });
    const run = await runWhen(first, ['completed'], 'develop');
    expect(run.conclusion).toBe('success');
    const jobs = await jobsOf(run.id);
    expect(
      jobs
        .filter(job => job.name.startsWith('Deploy'))
        .map(job => [job.name, job.conclusion]),
    ).toEqual([
      ['Deploy dev', 'success'],
      ['Deploy staging', 'skipped'],
      ['Deploy production', 'skipped'],
    ]);
    const dev = await cluster(
      '/apis/apps/v1/namespaces/orders-api-dev/deployments/orders-api',
    );
    expect(dev.spec.template.spec.containers[0].image).toBe(
      `ghcr.io/acme-corp/orders-api:sha-${first.slice(0, 7)}`,
    );
  });
});
