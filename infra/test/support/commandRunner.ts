import { spawnSync } from 'node:child_process';

export interface CommandResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a command to completion and returns its exit status and output; never throws on failure. */
export function runCommand(
  command: string,
  args: readonly string[],
  options: { cwd?: string; env?: NodeJS.ProcessEnv; input?: string } = {},
): CommandResult {
  const result = spawnSync(command, args, {
    cwd: options.cwd,
    env: options.env ?? process.env,
    input: options.input,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  if (result.error) {
    return { status: null, stdout: '', stderr: String(result.error) };
  }
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** Whether an executable can be found on PATH. */
export function isOnPath(command: string): boolean {
  return runCommand('sh', ['-c', `command -v ${command}`]).status === 0;
}
