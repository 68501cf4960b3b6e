import { Entity } from '@backstage/catalog-model';
import {
  GITHUB_DEVELOPER_TOKEN,
  GITHUB_ORG_ADMIN_TOKEN,
  PORTAL_APP_ID,
} from '@internal/sandbox';
import { Octokit } from '@octokit/rest';
import { execFile, execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { readFrom } from './entities';

/*
 * A repository whose production environment the titanic-portal GitHub App gates alone (a custom
 * deployment protection rule, no required reviewers): each push to main runs a workflow whose
 * deploy job is bound for production, on the sandbox's live runner. bob pushes, so bob starts
 * every run.
 */

const OWNER = 'acme-corp';
export const GATED_SERVICE = 'gated-service';

/** Its catalog entity, read from the repository it names, owned by titanic-team. */
export const gatedService: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name: GATED_SERVICE,
    namespace: 'default',
    annotations: {
      ...readFrom(`${OWNER}/${GATED_SERVICE}`),
      'github.com/project-slug': `${OWNER}/${GATED_SERVICE}`,
      'backstage.io/kubernetes-id': GATED_SERVICE,
    },
  },
  spec: {
    type: 'service',
    lifecycle: 'production',
    owner: 'group:default/titanic-team',
  },
};

const WORKFLOW = `name: Deploy
on: push
jobs:
  deploy:
    runs-on: ubuntu-24.04
    environment: production
    steps:
      - run: echo deploying to production
`;

export interface GatedRepository {
  /** Commits a change and pushes it to main as bob; the commit's sha. */
  push(message: string): Promise<string>;
  remove(): void;
}

export async function gatedRepository(
  githubUrl: string,
): Promise<GatedRepository> {
  const admin = new Octokit({
    auth: GITHUB_ORG_ADMIN_TOKEN,
    baseUrl: githubUrl,
  });
  const repo = { owner: OWNER, repo: GATED_SERVICE };
  await admin.request('POST /orgs/{org}/repos', {
    org: OWNER,
    name: GATED_SERVICE,
  });
  await admin.request(
    'PUT /repos/{owner}/{repo}/environments/{environment_name}',
    { ...repo, environment_name: 'production' },
  );
  await admin.request(
    'POST /repos/{owner}/{repo}/environments/{environment_name}/deployment_protection_rules',
    { ...repo, environment_name: 'production', integration_id: PORTAL_APP_ID },
  );
  const directory = mkdtempSync(join(tmpdir(), `${GATED_SERVICE}-`));
  const write = (path: string, content: string) => {
    mkdirSync(dirname(join(directory, path)), { recursive: true });
    writeFileSync(join(directory, path), content);
  };
  const env = {
    ...process.env,
    GIT_AUTHOR_NAME: 'Bob Brown',
    GIT_AUTHOR_EMAIL: 'bob@acme-corp.example',
    GIT_COMMITTER_NAME: 'Bob Brown',
    GIT_COMMITTER_EMAIL: 'bob@acme-corp.example',
    GIT_CONFIG_NOSYSTEM: '1',
  };
  const git = (...args: string[]) =>
    execFileSync('git', args, { cwd: directory, encoding: 'utf8', env }).trim();
  const remote = new URL(`${githubUrl}/${OWNER}/${GATED_SERVICE}.git`);
  remote.username = 'x-access-token';
  remote.password = GITHUB_DEVELOPER_TOKEN;
  git('init', '--quiet', '--initial-branch=main');
  write('.github/workflows/deploy.yml', WORKFLOW);
  let pushes = 0;
  return {
    async push(message) {
      pushes += 1;
      write('CHANGELOG.md', `Change ${pushes}: ${message}\n`);
      git('add', '.');
      git('commit', '--quiet', '-m', message);
      // The push reaches the sandbox in this very process: it must not block the event loop.
      await promisify(execFile)(
        'git',
        ['push', '--quiet', remote.toString(), 'HEAD:refs/heads/main'],
        { cwd: directory, env },
      );
      return git('rev-parse', 'HEAD');
    },
    remove: () => rmSync(directory, { recursive: true, force: true }),
  };
}
