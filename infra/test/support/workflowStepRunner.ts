import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runCommand } from './commandRunner.js';
import type { WorkflowJob } from './githubWorkflows.js';
import { repositoryRoot } from './repositoryPaths.js';

/**
 * Runs the `run:` steps of one real workflow job locally, the way the Actions runner would
 * (bash -eo pipefail, GITHUB_OUTPUT / GITHUB_ENV files, step `if:` conditions), with stub commands
 * first on PATH. `uses:` steps are recorded but not run. Only the expressions the deploy jobs use are
 * understood; anything else throws so a test cannot pass by ignoring it.
 */
export interface JobSimulation {
  stubs: Record<string, string>;
  secrets: Record<string, string>;
  needsOutputs: Record<string, Record<string, string>>;
}

export interface SimulatedStep {
  name: string;
  ran: boolean;
  status?: number | null;
  output?: string;
}

export interface JobRunResult {
  steps: SimulatedStep[];
  failed: boolean;
  commandLog: string[];
}

export function simulateJob(job: WorkflowJob, simulation: JobSimulation): JobRunResult {
  const workDirectory = fs.mkdtempSync(path.join(os.tmpdir(), 'titanic-job-'));
  const stubDirectory = path.join(workDirectory, 'bin');
  const runnerTemp = path.join(workDirectory, 'runner-temp');
  const commandLogFile = path.join(workDirectory, 'commands.log');
  fs.mkdirSync(stubDirectory);
  fs.mkdirSync(runnerTemp);
  fs.writeFileSync(commandLogFile, '');
  for (const [command, body] of Object.entries(simulation.stubs)) {
    fs.writeFileSync(
      path.join(stubDirectory, command),
      `#!/usr/bin/env bash\nprintf '%s\\n' "${command} $*" >> "$COMMAND_LOG"\n${body}\n`,
      { mode: 0o755 },
    );
  }

  const stepOutputs: Record<string, Record<string, string>> = {};
  let jobEnvironment: Record<string, string> = {};
  let failed = false;
  const steps: SimulatedStep[] = [];

  const resolve = (text: string): string =>
    text.replace(/\$\{\{\s*([^}]+?)\s*\}\}/g, (_match, expression: string) => {
      let found: RegExpExecArray | null;
      if ((found = /^secrets\.(\w+)$/.exec(expression))) return simulation.secrets[found[1]] ?? '';
      if ((found = /^needs\.([\w-]+)\.outputs\.([\w-]+)$/.exec(expression))) {
        return simulation.needsOutputs[found[1]]?.[found[2]] ?? '';
      }
      if ((found = /^steps\.([\w-]+)\.outputs\.([\w-]+)$/.exec(expression))) return stepOutputs[found[1]]?.[found[2]] ?? '';
      throw new Error(`simulateJob does not understand the expression \${{ ${expression} }}`);
    });

  const conditionHolds = (condition: string | undefined): boolean => {
    if (!condition) return !failed;
    const terms = condition.split('&&').map(term => term.trim());
    let statusChecked = false;
    const values = terms.map(term => {
      if (term === 'always()') return (statusChecked = true);
      if (term === 'failure()') return (statusChecked = true) && failed;
      if (term === 'success()') return (statusChecked = true) && !failed;
      const comparison = /^(steps\.[\w-]+\.outputs\.[\w-]+)\s*(==|!=)\s*'([^']*)'$/.exec(term);
      if (comparison) {
        const actual = resolve(`\${{ ${comparison[1]} }}`);
        return comparison[2] === '==' ? actual === comparison[3] : actual !== comparison[3];
      }
      throw new Error(`simulateJob does not understand the condition term "${term}"`);
    });
    return values.every(Boolean) && (statusChecked || !failed);
  };

  for (const [index, step] of (job.steps ?? []).entries()) {
    const name = step.name ?? `step ${index + 1}`;
    if (!conditionHolds(step.if) || !step.run) {
      steps.push({ name, ran: conditionHolds(step.if) && !!step.uses });
      continue;
    }
    const outputFile = path.join(workDirectory, `output-${index}`);
    const envFile = path.join(workDirectory, `env-${index}`);
    fs.writeFileSync(outputFile, '');
    fs.writeFileSync(envFile, '');
    const environment: NodeJS.ProcessEnv = {
      PATH: `${stubDirectory}:${process.env.PATH}`,
      HOME: workDirectory,
      COMMAND_LOG: commandLogFile,
      RUNNER_TEMP: runnerTemp,
      GITHUB_OUTPUT: outputFile,
      GITHUB_ENV: envFile,
      GITHUB_SHA: '0123456789abcdef0123456789abcdef01234567',
      GITHUB_ACTOR: 'octo-viewer',
      GITHUB_RUN_ID: '4242',
      ...Object.fromEntries(Object.entries(job.env ?? {}).map(([key, value]) => [key, resolve(String(value))])),
      ...jobEnvironment,
      ...Object.fromEntries(Object.entries(step.env ?? {}).map(([key, value]) => [key, resolve(String(value))])),
    };
    const cwd = path.join(repositoryRoot, step['working-directory'] ?? '.');
    const scriptFile = path.join(workDirectory, `step-${index}.sh`);
    fs.writeFileSync(scriptFile, resolve(step.run));
    const result = runCommand('bash', ['--noprofile', '--norc', '-eo', 'pipefail', scriptFile], { cwd, env: environment });
    steps.push({ name, ran: true, status: result.status, output: result.stdout + result.stderr });
    if (result.status !== 0) failed = true;
    const outputs = fs.readFileSync(outputFile, 'utf8').split('\n').filter(Boolean);
    if (step.id) stepOutputs[step.id] = Object.fromEntries(outputs.map(line => [line.split('=')[0], line.slice(line.indexOf('=') + 1)]));
    for (const line of fs.readFileSync(envFile, 'utf8').split('\n').filter(Boolean)) {
      jobEnvironment = { ...jobEnvironment, [line.split('=')[0]]: line.slice(line.indexOf('=') + 1) };
    }
  }
  const commandLog = fs.readFileSync(commandLogFile, 'utf8').split('\n').filter(Boolean);
  fs.rmSync(workDirectory, { recursive: true, force: true });
  return { steps, failed, commandLog };
}
