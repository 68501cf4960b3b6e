import { UrlReaders } from '@backstage/backend-defaults/urlReader';
import { ConfigReader } from '@backstage/config';
import {
  DefaultGithubCredentialsProvider,
  ScmIntegrations,
} from '@backstage/integration';
import { createPublishGithubAction } from '@backstage/plugin-scaffolder-backend-module-github';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  GITHUB_PORTAL_BOT_TOKEN,
  GitHubSandbox,
  RepositoryPush,
  startGitHubServer,
} from '../../index';

/*
 * The real Backstage `publish:github` action creates a repository in the sandbox and pushes the
 * scaffolded tree to it; the catalog's GitHub UrlReader then reads it back by its blob URL,
 * configured exactly like app-config.sandbox.yaml (host localhost:<port>, apiBaseUrl 127.0.0.1).
 */

jest.setTimeout(60_000);

const CATALOG_INFO = `apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: fresh-service
  annotations:
    github.com/project-slug: acme-corp/fresh-service
spec:
  type: service
  lifecycle: experimental
  owner: group:default/titanic-team
`;

type LoggerService = Parameters<typeof UrlReaders.default>[0]['logger'];

interface LogLine {
  level: string;
  message: string;
}

function recordingLogger(lines: LogLine[]): LoggerService {
  const logger: LoggerService = {
    error: message => lines.push({ level: 'error', message }),
    warn: message => lines.push({ level: 'warn', message }),
    info: message => lines.push({ level: 'info', message }),
    debug: message => lines.push({ level: 'debug', message }),
    child: () => logger,
  };
  return logger;
}

let github: GitHubSandbox;
let workspace: string;
const pushes: RepositoryPush[] = [];

beforeAll(async () => {
  github = await startGitHubServer({ onPush: push => pushes.push(push) });
  workspace = await mkdtemp(join(tmpdir(), 'sandbox-publish-github-'));
});

afterAll(async () => {
  await github?.close();
  await rm(workspace, { recursive: true, force: true });
});

it('publish:github creates the repository and pushes the tree, and the GitHub UrlReader reads it back', async () => {
  const port = new URL(github.baseUrl).port;
  const host = `localhost:${port}`;
  const config = new ConfigReader({
    integrations: {
      github: [
        { host, apiBaseUrl: github.baseUrl, token: GITHUB_PORTAL_BOT_TOKEN },
      ],
    },
  });
  const integrations = ScmIntegrations.fromConfig(config);
  const action = createPublishGithubAction({
    integrations,
    config,
    githubCredentialsProvider:
      DefaultGithubCredentialsProvider.fromIntegrations(integrations),
  });

  await mkdir(join(workspace, 'docs'));
  await writeFile(join(workspace, 'catalog-info.yaml'), CATALOG_INFO);
  await writeFile(join(workspace, 'docs', 'index.md'), '# Fresh service\n');
  await writeFile(join(workspace, 'mkdocs.yml'), 'site_name: fresh-service\n');

  const lines: LogLine[] = [];
  const outputs: Record<string, unknown> = {};
  const logger = recordingLogger(lines);
  await action.handler({
    input: {
      repoUrl: `${host}?owner=acme-corp&repo=fresh-service`,
      description: 'A freshly scaffolded service',
      topics: ['titanic'],
    },
    workspacePath: workspace,
    logger,
    output: (name: string, value: unknown) => {
      outputs[name] = value;
    },
    createTemporaryDirectory: () => mkdtemp(join(tmpdir(), 'sandbox-tmp-')),
    checkpoint: async ({ fn }: { fn: () => Promise<unknown> }) => fn(),
    getInitiatorCredentials: async () => ({
      $$type: '@backstage/BackstageCredentials',
      principal: {},
    }),
    task: { id: 'task-1' },
    isDryRun: false,
  } as any);

  expect(lines.filter(line => line.level === 'warn')).toEqual([]);
  expect(outputs).toEqual({
    remoteUrl: `http://${host}/acme-corp/fresh-service.git`,
    repoContentsUrl: `http://${host}/acme-corp/fresh-service/blob/main`,
    commitHash: expect.stringMatching(/^[0-9a-f]{40}$/),
  });
  expect(pushes).toEqual([
    expect.objectContaining({
      repo: 'fresh-service',
      branch: 'main',
      after: outputs.commitHash,
      defaultBranch: true,
    }),
  ]);
  const counts = github.requests.snapshot().routes;
  expect(Object.keys(counts)).toEqual([
    'GET /users/{username}',
    'GET /{owner}/{repo}.git/info/refs',
    'POST /orgs/{org}/repos',
    'POST /{owner}/{repo}.git/git-receive-pack',
    'PUT /repos/{owner}/{repo}/branches/{branch}/protection',
    'PUT /repos/{owner}/{repo}/topics',
  ]);

  const reader = UrlReaders.default({ config, logger });
  const catalogInfoUrl = `${outputs.repoContentsUrl}/catalog-info.yaml`;
  const response = await reader.readUrl(catalogInfoUrl);
  expect((await response.buffer()).toString('utf8')).toBe(CATALOG_INFO);
  expect(response.etag).toBeDefined();

  // readTree, as TechDocs uses it: the commit of the branch, then its tarball.
  const tree = await reader.readTree(
    `http://${host}/acme-corp/fresh-service/tree/main/docs`,
  );
  expect(tree.etag).toBe(outputs.commitHash);
  const files = await tree.files();
  expect(
    await Promise.all(
      files.map(async file => [file.path, (await file.content()).toString()]),
    ),
  ).toEqual([['index.md', '# Fresh service\n']]);

  await expect(
    reader.readUrl(`${outputs.repoContentsUrl}/missing.yaml`),
  ).rejects.toMatchObject({ name: 'NotFoundError' });
});
