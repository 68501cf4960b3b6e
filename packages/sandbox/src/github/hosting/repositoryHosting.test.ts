import { Octokit } from '@octokit/rest';
import git from 'isomorphic-git';
import gitHttp from 'isomorphic-git/http/node';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import { mkdtemp, readFile, rm, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import {
  GITHUB_PORTAL_BOT_TOKEN,
  GITHUB_VIEWER_TOKEN,
  GitHubSandbox,
  RepositoryPush,
  startGitHubServer,
} from '../../index';
import {
  authenticatedUrl,
  gitCli,
  gitCliFailure,
} from '../testing/gitCommandLine';

/*
 * Repositories created through the REST API are real git repositories: pushed to and cloned
 * over smart HTTP by isomorphic-git (as Backstage's publish:github does) and by the git CLI, and
 * read back through the contents API.
 */

jest.setTimeout(60_000);

const exec = promisify(execFile);
const owner = 'acme-corp';
let github: GitHubSandbox;
let port: number;
let bot: Octokit;
let viewer: Octokit;
let work: string;
const pushes: RepositoryPush[] = [];

async function scaffold(files: Record<string, string>): Promise<string> {
  const dir = await mkdtemp(join(work, 'tree-'));
  for (const [path, content] of Object.entries(files)) {
    await mkdir(join(dir, path, '..'), { recursive: true });
    await writeFile(join(dir, path), content);
  }
  return dir;
}

/** What publish:github does: init, add everything, commit, push to clone_url with the token as password. */
async function pushWithIsomorphicGit(
  dir: string,
  cloneUrl: string,
  token: string,
): Promise<string> {
  await git.init({ fs, dir, defaultBranch: 'main' });
  await git.add({ fs, dir, filepath: '.' });
  const author = { name: 'Scaffolder', email: 'scaffolder@backstage.io' };
  const sha = await git.commit({
    fs,
    dir,
    message: 'initial commit',
    author,
    committer: author,
  });
  await git.push({
    fs,
    http: gitHttp,
    dir,
    remote: 'origin',
    url: cloneUrl,
    onAuth: () => ({ username: 'x-access-token', password: token }),
  });
  return sha;
}

async function createRepository(name: string, extra: object = {}) {
  const { data } = await bot.rest.repos.createInOrg({
    org: owner,
    name,
    private: true,
    ...extra,
  });
  return data;
}

const files = {
  'catalog-info.yaml':
    'apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: payments-service\n',
  'README.md': '# payments-service\n',
  'docs/index.md': '# Payments\n',
  'src/app.ts': 'export const answer = 42;\n',
};

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'sandbox-hosting-test-'));
  github = await startGitHubServer({ onPush: push => pushes.push(push) });
  port = Number(new URL(github.baseUrl).port);
  bot = new Octokit({ auth: GITHUB_PORTAL_BOT_TOKEN, baseUrl: github.baseUrl });
  viewer = new Octokit({ auth: GITHUB_VIEWER_TOKEN, baseUrl: github.baseUrl });
}, 30_000);

afterAll(async () => {
  await github?.close();
  await rm(work, { recursive: true, force: true });
});

