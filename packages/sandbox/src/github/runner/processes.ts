import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';

/*
 * Child processes of real steps (gitleaks, the service's npm scripts): output read line by line
 * as it comes, stopped when the run is cancelled or the sandbox closes.
 */

export interface ProcessResult {
  exitCode: number;
  lines: string[];
}

// eslint-disable-next-line no-control-regex
const ANSI = /\u001b\[[0-9;]*[A-Za-z]/g;

const NICE = ['/usr/bin/nice', '/bin/nice'].find(path => existsSync(path));

/**
 * The command at a lower CPU priority where `nice` exists: the sandbox's real steps (scans, test
 * runs) must not slow down the portal someone is using at the same time.
 */
export function politely(
  command: string,
  args: readonly string[],
): [string, string[]] {
  return NICE ? [NICE, ['-n', '10', command, ...args]] : [command, [...args]];
}

export function runProcess(
  command: string,
  args: readonly string[],
  options: {
    cwd: string;
    env?: NodeJS.ProcessEnv;
    signal: AbortSignal;
    onLine?: (line: string) => void;
  },
): Promise<ProcessResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: { ...process.env, PWD: options.cwd, ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const lines: string[] = [];
    const partial = { stdout: '', stderr: '' };
    const take = (stream: 'stdout' | 'stderr', chunk: Buffer) => {
      const text = partial[stream] + chunk.toString('utf8');
      const parts = text.split(/\r?\n/);
      partial[stream] = parts.pop() ?? '';
      for (const part of parts) {
        const line = part.replace(ANSI, '');
        lines.push(line);
        options.onLine?.(line);
      }
    };
    child.stdout.on('data', chunk => take('stdout', chunk));
    child.stderr.on('data', chunk => take('stderr', chunk));
    const abort = () => child.kill('SIGTERM');
    options.signal.addEventListener('abort', abort, { once: true });
    child.on('error', error => {
      options.signal.removeEventListener('abort', abort);
      reject(error);
    });
    child.on('close', code => {
      options.signal.removeEventListener('abort', abort);
      for (const rest of [partial.stdout, partial.stderr]) {
        if (!rest) continue;
        const line = rest.replace(ANSI, '');
        lines.push(line);
        options.onLine?.(line);
      }
      resolve({ exitCode: code ?? 1, lines });
    });
  });
}
