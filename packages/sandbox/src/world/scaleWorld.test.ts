import { Octokit } from '@octokit/rest';
import {
  GITHUB_DEVELOPER_TOKEN,
  GITHUB_VIEWER_TOKEN,
  GitHubSandbox,
  SandboxWorld,
  addScaleServices,
  startGitHubServer,
} from '../index';
import { ScaleService } from './scaleWorld';

jest.setTimeout(30_000);

describe('a generated organisation (addScaleServices)', () => {
  let github: GitHubSandbox;
  let services: ScaleService[];
  let viewer: Octokit;

  beforeAll(async () => {
    const world = SandboxWorld.seeded();
    services = addScaleServices(world.state, { services: 3 });
    github = await startGitHubServer({
      world,
      timeScale: 0.01,
      workflows: false,
    });
    viewer = new Octokit({
      auth: GITHUB_VIEWER_TOKEN,
      baseUrl: github.baseUrl,
    });
  });

  afterAll(async () => {
    await github.close();
  });

  it('is the same organisation for the same seed', () => {
    const again = addScaleServices(SandboxWorld.seeded().state, {
      services: 3,
    });
    expect(again).toEqual(services);
  });

  it('serves each generated repository through the REST API the portal reads', async () => {
    for (const { owner, name, repositoryId } of services) {
      const repo = { owner, repo: name };
      const { data: repository } = await viewer.rest.repos.get(repo);
      expect(repository).toMatchObject({
        id: repositoryId,
        full_name: `${owner}/${name}`,
        default_branch: 'main',
      });
      const { data: runs } = await viewer.rest.actions.listWorkflowRunsForRepo(
        repo,
      );
      expect(runs.total_count).toBe(6);
      const { data: jobs } = await viewer.rest.actions.listJobsForWorkflowRun({
        ...repo,
        run_id: runs.workflow_runs[0].id,
      });
      expect(jobs.jobs.length).toBeGreaterThan(0);
      const { data: deployments } = await viewer.rest.repos.listDeployments(
        repo,
      );
      expect(deployments.length).toBeGreaterThan(0);
      const { data: alerts } = await viewer.rest.codeScanning.listAlertsForRepo(
        repo,
      );
      expect(alerts.length).toBeGreaterThan(0);
      expect(
        alerts.every(alert => alert.url.includes(`/repos/${owner}/${name}/`)),
      ).toBe(true);
    }
  });

  it('keeps job logs to a few lines', async () => {
    const { owner, name } = services[0];
    const { data: runs } = await viewer.rest.actions.listWorkflowRunsForRepo({
      owner,
      repo: name,
    });
    const { data: jobs } = await viewer.rest.actions.listJobsForWorkflowRun({
      owner,
      repo: name,
      run_id: runs.workflow_runs[0].id,
    });
    const log = await fetch(
      `${github.baseUrl}/repos/${owner}/${name}/actions/jobs/${jobs.jobs[0].id}/logs`,
      { headers: { authorization: `token ${GITHUB_VIEWER_TOKEN}` } },
    );
    expect(log.status).toBe(200);
    expect((await log.text()).split('\n').length).toBeLessThanOrEqual(9);
  });

  it('lets a reviewer approve a waiting production deployment and re-run a failed run', async () => {
    const developer = new Octokit({
      auth: GITHUB_DEVELOPER_TOKEN,
      baseUrl: github.baseUrl,
    });
    const waiting = services.find(s => s.waitingRunIds.length > 0);
    const failed = services.find(s => s.failedRunIds.length > 0);
    expect(waiting).toBeDefined();
    expect(failed).toBeDefined();

    const run = { owner: waiting!.owner, repo: waiting!.name };
    const runId = waiting!.waitingRunIds[0];
    const { data: pending } =
      await developer.rest.actions.getPendingDeploymentsForRun({
        ...run,
        run_id: runId,
      });
    expect(pending.map(p => p.environment.name)).toEqual(['production']);
    await developer.rest.actions.reviewPendingDeploymentsForRun({
      ...run,
      run_id: runId,
      environment_ids: [pending[0].environment.id!],
      state: 'approved',
      comment: 'Approved by the scale world test',
    });
    const { data: approved } = await viewer.rest.actions.getWorkflowRun({
      ...run,
      run_id: runId,
    });
    expect(approved.status).not.toBe('waiting');

    const rerun = { owner: failed!.owner, repo: failed!.name };
    const failedId = failed!.failedRunIds[0];
    await developer.rest.actions.reRunWorkflowFailedJobs({
      ...rerun,
      run_id: failedId,
    });
    const { data: again } = await viewer.rest.actions.getWorkflowRun({
      ...rerun,
      run_id: failedId,
    });
    expect(again.run_attempt).toBe(2);
  });

  it('leaves the generated repositories out of a snapshot', () => {
    const world = SandboxWorld.seeded();
    addScaleServices(world.state, { services: 2 });
    const snapshot = JSON.parse(world.toJSON());
    expect(snapshot.generatedRepositories).toEqual([]);
    expect(
      snapshot.runs.every(
        (run: { repositoryId: number }) =>
          run.repositoryId === world.state.repository.id,
      ),
    ).toBe(true);
  });
});
