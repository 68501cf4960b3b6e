import { Octokit } from '@octokit/rest';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  GITHUB_PORTAL_BOT_TOKEN,
  GitHubSandbox,
  startGitHubServer,
} from '../../index';
import { authenticatedUrl, gitCli } from '../testing/gitCommandLine';

/*
 * A created repository's compare and commits routes answer from its git history, as GitHub's
 * do: `main` is a line of three commits a ← b ← c; `feature` branches off a with d ← e.
 */

jest.setTimeout(60_000);

const owner = 'acme-corp';
const repo = 'compare-service';
let github: GitHubSandbox;
let bot: Octokit;
let work: string;
const sha: Record<'a' | 'b' | 'c' | 'd' | 'e', string> = {
  a: '',
  b: '',
  c: '',
  d: '',
  e: '',
};

/** Commits everything in `dir` as Alice, committed at `date`; resolves with the commit's sha. */
async function commitAt(dir: string, message: string, date: string) {
  await gitCli(dir, ['commit', '--quiet', '--allow-empty', '-m', message], {
    GIT_AUTHOR_DATE: date,
    GIT_COMMITTER_DATE: date,
  });
  return gitCli(dir, ['rev-parse', 'HEAD']);
}

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'sandbox-compare-test-'));
  github = await startGitHubServer();
  bot = new Octokit({ auth: GITHUB_PORTAL_BOT_TOKEN, baseUrl: github.baseUrl });
  const { data: created } = await bot.rest.repos.createInOrg({
    org: owner,
    name: repo,
  });
  await gitCli(work, ['init', '--quiet', '--initial-branch=main']);
  sha.a = await commitAt(work, 'a', '2026-03-01T10:00:00Z');
  sha.b = await commitAt(work, 'b', '2026-03-02T10:00:00Z');
  sha.c = await commitAt(work, 'c\n\nThe third.', '2026-03-03T10:00:00Z');
  await gitCli(work, ['checkout', '--quiet', '-b', 'feature', sha.a]);
  sha.d = await commitAt(work, 'd', '2026-03-04T10:00:00Z');
  sha.e = await commitAt(work, 'e', '2026-03-05T10:00:00Z');
  // Long: 260 commits on top of c, to see where GitHub stops listing.
  const stream = Array.from(
    { length: 260 },
    (_, n) =>
      `commit refs/heads/long\ncommitter Alice <alice@acme-corp.example> ${
        1_780_000_000 + n
      } +0000\ndata ${`long ${n}`.length}\nlong ${n}\n${
        n === 0 ? `from ${sha.c}\n` : ''
      }\n`,
  ).join('');
  await gitCli(work, ['fast-import', '--quiet'], {}, stream);
  await gitCli(work, [
    'push',
    '--quiet',
    authenticatedUrl(created.clone_url, GITHUB_PORTAL_BOT_TOKEN),
    'main',
    'feature',
    'long',
  ]);
}, 60_000);

afterAll(async () => {
  await github?.close();
  await rm(work, { recursive: true, force: true });
});

async function compare(basehead: string, page: object = {}) {
  return bot.request('GET /repos/{owner}/{repo}/compare/{basehead}', {
    owner,
    repo,
    basehead,
    ...page,
  });
}

const shas = (commits: Array<{ sha: string }>) => commits.map(c => c.sha);

