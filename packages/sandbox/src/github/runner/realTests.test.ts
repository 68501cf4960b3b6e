import { Octokit } from '@octokit/rest';
import { Sandbox, startSandbox } from '../../sandbox';
import { GITHUB_PORTAL_BOT_TOKEN } from '../../world/seedRepository';
import {
  ServiceRepository,
  serviceRepository,
} from './__testUtils__/serviceRepository';

/*
 * With the sandbox's realTests option the Tests gate is the service's real test run: the
 * workflow's npm steps in the service's directory (install, lint, typecheck, vitest with its
 * coverage thresholds) run in the job's checkout; the infrastructure checks stay simulated.
 * Minutes long: npm ci (from the npm cache first) and the service's whole suite.
 */

jest.setTimeout(15 * 60_000);

const owner = 'acme-corp';
// As long as titanic-service: the renamed sources keep their formatting, so lint passes.
const repo = 'billing-service';
let sandbox: Sandbox;
let service: ServiceRepository;

beforeAll(async () => {
  sandbox = await startSandbox({ timeScale: 0.02, realTests: true });
  const octokit = new Octokit({
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

it("runs the service's own tests and coverage thresholds for real in the Tests gate", async () => {
  const octokit = new Octokit({
    auth: GITHUB_PORTAL_BOT_TOKEN,
    baseUrl: sandbox.github.baseUrl,
  });
  await service.push('Create billing-service from the Titanic golden path');
  const deadline = Date.now() + 14 * 60_000;
  let tests: { id: number; conclusion: string | null } | undefined;
  while (!tests && Date.now() < deadline) {
    const { data: runs } = await octokit.rest.actions.listWorkflowRunsForRepo({
      owner,
      repo,
    });
    if (runs.workflow_runs[0]) {
      const { data } = await octokit.rest.actions.listJobsForWorkflowRun({
        owner,
        repo,
        run_id: runs.workflow_runs[0].id,
      });
      const job = data.jobs.find(j => j.name === 'Tests & lint');
      if (job?.status === 'completed') tests = job;
    }
    if (!tests) await new Promise(resolve => setTimeout(resolve, 2000));
  }
  expect(tests).toBeDefined();
  const log = await (
    await fetch(
      `${sandbox.github.baseUrl}/repos/${owner}/${repo}/actions/jobs/${
        tests!.id
      }/logs`,
      { headers: { authorization: `token ${GITHUB_PORTAL_BOT_TOKEN}` } },
    )
  ).text();
  expect(`${tests!.conclusion}\n${log}`).toMatch(/^success\n/);
  expect(log).toContain(
    '[sandbox] REAL: runs in billing-service of the checkout',
  );
  // vitest's own summary and its v8 coverage report, from the real run.
  expect(log).toMatch(/Tests\s+\d+ passed/);
  expect(log).toMatch(/Lines\s+:\s+\d+(\.\d+)?%/);
  // infra's checks are not the service's tests: they stay simulated and say so.
  expect(log.match(/SIMULATED: the tests did not run/g)).toHaveLength(1);
  expect(log).toContain(
    'RUN  v3.2.4 /home/runner/work/billing-service/billing-service/infra',
  );
});
