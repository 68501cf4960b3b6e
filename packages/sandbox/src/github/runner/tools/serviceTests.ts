import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { CoverageSummary } from '../../../world/records';
import { politely, runProcess } from '../processes';
import { StepInput, StepOutcome } from '../stepTypes';
import {
  SourceFacts,
  coverageThresholds,
  estimatedCoverage,
  listFiles,
  sourceFacts,
} from './treeFacts';

/*
 * The Tests gate: the service's npm scripts (`npm ci`, `npm run lint`, `npm run typecheck`,
 * `npm test`). With the sandbox's `realTests` option the steps that run in the service's
 * directory run for real; otherwise their result is derived from the pushed tree — the test
 * files and tests it declares, a coverage estimate against the thresholds its vitest or jest
 * configuration enforces — and the log says it is simulated.
 */

/** A `run:` script made only of npm invocations (`npm ci`, `npm test`, `npm run x`, joined by && or lines). */
export function isNpmScript(script: string | undefined): boolean {
  if (!script) return false;
  const commands = script
    .split(/\n|&&/)
    .map(command => command.trim())
    .filter(Boolean);
  return (
    commands.length > 0 && commands.every(command => /^npm\s+\S/.test(command))
  );
}

export async function runNpmForReal(input: StepInput): Promise<StepOutcome> {
  input.emit(
    `[sandbox] REAL: runs in ${
      input.workingDirectory.slice(input.workspace.length + 1) || '.'
    } of the checkout (the sandbox's realTests option).`,
  );
  const result = await runProcess(
    ...politely('bash', [
      '--noprofile',
      '--norc',
      '-eo',
      'pipefail',
      '-c',
      input.script ?? '',
    ]),
    {
      cwd: input.workingDirectory,
      // The registry may be out of reach: npm uses its cache first.
      env: { ...input.env, CI: 'true', npm_config_prefer_offline: 'true' },
      signal: input.signal,
      onLine: line => input.emit(line),
    },
  );
  return {
    lines: [],
    conclusion: result.exitCode === 0 ? 'success' : 'failure',
    exitCode: result.exitCode,
  };
}

function packageJson(directory: string): {
  name?: string;
  version?: string;
  scripts?: Record<string, string>;
} {
  const path = join(directory, 'package.json');
  return existsSync(path) ? JSON.parse(readFileSync(path, 'utf8')) : {};
}

function lockedPackages(directory: string): number {
  const path = join(directory, 'package-lock.json');
  if (!existsSync(path)) return 0;
  const lock = JSON.parse(readFileSync(path, 'utf8'));
  return Object.keys(lock.packages ?? {}).filter(key => key !== '').length;
}

function percent(value: number): string {
  return (Math.round(value * 100) / 100).toString().padStart(7);
}

function coverageTable(
  facts: SourceFacts,
  coverage: CoverageSummary,
): string[] {
  const separator = `${'-'.repeat(
    22,
  )}|---------|----------|---------|---------|-------------------`;
  const row = (name: string) =>
    `${name.padEnd(22)}| ${percent(coverage.statements)} | ${percent(
      coverage.branches,
    ).padStart(8)} | ${percent(coverage.functions)} | ${percent(
      coverage.lines,
    )} |                   `;
  const directories = [
    ...new Set(facts.sourceFiles.map(file => dirname(file))),
  ];
  return [
    ' % Coverage report from v8',
    separator,
    'File                  | % Stmts | % Branch | % Funcs | % Lines | Uncovered Line #s ',
    separator,
    row('All files'),
    ...directories.map(directory => row(` ${directory}`)),
    separator,
  ];
}

/** Where a GitHub-hosted runner would have the directory: /home/runner/work/<repo>/<repo>/<dir>. */
function runnerPath(input: StepInput): string {
  const name = input.facts.repository.split('/')[1];
  const inner = input.workingDirectory.slice(input.workspace.length);
  return `/home/runner/work/${name}/${name}${inner}`;
}