describe('compare of a created repository', () => {
  it('is ahead by the commits head has and base has not, oldest first', async () => {
    const { data } = await compare(`${sha.a}...main`);
    expect(data).toMatchObject({
      status: 'ahead',
      ahead_by: 2,
      behind_by: 0,
      total_commits: 2,
      base_commit: { sha: sha.a },
      merge_base_commit: { sha: sha.a },
      permalink_url: expect.stringMatching(
        new RegExp(`/compare/${sha.a}\\.\\.\\.${sha.c}$`),
      ),
    });
    expect(shas(data.commits)).toEqual([sha.b, sha.c]);
    expect(data.commits[1]).toMatchObject({
      commit: {
        message: 'c\n\nThe third.',
        author: {
          name: 'Alice',
          email: 'alice@acme-corp.example',
          date: '2026-03-03T10:00:00Z',
        },
        committer: { date: '2026-03-03T10:00:00Z' },
        verification: { verified: false, reason: 'unsigned' },
      },
      // Alice's email makes the commit hers, as on GitHub.
      author: { login: 'alice' },
      parents: [{ sha: sha.b }],
    });
  });

  it('is behind when base has what head has not, and lists no commits', async () => {
    const { data } = await compare(`main...${sha.a}`);
    expect(data).toMatchObject({
      status: 'behind',
      ahead_by: 0,
      behind_by: 2,
      total_commits: 0,
      commits: [],
      merge_base_commit: { sha: sha.a },
    });
  });

  it('is identical for two names of one commit', async () => {
    const { data } = await compare(`main...${sha.c}`);
    expect(data).toMatchObject({
      status: 'identical',
      ahead_by: 0,
      behind_by: 0,
      commits: [],
      base_commit: { sha: sha.c },
      merge_base_commit: { sha: sha.c },
    });
  });

  it('has diverged when each side has commits: merge base is where they parted', async () => {
    const { data } = await compare('main...feature');
    expect(data).toMatchObject({
      status: 'diverged',
      ahead_by: 2,
      behind_by: 2,
      total_commits: 2,
      base_commit: { sha: sha.c },
      merge_base_commit: { sha: sha.a },
    });
    expect(shas(data.commits)).toEqual([sha.d, sha.e]);
  });

  it('takes short shas of seven characters', async () => {
    const { data } = await compare(
      `${sha.a.slice(0, 7)}...${sha.e.slice(0, 7)}`,
    );
    expect(data.status).toBe('ahead');
    expect(shas(data.commits)).toEqual([sha.d, sha.e]);
  });

  it('answers 404 Not Found for a ref that names nothing', async () => {
    for (const basehead of [
      'main...no-such-branch',
      `${'f'.repeat(40)}...main`,
      'main..feature',
    ]) {
      await expect(compare(basehead)).rejects.toMatchObject({
        status: 404,
        response: { data: { message: 'Not Found' } },
      });
    }
  });

  it('lists at most 250 commits unpaged, and pages of per_page with Link headers when asked', async () => {
    const { data: unpaged, headers } = await compare('main...long');
    expect(unpaged.total_commits).toBe(260);
    expect(unpaged.commits).toHaveLength(250);
    expect(unpaged.commits[0].commit.message).toBe('long 0');
    expect(headers.link).toBeUndefined();

    const { data: second, headers: paged } = await compare('main...long', {
      per_page: 100,
      page: 3,
    });
    expect(second.total_commits).toBe(260);
    expect(second.commits.map(c => c.commit.message)).toEqual(
      Array.from({ length: 60 }, (_, n) => `long ${200 + n}`),
    );
    expect(paged.link).toContain('page=2>; rel="prev"');
    expect(paged.link).toContain('page=1>; rel="first"');
  });
});

describe('commits of a created repository', () => {
  it('lists the default branch newest first, or the history of `sha`', async () => {
    const main = await bot.rest.repos.listCommits({ owner, repo });
    expect(shas(main.data)).toEqual([sha.c, sha.b, sha.a]);
    const feature = await bot.rest.repos.listCommits({
      owner,
      repo,
      sha: 'feature',
    });
    expect(shas(feature.data)).toEqual([sha.e, sha.d, sha.a]);
    const fromShort = await bot.rest.repos.listCommits({
      owner,
      repo,
      sha: sha.b.slice(0, 7),
    });
    expect(shas(fromShort.data)).toEqual([sha.b, sha.a]);
  });

  it('keeps the commits committed between since and until', async () => {
    const { data } = await bot.rest.repos.listCommits({
      owner,
      repo,
      since: '2026-03-02T00:00:00Z',
      until: '2026-03-02T23:59:59Z',
    });
    expect(shas(data)).toEqual([sha.b]);
  });

  it('pages with per_page and page, linking the next and last pages', async () => {
    const first = await bot.rest.repos.listCommits({
      owner,
      repo,
      per_page: 2,
    });
    expect(shas(first.data)).toEqual([sha.c, sha.b]);
    expect(first.headers.link).toContain('page=2>; rel="next"');
    const second = await bot.rest.repos.listCommits({
      owner,
      repo,
      per_page: 2,
      page: 2,
    });
    expect(shas(second.data)).toEqual([sha.a]);
  });

  it('answers 404 for a sha that names nothing', async () => {
    await expect(
      bot.rest.repos.listCommits({ owner, repo, sha: 'no-such-branch' }),
    ).rejects.toMatchObject({ status: 404 });
  });

  it('gives one commit by branch, sha or short sha, and 422 for a ref that names nothing', async () => {
    for (const ref of ['feature', sha.e, sha.e.slice(0, 7)]) {
      const { data } = await bot.rest.repos.getCommit({ owner, repo, ref });
      expect(data).toMatchObject({
        sha: sha.e,
        commit: { message: 'e' },
        parents: [{ sha: sha.d }],
      });
    }
    await expect(
      bot.rest.repos.getCommit({ owner, repo, ref: 'no-such-branch' }),
    ).rejects.toMatchObject({
      status: 422,
      response: {
        data: { message: 'No commit found for SHA: no-such-branch' },
      },
    });
  });
});
