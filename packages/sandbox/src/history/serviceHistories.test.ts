import { Octokit } from '@octokit/rest';
import {
  GITHUB_PORTAL_BOT_TOKEN,
  GitHubSandbox,
  startGitHubServer,
} from '../index';
import { expectMatchesGitHubSchema } from '../github/testing/openApiValidator';
import { SandboxWorld } from '../world/sandboxWorld';
import {
  HISTORY_OWNER,
  SERVICE_PROFILES,
  seedServiceHistories,
} from './serviceHistories';

const END = Date.parse('2026-12-01T12:00:00Z');
const DAY = 24 * 3600 * 1000;

describe('the services’ ninety days of history', () => {
  const histories = seedServiceHistories(END);

  it('is the same for the same end', () => {
    expect(JSON.stringify(seedServiceHistories(END))).toBe(
      JSON.stringify(histories),
    );
  });

  it('fills the ninety days before the end for every service, with the edge cases the insights must handle', () => {
    expect(histories.map(h => h.repository.name)).toEqual(
      SERVICE_PROFILES.map(p => p.name),
    );
    for (const history of histories) {
      const times = history.deployments.map(d => Date.parse(d.createdAt));
      expect(Math.min(...times)).toBeLessThan(END - 90 * DAY);
      expect(Math.max(...times)).toBeGreaterThan(END - 30 * DAY);
      expect(Math.max(...times)).toBeLessThan(END);
      // Commits form one line: each one's parent is the one before.
      history.commits.forEach((commit, index) =>
        expect(commit.parents).toEqual(
          index ? [history.commits[index - 1].sha] : [],
        ),
      );
    }
    const all = histories.flatMap(h => h.deployments);
    const final = (d: (typeof all)[number]) => d.statuses.at(-1)!.state;
    expect(all.some(d => final(d) === 'failure')).toBe(true);
    expect(all.some(d => d.task === 'deploy:rollback')).toBe(true);
    const commits = histories.flatMap(h => h.commits);
    expect(commits.some(c => c.message.startsWith('Fix '))).toBe(true);
    expect(
      all.some(d => d.description === 'Redeploy after node pool replacement'),
    ).toBe(true);
    expect(
      histories.flatMap(h => h.runs).some(r => r.conclusion === 'failure'),
    ).toBe(true);
  });
});

describe('the services’ repositories over GitHub’s REST API', () => {
  let github: GitHubSandbox;
  let octokit: Octokit;
  const owner = HISTORY_OWNER;
  const repo = 'lifeboat-roster';

  beforeAll(async () => {
    github = await startGitHubServer({
      world: SandboxWorld.seeded({ historyEndsAt: END }),
    });
    octokit = new Octokit({
      auth: GITHUB_PORTAL_BOT_TOKEN,
      baseUrl: github.baseUrl,
      log: { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} },
    });
  });

  afterAll(() => github?.close());

  async function check(path: string, parameters: Record<string, unknown> = {}) {
    const response = await octokit.request(`GET ${path}`, {
      owner,
      repo,
      ...parameters,
    });
    expectMatchesGitHubSchema('GET', path, response.status, response.data);
    return response.data;
  }

  it('answers the repository, its production deployments, statuses, runs and compare as GitHub does', async () => {
    expect((await check('/repos/{owner}/{repo}')).default_branch).toBe('main');
    const deployments = await check('/repos/{owner}/{repo}/deployments', {
      environment: 'production',
      per_page: 100,
    });
    expect(deployments.length).toBeGreaterThan(10);
    const statuses = await check(
      '/repos/{owner}/{repo}/deployments/{deployment_id}/statuses',
      { deployment_id: deployments[0].id },
    );
    expect(statuses[0].state).toMatch(/success|failure/);
    const runs = await check('/repos/{owner}/{repo}/actions/runs', {
      per_page: 5,
    });
    expect(runs.workflow_runs).toHaveLength(5);

    const [newer, older] = [deployments[0].sha, deployments[5].sha];
    const ahead = await check('/repos/{owner}/{repo}/compare/{basehead}', {
      basehead: `${older}...${newer}`,
    });
    expect(ahead.status).toBe('ahead');
    expect(ahead.commits.at(-1).sha).toBe(newer);
    expect(ahead.total_commits).toBe(ahead.commits.length);
    const behind = await check('/repos/{owner}/{repo}/compare/{basehead}', {
      basehead: `${newer}...${older}`,
    });
    expect(behind).toMatchObject({
      status: 'behind',
      ahead_by: 0,
      commits: [],
    });
    const identical = await check('/repos/{owner}/{repo}/compare/{basehead}', {
      basehead: `${newer}...${newer}`,
    });
    expect(identical.status).toBe('identical');
    const paged = await check('/repos/{owner}/{repo}/compare/{basehead}', {
      basehead: `${older}...${newer}`,
      per_page: 1,
      page: 2,
    });
    expect(paged.commits).toEqual([ahead.commits[1]]);
  });

  it('still answers titanic-service from the seeded world, and refuses writes to the services', async () => {
    const seeded = await octokit.rest.repos.get({
      owner,
      repo: 'titanic-service',
    });
    expect(seeded.data.default_branch).toBe('develop');
    const runs = await octokit.rest.actions.listWorkflowRunsForRepo({
      owner,
      repo,
      per_page: 1,
    });
    await expect(
      octokit.rest.actions.reRunWorkflow({
        owner,
        repo,
        run_id: runs.data.workflow_runs[0].id,
      }),
    ).rejects.toMatchObject({ status: 404 });
  });
});
