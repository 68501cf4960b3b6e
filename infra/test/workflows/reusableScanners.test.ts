import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadWorkflow, workflowFiles, type Workflow } from '../support/githubWorkflows.js';

const scanners = [
  ['reusable-gitleaks.yml', 'gitleaks', 'Secret scan'],
  ['reusable-checkov.yml', 'checkov', 'IaC scan'],
  ['reusable-sonarcloud.yml', 'sonarcloud', 'Quality gate'],
  ['reusable-trivy.yml', 'trivy', 'Image scan'],
] as const;

const pipeline = loadWorkflow('titanic-service.yml');

describe.each(scanners)('%s', (fileName, tool, jobName) => {
  const workflow: Workflow = loadWorkflow(fileName);
  const [scanJob] = Object.values(workflow.jobs);

  it('is callable only as a reusable workflow, with one job', () => {
    expect(Object.keys(workflow.on)).toEqual(['workflow_call']);
    expect(Object.keys(workflow.jobs)).toHaveLength(1);
    expect(scanJob.name).toBe(jobName);
  });

  it('may write code-scanning results and nothing else', () => {
    expect(workflow.permissions).toEqual({ contents: 'read' });
    expect(scanJob.permissions?.['security-events']).toBe('write');
    expect(scanJob.permissions?.contents).toBe('read');
    expect(Object.values(scanJob.permissions ?? {}).filter(level => level === 'write')).toEqual(['write']);
  });

  it(`uploads its SARIF to code scanning and as the artifact ${tool}-sarif, even when the scan fails`, () => {
    const steps = scanJob.steps ?? [];
    const toCodeScanning = steps.find(step => step.uses?.startsWith('github/codeql-action/upload-sarif@'));
    const asArtifact = steps.find(step => step.uses?.startsWith('actions/upload-artifact@'));
    expect(toCodeScanning?.with?.sarif_file).toBe(`${tool}.sarif`);
    expect(toCodeScanning?.with?.category).toBe(tool);
    expect(toCodeScanning?.if).toMatch(/^always\(\)/);
    expect(asArtifact?.with).toMatchObject({ name: `${tool}-sarif`, path: `${tool}.sarif` });
    expect(asArtifact?.if).toMatch(/^always\(\)/);
  });

  it('is called by the pipeline with exactly the inputs and secrets it declares', () => {
    const [callerId, caller] = Object.entries(pipeline.jobs).find(([, job]) => job.uses && path.basename(job.uses) === fileName)!;
    expect(caller.uses).toBe(`./.github/workflows/${fileName}`);
    const declaredInputs = workflow.on.workflow_call.inputs ?? {};
    for (const input of Object.keys(caller.with ?? {})) expect(declaredInputs, `${callerId} passes ${input}`).toHaveProperty(input);
    for (const [input, declaration] of Object.entries<any>(declaredInputs)) {
      if (declaration.required) expect(caller.with, `${callerId} must pass ${input}`).toHaveProperty(input);
    }
    const declaredSecrets = workflow.on.workflow_call.secrets ?? {};
    expect(Object.keys(caller.secrets ?? {}).sort()).toEqual(Object.keys(declaredSecrets).sort());
    // A reusable workflow gets only the permissions its caller grants.
    expect(caller.permissions?.['security-events']).toBe('write');
  });
});

describe('scanner policies', () => {
  it('gitleaks scans the whole git history with the repository allowlist and fails on any leak', () => {
    const workflow = loadWorkflow('reusable-gitleaks.yml');
    const steps = Object.values(workflow.jobs)[0].steps!;
    expect(steps[0].with?.['fetch-depth']).toBe(0);
    const scan = steps.find(step => step.name === 'Scan for secrets')!;
    expect(scan.run).toMatch(/gitleaks" git \./);
    expect(scan.run).toContain('--exit-code 1');
    expect(workflow.on.workflow_call.inputs['config-path'].default).toBe('.gitleaks.toml');
    expect(steps.find(step => step.name?.startsWith('Install gitleaks'))!.run).toContain('sha256sum --check');
  });

  it('checkov scans infra/ with its justified skips and fails on findings', () => {
    const workflow = loadWorkflow('reusable-checkov.yml');
    const run = Object.values(workflow.jobs)[0].steps!.find(step => step.uses?.startsWith('bridgecrewio/checkov-action@'))!;
    expect(run.with?.soft_fail).toBe(false);
    expect(workflow.on.workflow_call.inputs.directory.default).toBe('infra');
    expect(workflow.on.workflow_call.inputs['config-file'].default).toBe('infra/.checkov.yaml');
  });

  it('SonarCloud waits for the quality gate and fails the job when it is not passed', () => {
    const workflow = loadWorkflow('reusable-sonarcloud.yml');
    const analyse = Object.values(workflow.jobs)[0].steps!.find(step => step.uses?.startsWith('SonarSource/sonarqube-scan-action@'))!;
    expect(analyse.with?.args).toContain('-Dsonar.qualitygate.wait=true');
    expect(pipeline.jobs.sonarcloud.with?.['project-key']).toBe('acme-corp_titanic-service');
  });

  it('Trivy fails the pipeline on CRITICAL and HIGH vulnerabilities', () => {
    const workflow = loadWorkflow('reusable-trivy.yml');
    expect(workflow.on.workflow_call.inputs.severity.default).toBe('CRITICAL,HIGH');
    expect(pipeline.jobs.trivy.with).not.toHaveProperty('severity');
    const gate = Object.values(workflow.jobs)[0].steps!.at(-1)!;
    expect(gate.uses).toMatch(/^aquasecurity\/trivy-action@/);
    expect(gate.with).toMatchObject({ severity: '${{ inputs.severity }}', 'exit-code': '1', format: 'table' });
    expect(gate.if).toBeUndefined();
  });
});

describe('portal CI', () => {
  const hasPortalCi = workflowFiles().includes('ci.yml');

  it('runs .ci/run (scripts/test) on pushes to main and on pull requests, on Debian 12', context => {
    if (!hasPortalCi) {
      console.warn('SKIPPED portal CI check: no .github/workflows/ci.yml in this repository');
      context.skip();
    }
    const ci = loadWorkflow('ci.yml');
    expect(ci.on.push.branches).toEqual(['main']);
    expect(ci.on).toHaveProperty('pull_request');
    const [testJob] = Object.values(ci.jobs);
    expect(testJob.container).toEqual({ image: 'debian:12' });
    expect(testJob.steps!.map(step => step.run?.trim()).filter(Boolean)).toContain('bash .ci/run');
  });
});
