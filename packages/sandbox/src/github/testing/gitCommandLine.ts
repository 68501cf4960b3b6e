import { GitCommandError, runGit } from '../hosting/bareRepository';

/*
 * The git CLI as a developer's machine runs it against the sandbox: Alice's identity, no global
 * or system configuration, never a prompt for credentials.
 */

const aliceEnv = {
  GIT_CONFIG_GLOBAL: '/dev/null',
  GIT_AUTHOR_NAME: 'Alice',
  GIT_AUTHOR_EMAIL: 'alice@acme-corp.example',
  GIT_COMMITTER_NAME: 'Alice',
  GIT_COMMITTER_EMAIL: 'alice@acme-corp.example',
};

/** Runs `git <args>` in `cwd` as Alice and resolves with its trimmed stdout; `env` adds to hers. */
export async function gitCli(
  cwd: string,
  args: readonly string[],
  env: NodeJS.ProcessEnv = {},
  input?: string,
): Promise<string> {
  const stdout = await runGit(args, {
    cwd,
    env: { ...aliceEnv, ...env },
    input,
  });
  return stdout.toString('utf8').trim();
}

/** The stderr of a git command that must fail; throws when it succeeds. */
export async function gitCliFailure(
  cwd: string,
  args: readonly string[],
): Promise<string> {
  try {
    await gitCli(cwd, args);
  } catch (error) {
    if (error instanceof GitCommandError) return error.stderr;
    throw error;
  }
  throw new Error(`git ${args.join(' ')} succeeded`);
}

/** A clone or push URL carrying `token` the way GitHub's token-over-HTTPS instructions do. */
export function authenticatedUrl(cloneUrl: string, token: string): string {
  const url = new URL(cloneUrl);
  url.username = 'x-access-token';
  url.password = token;
  return url.toString();
}