describe('creating repositories', () => {
  it('creates an organization repository whose web and clone URLs are localhost:<port>', async () => {
    const created = await createRepository('payments-service', {
      description: 'Payments',
    });
    expect(created).toMatchObject({
      full_name: 'acme-corp/payments-service',
      private: true,
      default_branch: 'main',
      description: 'Payments',
      owner: { login: 'acme-corp', type: 'Organization' },
      html_url: `http://localhost:${port}/acme-corp/payments-service`,
      clone_url: `http://localhost:${port}/acme-corp/payments-service.git`,
      url: `${github.baseUrl}/repos/acme-corp/payments-service`,
    });
    const { data: fetched } = await viewer.rest.repos.get({
      owner,
      repo: 'payments-service',
    });
    expect(fetched.id).toBe(created.id);
    expect(fetched.permissions).toMatchObject({ push: false, pull: true });
    expect(github.repositories.get(owner, 'payments-service')).toMatchObject({
      cloneUrl: created.clone_url,
      defaultBranch: 'main',
    });
  });

  it('creates a repository for the authenticated user', async () => {
    const { data } = await bot.rest.repos.createForAuthenticatedUser({
      name: 'bot-notes',
    });
    expect(data.owner.login).toBe('titanic-portal-bot');
    expect(data.clone_url).toBe(
      `http://localhost:${port}/titanic-portal-bot/bot-notes.git`,
    );
  });

  it('answers 422 "name already exists on this account" for a taken name, the seeded one included', async () => {
    await createRepository('taken-name');
    for (const name of ['taken-name', 'TAKEN-NAME', 'titanic-service']) {
      await expect(createRepository(name)).rejects.toMatchObject({
        status: 422,
        response: {
          data: {
            message: 'Repository creation failed.',
            errors: [
              expect.objectContaining({
                field: 'name',
                message: 'name already exists on this account',
              }),
            ],
          },
        },
      });
    }
  });

  it('refuses the read-only token (403), no token (401) and an unknown organization (404)', async () => {
    await expect(
      viewer.rest.repos.createInOrg({ org: owner, name: 'viewer-repo' }),
    ).rejects.toMatchObject({ status: 403 });
    const anonymous = new Octokit({ baseUrl: github.baseUrl });
    await expect(
      anonymous.rest.repos.createInOrg({ org: owner, name: 'anonymous-repo' }),
    ).rejects.toMatchObject({ status: 401 });
    await expect(
      bot.rest.repos.createInOrg({ org: 'no-such-org', name: 'x' }),
    ).rejects.toMatchObject({ status: 404 });
    expect(github.repositories.get(owner, 'viewer-repo')).toBeUndefined();
  });

  it('looks users and organizations up by name, as publish:github does first', async () => {
    const { data: org } = await bot.rest.users.getByUsername({
      username: owner,
    });
    expect(org).toMatchObject({ login: owner, type: 'Organization' });
    await expect(
      bot.rest.users.getByUsername({ username: 'nobody-here' }),
    ).rejects.toMatchObject({ status: 404 });
  });
});