/** `npm test` run by vitest, simulated: the tree's own test files and tests, estimated coverage. */
function simulatedTestRun(input: StepInput, name: string): StepOutcome {
  const facts = sourceFacts(input.workingDirectory);
  const coverage = estimatedCoverage(facts);
  const thresholds = coverageThresholds(input.workingDirectory);
  const lines = [
    `[sandbox] SIMULATED: the tests did not run (the sandbox's realTests option is off). ${facts.testFiles.length} test files with ${facts.tests} tests over ${facts.sourceLines} lines of source; coverage is estimated from the test-to-source ratio.`,
    '',
    `> ${name} test`,
    '> vitest run --coverage',
    '',
    ` RUN  v3.2.4 ${runnerPath(input)}`,
    '      Coverage enabled with v8',
    '',
  ];
  for (const file of facts.testFiles) {
    const text = readFileSync(join(input.workingDirectory, file), 'utf8');
    const count = (text.match(/\b(it|test)(\.each\([^)]*\))?\(/g) ?? []).length;
    if (count > 0)
      lines.push(` ✓ ${file} (${count} tests) ${120 + count * 31}ms`);
  }
  const files = facts.testFiles.length;
  lines.push(
    '',
    ` Test Files  ${files} passed (${files})`,
    `      Tests  ${facts.tests} passed (${facts.tests})`,
    '',
  );
  // Tests of something outside the directory (e.g. infrastructure checks) measure no coverage.
  const measured = facts.sourceLines > 0;
  if (measured) lines.push(...coverageTable(facts, coverage));
  const misses = (
    ['lines', 'functions', 'statements', 'branches'] as const
  ).filter(
    metric =>
      measured &&
      thresholds[metric] !== undefined &&
      coverage[metric] < thresholds[metric]!,
  );
  for (const metric of misses) {
    lines.push(
      `ERROR: Coverage for ${metric} (${coverage[metric]}%) does not meet global threshold (${thresholds[metric]}%)`,
    );
  }
  const summary = join(
    input.workingDirectory,
    'coverage',
    'coverage-summary.json',
  );
  mkdirSync(dirname(summary), { recursive: true });
  const total = Object.fromEntries(
    Object.entries(coverage).map(([metric, pct]) => [metric, { pct }]),
  );
  writeFileSync(summary, JSON.stringify({ total }, null, 2));
  const failed = facts.tests === 0 || misses.length > 0;
  if (facts.tests === 0) lines.push('No test files found, exiting with code 1');
  return {
    lines,
    conclusion: failed ? 'failure' : 'success',
    exitCode: 1,
    simulatedSeconds: 4 + facts.testFiles.length * 0.3 + facts.tests * 0.05,
  };
}

/** The npm commands of a step, simulated from the tree. */
export function simulatedNpm(input: StepInput): StepOutcome {
  const pkg = packageJson(input.workingDirectory);
  const name = `${pkg.name ?? 'package'}@${pkg.version ?? '0.0.0'}`;
  const lines: string[] = [];
  let seconds = 0;
  for (const command of (input.script ?? '')
    .split(/\n|&&/)
    .map(c => c.trim())
    .filter(Boolean)) {
    const [, verb, script] = /^npm\s+(\S+)(?:\s+(\S+))?/.exec(command) ?? [];
    if (verb === 'ci' || verb === 'install') {
      const count = lockedPackages(input.workingDirectory);
      lines.push(
        "[sandbox] SIMULATED: dependencies were not installed; the count is the lock file's.",
        '',
        `added ${count} packages, and audited ${
          count + 1
        } packages in ${Math.max(2, Math.round(count / 40))}s`,
        '',
        'found 0 vulnerabilities',
      );
      seconds += 4 + count / 100;
    } else if (verb === 'test' || (verb === 'run' && script === 'test')) {
      const outcome = simulatedTestRun(input, name);
      return {
        ...outcome,
        lines: [...lines, ...outcome.lines],
        simulatedSeconds: seconds + outcome.simulatedSeconds!,
      };
    } else {
      const target = verb === 'run' ? script : verb;
      const definition = pkg.scripts?.[target ?? ''];
      if (!definition) {
        lines.push(`npm error Missing script: "${target}"`);
        return {
          lines,
          conclusion: 'failure',
          exitCode: 1,
          simulatedSeconds: seconds + 1,
        };
      }
      const files = listFiles(input.workingDirectory).length;
      lines.push(
        `[sandbox] SIMULATED: \`${definition}\` did not run over the ${files} files; it is reported as passing.`,
        '',
        `> ${name} ${target}`,
        `> ${definition}`,
        '',
      );
      seconds += 2 + files / 50;
    }
  }
  return { lines, conclusion: 'success', simulatedSeconds: seconds };
}
