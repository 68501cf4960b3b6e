import { execFile, execFileSync } from 'node:child_process';
import { promisify } from 'node:util';
import {
  cpSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { GITHUB_PORTAL_BOT_TOKEN } from '../../../world/seedRepository';

/*
 * A repository made like the golden path makes one: the portal's reference service, its
 * pipeline workflows, .gitleaks.toml and infra, renamed to a new service, committed with the
 * real git and pushed to the sandbox GitHub over smart HTTP.
 */

const PORTAL = resolve(__dirname, '../../../../../..');
const REFERENCE = [
  '.github/workflows/titanic-service.yml',
  '.github/workflows/reusable-gitleaks.yml',
  '.github/workflows/reusable-checkov.yml',
  '.github/workflows/reusable-sonarcloud.yml',
  '.github/workflows/reusable-trivy.yml',
  '.gitleaks.toml',
  'titanic-service',
  'infra',
];
const GENERATED =
  /(^|\/)(node_modules|dist|coverage|test-results|test-output|\.terraform)(\/|$)/;

function renameIn(directory: string, name: string): void {
  const rename = (text: string) =>
    text
      .replace(/titanic-service/g, name)
      .replace(/\btitanic-(dev|staging|prod)\b/g, `${name}-$1`)
      .replace(
        /(kind: Namespace\nmetadata:\n {2}name: )titanic$/m,
        `$1${name}`,
      );
  for (const entry of readdirSync(directory)) {
    const path = join(directory, entry);
    if (statSync(path).isDirectory()) renameIn(path, name);
    else writeFileSync(path, rename(readFileSync(path, 'utf8')));
    if (entry.includes('titanic-service'))
      renameSync(path, join(directory, entry.replace('titanic-service', name)));
  }
}

export interface ServiceRepository {
  directory: string;
  /** The sha of the commit pushed last. */
  head(): string;
  /** Commits `files` (path → content) on top and pushes `branch` (default main); the commit's sha. */
  push(
    message: string,
    files?: Record<string, string>,
    branch?: string,
  ): Promise<string>;
  remove(): void;
}

export function serviceRepository(
  githubUrl: string,
  owner: string,
  name: string,
  /** Start from the reference service (default), or from `files` alone. */
  start: 'reference' | Record<string, string> = 'reference',
): ServiceRepository {
  const directory = mkdtempSync(join(tmpdir(), `${name}-`));
  if (start !== 'reference') {
    for (const [path, content] of Object.entries(start)) {
      mkdirSync(dirname(join(directory, path)), { recursive: true });
      writeFileSync(join(directory, path), content);
    }
  }
  for (const path of start === 'reference' ? REFERENCE : []) {
    cpSync(join(PORTAL, path), join(directory, path), {
      recursive: true,
      filter: source => !GENERATED.test(source.slice(PORTAL.length + 1)),
    });
  }
  if (start === 'reference') renameIn(directory, name);
  const env = {
    ...process.env,
    GIT_AUTHOR_NAME: 'Alice Andrews',
    GIT_AUTHOR_EMAIL: 'alice@acme-corp.example',
    GIT_COMMITTER_NAME: 'Alice Andrews',
    GIT_COMMITTER_EMAIL: 'alice@acme-corp.example',
    GIT_CONFIG_NOSYSTEM: '1',
  };
  const git = (...args: string[]) =>
    execFileSync('git', args, { cwd: directory, encoding: 'utf8', env }).trim();
  // Pushing talks to the sandbox in this very process: it must not block the event loop.
  const gitAsync = (...args: string[]) =>
    promisify(execFile)('git', args, { cwd: directory, env });
  const remote = new URL(`${githubUrl}/${owner}/${name}.git`);
  remote.username = 'x-access-token';
  remote.password = GITHUB_PORTAL_BOT_TOKEN;
  git('init', '--quiet', '--initial-branch=main');
  git('add', '.');
  git(
    'commit',
    '--quiet',
    '-m',
    start === 'reference'
      ? `Create ${name} from the Titanic golden path`
      : `Create ${name}`,
  );
  return {
    directory,
    head: () => git('rev-parse', 'HEAD'),
    async push(message, files = {}, branch = 'main') {
      for (const [path, content] of Object.entries(files)) {
        mkdirSync(dirname(join(directory, path)), { recursive: true });
        writeFileSync(join(directory, path), content);
      }
      if (Object.keys(files).length > 0) {
        git('add', '.');
        git('commit', '--quiet', '-m', message);
      }
      await gitAsync(
        'push',
        '--quiet',
        remote.toString(),
        `HEAD:refs/heads/${branch}`,
      );
      return git('rev-parse', 'HEAD');
    },
    remove: () => rmSync(directory, { recursive: true, force: true }),
  };
}