describe('git over smart HTTP', () => {
  it('takes a push from isomorphic-git and gives the same tree back to a git CLI clone', async () => {
    const created = await createRepository('iso-pushed');
    const dir = await scaffold(files);
    const sha = await pushWithIsomorphicGit(
      dir,
      created.clone_url,
      GITHUB_PORTAL_BOT_TOKEN,
    );

    const clone = join(work, 'iso-pushed-clone');
    await gitCli(work, [
      'clone',
      '--quiet',
      authenticatedUrl(created.clone_url, GITHUB_VIEWER_TOKEN),
      clone,
    ]);
    expect(await gitCli(clone, ['rev-parse', 'HEAD'])).toBe(sha);
    expect(await gitCli(clone, ['branch', '--show-current'])).toBe('main');
    for (const [path, content] of Object.entries(files)) {
      expect(await readFile(join(clone, path), 'utf8')).toBe(content);
    }
    expect(
      pushes.filter(p => p.repo === 'iso-pushed').map(p => [p.branch, p.after]),
    ).toEqual([['main', sha]]);
    expect(pushes.find(p => p.repo === 'iso-pushed')).toMatchObject({
      before: null,
      defaultBranch: true,
      pusher: 'titanic-portal-bot',
    });
  });

  it('takes a push from the git CLI (without .git too) and gives it back to isomorphic-git', async () => {
    const created = await createRepository('cli-pushed');
    const dir = await scaffold(files);
    await gitCli(dir, ['init', '--quiet', '--initial-branch=trunk']);
    await gitCli(dir, ['add', '.']);
    await gitCli(dir, ['commit', '--quiet', '-m', 'first']);
    const remote = authenticatedUrl(created.html_url, GITHUB_PORTAL_BOT_TOKEN);
    await gitCli(dir, ['push', '--quiet', remote, 'trunk']);
    await writeFile(join(dir, 'README.md'), '# changed\n');
    await gitCli(dir, ['commit', '--quiet', '-am', 'second']);
    await gitCli(dir, ['push', '--quiet', remote, 'trunk']);
    const head = await gitCli(dir, ['rev-parse', 'HEAD']);

    // The first branch pushed to an empty repository becomes its default branch.
    const { data } = await bot.rest.repos.get({ owner, repo: 'cli-pushed' });
    expect(data.default_branch).toBe('trunk');

    const clone = join(work, 'cli-pushed-clone');
    await git.clone({
      fs,
      http: gitHttp,
      dir: clone,
      url: created.clone_url,
      onAuth: () => ({
        username: 'x-access-token',
        password: GITHUB_VIEWER_TOKEN,
      }),
    });
    expect(await git.resolveRef({ fs, dir: clone, ref: 'HEAD' })).toBe(head);
    expect(await readFile(join(clone, 'README.md'), 'utf8')).toBe(
      '# changed\n',
    );
    expect(
      await github.repositories.readFile(owner, 'cli-pushed', 'README.md'),
    ).toEqual(Buffer.from('# changed\n'));
  });

  it('asks for credentials with 401 and WWW-Authenticate, as GitHub does', async () => {
    await createRepository('needs-credentials');
    for (const path of [
      '/acme-corp/needs-credentials.git/info/refs?service=git-upload-pack',
      '/acme-corp/needs-credentials/info/refs?service=git-receive-pack',
      '/acme-corp/does-not-exist.git/info/refs?service=git-upload-pack',
    ]) {
      const response = await fetch(`http://localhost:${port}${path}`);
      expect([path, response.status]).toEqual([path, 401]);
      expect(response.headers.get('www-authenticate')).toBe(
        'Basic realm="GitHub"',
      );
    }
    const basic = (token: string) =>
      `Basic ${Buffer.from(`x-access-token:${token}`).toString('base64')}`;
    const advertised = await fetch(
      `http://localhost:${port}/acme-corp/needs-credentials.git/info/refs?service=git-upload-pack`,
      { headers: { authorization: basic(GITHUB_VIEWER_TOKEN) } },
    );
    expect(advertised.status).toBe(200);
    expect(advertised.headers.get('content-type')).toBe(
      'application/x-git-upload-pack-advertisement',
    );
    const wrong = await fetch(
      `http://localhost:${port}/acme-corp/needs-credentials.git/info/refs?service=git-upload-pack`,
      { headers: { authorization: basic('not-a-sandbox-token') } },
    );
    expect(wrong.status).toBe(401);
    const missing = await fetch(
      `http://localhost:${port}/acme-corp/does-not-exist.git/info/refs?service=git-upload-pack`,
      { headers: { authorization: basic(GITHUB_VIEWER_TOKEN) } },
    );
    expect(missing.status).toBe(404);
  });

  it('refuses a push with the read-only token with 403, to git and isomorphic-git alike', async () => {
    const created = await createRepository('read-only-push');
    const refused = await fetch(
      `http://localhost:${port}/acme-corp/read-only-push.git/info/refs?service=git-receive-pack`,
      {
        headers: {
          authorization: `Basic ${Buffer.from(
            `x-access-token:${GITHUB_VIEWER_TOKEN}`,
          ).toString('base64')}`,
        },
      },
    );
    expect(refused.status).toBe(403);
    expect(await refused.text()).toBe(
      'Permission to acme-corp/read-only-push.git denied to octo-viewer.\n',
    );

    const dir = await scaffold(files);
    await expect(
      pushWithIsomorphicGit(dir, created.clone_url, GITHUB_VIEWER_TOKEN),
    ).rejects.toMatchObject({ data: { statusCode: 403 } });
    await gitCli(dir, ['add', '.']);
    const stderr = await gitCliFailure(dir, [
      'push',
      authenticatedUrl(created.clone_url, GITHUB_VIEWER_TOKEN),
      'main',
    ]);
    expect(stderr).toContain('403');
    expect((await github.repositories.list()).length).toBeGreaterThan(0);
    expect(
      await github.repositories.readFile(owner, 'read-only-push', 'README.md'),
    ).toBeNull();
  });
});

describe('reading pushed content through the REST API', () => {
  let sha: string;
  beforeAll(async () => {
    const created = await createRepository('readable');
    sha = await pushWithIsomorphicGit(
      await scaffold(files),
      created.clone_url,
      GITHUB_PORTAL_BOT_TOKEN,
    );
  });

  it('serves a file as raw bytes and as base64 JSON', async () => {
    const raw = await fetch(
      `${github.baseUrl}/repos/acme-corp/readable/contents/docs/index.md?ref=main`,
      {
        headers: {
          authorization: `Bearer ${GITHUB_VIEWER_TOKEN}`,
          accept: 'application/vnd.github.v3.raw',
        },
      },
    );
    expect(raw.status).toBe(200);
    expect(await raw.text()).toBe(files['docs/index.md']);
    expect(raw.headers.get('etag')).toMatch(/^W\/"/);

    const { data } = await viewer.rest.repos.getContent({
      owner,
      repo: 'readable',
      path: 'catalog-info.yaml',
    });
    expect(data).toMatchObject({
      type: 'file',
      encoding: 'base64',
      path: 'catalog-info.yaml',
      html_url: `http://localhost:${port}/acme-corp/readable/blob/main/catalog-info.yaml`,
    });
    expect(
      Buffer.from((data as { content: string }).content, 'base64').toString(),
    ).toBe(files['catalog-info.yaml']);
  });

  it('lists directories and the root', async () => {
    const { data: root } = await viewer.rest.repos.getContent({
      owner,
      repo: 'readable',
      path: '',
      ref: sha,
    });
    expect(
      (root as Array<{ name: string; type: string }>).map(e => [
        e.name,
        e.type,
      ]),
    ).toEqual([
      ['README.md', 'file'],
      ['catalog-info.yaml', 'file'],
      ['docs', 'dir'],
      ['src', 'dir'],
    ]);
    const { data: docs } = await viewer.rest.repos.getContent({
      owner,
      repo: 'readable',
      path: 'docs',
    });
    expect((docs as Array<{ path: string }>).map(e => e.path)).toEqual([
      'docs/index.md',
    ]);
  });

  it('answers 404 for a missing path, ref or repository', async () => {
    for (const [repo, path, ref, message] of [
      ['readable', 'nope.txt', 'main', 'Not Found'],
      [
        'readable',
        'README.md',
        'no-such-branch',
        'No commit found for the ref no-such-branch',
      ],
      ['nothing-here', 'README.md', 'main', 'Not Found'],
    ]) {
      await expect(
        viewer.rest.repos.getContent({ owner, repo, path, ref }),
      ).rejects.toMatchObject({ status: 404, response: { data: { message } } });
    }
    await createRepository('still-empty');
    await expect(
      viewer.rest.repos.getContent({ owner, repo: 'still-empty', path: '' }),
    ).rejects.toMatchObject({
      status: 404,
      response: { data: { message: 'This repository is empty.' } },
    });
  });

  it('gives the commit of a branch (combined status) and its tarball', async () => {
    const { data: status } = await viewer.rest.repos.getCombinedStatusForRef({
      owner,
      repo: 'readable',
      ref: 'main',
    });
    expect(status.sha).toBe(sha);
    expect(status.repository.archive_url).toBe(
      `${github.baseUrl}/repos/acme-corp/readable/{archive_format}{/ref}`,
    );
    const tarball = await fetch(
      `${github.baseUrl}/repos/acme-corp/readable/tarball/${sha}`,
      { headers: { authorization: `token ${GITHUB_VIEWER_TOKEN}` } },
    );
    expect(tarball.status).toBe(200);
    const archive = join(work, 'readable.tar.gz');
    await writeFile(archive, Buffer.from(await tarball.arrayBuffer()));
    const { stdout } = await exec('tar', ['-tzf', archive]);
    expect(stdout.split('\n').filter(Boolean).sort()).toEqual(
      [
        '',
        'README.md',
        'catalog-info.yaml',
        'docs/',
        'docs/index.md',
        'src/',
        'src/app.ts',
      ].map(path => `acme-corp-readable-${sha.slice(0, 7)}/${path}`),
    );
  });

  it('shows files and directories at their html_url, blob and raw URLs', async () => {
    const web = `http://localhost:${port}/acme-corp/readable`;
    const page = async (path: string) => {
      const response = await fetch(`${web}${path}`);
      return [response.status, await response.text()];
    };
    expect(await page('/blob/main/docs/index.md')).toEqual([
      200,
      files['docs/index.md'],
    ]);
    expect(await page(`/raw/${sha}/src/app.ts`)).toEqual([
      200,
      files['src/app.ts'],
    ]);
    const [status, home] = await page('');
    expect(status).toBe(200);
    expect(home).toContain('catalog-info.yaml\ndocs/\nsrc/');
    expect((await page('/blob/main/nope.md'))[0]).toBe(404);
    expect((await page('/blob/no-such-branch/README.md'))[0]).toBe(404);
  });

  it('has no workflows, runs, environments or deployments yet: empty lists, not 404', async () => {
    const target = { owner, repo: 'readable' };
    const { data: runs } = await viewer.rest.actions.listWorkflowRunsForRepo(
      target,
    );
    expect(runs).toEqual({ total_count: 0, workflow_runs: [] });
    const { data: workflows } = await viewer.rest.actions.listRepoWorkflows(
      target,
    );
    expect(workflows).toEqual({ total_count: 0, workflows: [] });
    const { data: environments } = await viewer.rest.repos.getAllEnvironments(
      target,
    );
    expect(environments).toEqual({ total_count: 0, environments: [] });
    const { data: deployments } = await viewer.rest.repos.listDeployments(
      target,
    );
    expect(deployments).toEqual([]);
  });

  it('protects a branch and replaces topics, as publish:github does by default', async () => {
    const { data } = await bot.rest.repos.updateBranchProtection({
      owner,
      repo: 'readable',
      branch: 'main',
      required_status_checks: { strict: true, contexts: [] },
      enforce_admins: true,
      required_pull_request_reviews: { required_approving_review_count: 1 },
      restrictions: null,
    });
    expect(data.enforce_admins?.enabled).toBe(true);
    await expect(
      bot.rest.repos.updateBranchProtection({
        owner,
        repo: 'readable',
        branch: 'no-such-branch',
        required_status_checks: null,
        enforce_admins: null,
        required_pull_request_reviews: null,
        restrictions: null,
      }),
    ).rejects.toMatchObject({ status: 404 });
    await bot.rest.repos.replaceAllTopics({
      owner,
      repo: 'readable',
      names: ['titanic', 'payments'],
    });
    const { data: repo } = await viewer.rest.repos.get({
      owner,
      repo: 'readable',
    });
    expect(repo.topics).toEqual(['titanic', 'payments']);
  });
});

describe('lifetime', () => {
  it('removes its bare repositories when the server closes, and on POST /_sandbox/reset', async () => {
    const server = await startGitHubServer();
    const octokit = new Octokit({
      auth: GITHUB_PORTAL_BOT_TOKEN,
      baseUrl: server.baseUrl,
    });
    await octokit.rest.repos.createInOrg({ org: owner, name: 'short-lived' });
    const first = server.repositories.get(owner, 'short-lived')!.barePath;
    expect(fs.existsSync(join(first, 'HEAD'))).toBe(true);
    await fetch(`${server.baseUrl}/_sandbox/reset`, { method: 'POST' });
    expect(server.repositories.list()).toEqual([]);
    expect(fs.existsSync(first)).toBe(false);
    await octokit.rest.repos.createInOrg({ org: owner, name: 'short-lived' });
    const second = server.repositories.get(owner, 'short-lived')!.barePath;
    await server.close();
    expect(fs.existsSync(second)).toBe(false);
  });
});
