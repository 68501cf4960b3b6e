import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  environmentNameOf,
  loadWorkflow,
  needsOf,
  readWorkflowText,
  transitiveNeeds,
  type WorkflowJob,
} from '../support/githubWorkflows.js';
import { environments, repositoryRoot, type Environment } from '../support/repositoryPaths.js';

const pipeline = loadWorkflow('titanic-service.yml');
const job = (id: string): WorkflowJob => {
  const found = pipeline.jobs[id];
  if (!found) throw new Error(`no job ${id} in titanic-service.yml`);
  return found;
};

/** The name the GitHub jobs API reports: "Caller / Callee" for a reusable-workflow job. */
function reportedNames(jobId: string): string[] {
  const caller = job(jobId);
  if (!caller.uses) return [caller.name ?? jobId];
  const callee = loadWorkflow(path.basename(caller.uses));
  return Object.entries(callee.jobs).map(([id, calleeJob]) => `${caller.name} / ${calleeJob.name ?? id}`);
}

/** The deploy job of each environment this repository delivers to, in promotion order. */
const deployJobOf: Record<Environment, string> = { dev: 'deploy-dev', staging: 'deploy-staging', prod: 'deploy-production' };
const deployNameOf: Record<Environment, string> = { dev: 'Deploy dev', staging: 'Deploy staging', prod: 'Deploy production' };
const deploys = environments.map(environment => deployJobOf[environment]);

const gates = [
  ['gitleaks', 'Gitleaks / Secret scan'],
  ['checkov', 'Checkov / IaC scan'],
  ['sonarcloud', 'SonarCloud / Quality gate'],
  ['tests', 'Tests & lint'],
  ['build', 'Build image'],
  ['trivy', 'Trivy / Image scan'],
] as const;

describe('pipeline gates', () => {
  it('is the "Titanic service pipeline" and runs on develop, main, version tags and pull requests', () => {
    expect(pipeline.name).toBe('Titanic service pipeline');
    expect(pipeline.on.push.branches).toEqual(['develop', 'main']);
    expect(pipeline.on.push.tags).toEqual(['v*.*.*']);
    expect(pipeline.on.pull_request.branches).toEqual(['develop', 'main']);
  });

  it.each(gates)('names job %s "%s" as the GitHub jobs API reports it', (jobId, reported) => {
    expect(reportedNames(jobId)).toEqual([reported]);
  });

  it('names the deploy jobs Deploy dev, Deploy staging and Deploy production', () => {
    expect(deploys.flatMap(reportedNames)).toEqual(environments.map(environment => deployNameOf[environment]));
  });

  it('chains the gates in order through needs: each gate needs the one before it', () => {
    expect(needsOf(job('gitleaks'))).toEqual([]);
    for (let index = 1; index < gates.length; index++) {
      expect(needsOf(job(gates[index][0])), gates[index][0]).toContain(gates[index - 1][0]);
    }
  });

  it('lets no gate start before every earlier gate has passed, and no deploy before Trivy', () => {
    for (let index = 0; index < gates.length; index++) {
      const before = transitiveNeeds(pipeline, gates[index][0]);
      expect([...before].sort(), gates[index][0]).toEqual(gates.slice(0, index).map(([id]) => id).sort());
    }
    for (const deploy of deploys) {
      for (const [gate] of gates) expect(transitiveNeeds(pipeline, deploy), `${deploy} after ${gate}`).toContain(gate);
    }
    if (environments.includes('staging')) expect(transitiveNeeds(pipeline, 'deploy-production')).toContain('deploy-staging');
  });

  it('has no job outside the gates and one deploy per environment', () => {
    expect(Object.keys(pipeline.jobs).sort()).toEqual([...gates.map(([id]) => id), ...deploys].sort());
  });

  it('never cancels a running pipeline (a half-finished deploy would be left behind)', () => {
    expect((pipeline as any).concurrency['cancel-in-progress']).toBe(false);
  });
});

describe('branch rules and environments', () => {
  it.runIf(environments.includes('dev'))('deploys develop to dev automatically', () => {
    const deploy = job('deploy-dev');
    expect(deploy.if).toBe("github.event_name == 'push' && github.ref == 'refs/heads/develop'");
    expect(environmentNameOf(deploy)).toBe('dev');
    expect(deploy.env?.NAMESPACE).toBe('titanic-dev');
  });

  it.runIf(environments.includes('staging'))('deploys main to staging automatically', () => {
    const deploy = job('deploy-staging');
    expect(deploy.if).toBe("github.event_name == 'push' && github.ref == 'refs/heads/main'");
    expect(environmentNameOf(deploy)).toBe('staging');
    expect(deploy.env?.NAMESPACE).toBe('titanic-staging');
  });

  it('deploys main to production only after staging (after Trivy without staging), through the production environment (required reviewers)', () => {
    const deploy = job('deploy-production');
    expect(deploy.if).toBe("github.event_name == 'push' && github.ref == 'refs/heads/main'");
    expect(needsOf(deploy)).toContain(environments.includes('staging') ? 'deploy-staging' : 'trivy');
    expect(environmentNameOf(deploy)).toBe('production');
    expect(deploy.env?.NAMESPACE).toBe('titanic-prod');
  });

  it('never deploys from pull requests or tags', () => {
    for (const id of deploys) {
      expect(job(id).if).toContain("github.event_name == 'push'");
      expect(job(id).if).toMatch(/github\.ref == 'refs\/heads\/(develop|main)'/);
    }
  });

  it.each(deploys)(
    '%s reads KUBECONFIG from its own environment’s secret and applies its own overlay',
    id => {
      const deploy = job(id);
      const environment = deploy.env!.ENVIRONMENT;
      const writeConfig = deploy.steps!.find(step => step.name === 'Write kubeconfig')!;
      expect(writeConfig.env?.KUBECONFIG_CONTENT).toBe('${{ secrets.KUBECONFIG }}');
      expect(writeConfig.run).toContain('KUBECONFIG=$RUNNER_TEMP/kubeconfig');
      const apply = deploy.steps!.find(step => step.run?.includes('kubectl apply'))!;
      expect(apply['working-directory']).toBe(`infra/k8s/overlays/${environment}`);
      expect(typeof deploy.environment === 'object' && deploy.environment.url).toMatch(/^https:\/\//);
      expect((deploy as any).concurrency).toEqual({ group: `deploy-${environment}`, 'cancel-in-progress': false });
    },
  );

  it.each(deploys)('%s notifies Slack whatever the outcome', id => {
    const notify = job(id).steps!.find(step => step.uses?.startsWith('slackapi/slack-github-action@'))!;
    expect(notify.if).toBe('always()');
    expect(notify.with?.webhook).toBe('${{ secrets.SLACK_WEBHOOK_URL }}');
  });
});

describe('image build', () => {
  const build = job('build');
  const step = (uses: string) => build.steps!.filter(candidate => candidate.uses?.startsWith(uses));

  it('tags GHCR images with docker/metadata-action: branch, semver and sha', () => {
    const [meta] = step('docker/metadata-action@');
    expect(meta.with?.images).toBe('${{ env.IMAGE_NAME }}');
    expect(pipeline.env?.IMAGE_NAME).toBe('ghcr.io/acme-corp/titanic-service');
    const tags = String(meta.with?.tags);
    expect(tags).toContain('type=ref,event=branch');
    expect(tags).toContain('type=semver,pattern={{version}}');
    expect(tags).toContain('type=sha,prefix=sha-');
  });

  it('pushes to GHCR only outside pull requests, with the job’s own token', () => {
    const [login] = step('docker/login-action@');
    expect(login.with).toEqual({ registry: 'ghcr.io', username: '${{ github.actor }}', password: '${{ secrets.GITHUB_TOKEN }}' });
    const pushes = step('docker/build-push-action@').filter(candidate => candidate.with?.push === true);
    expect(pushes).toHaveLength(1);
    expect(pushes[0].if).toBe("github.event_name != 'pull_request'");
    expect(build.permissions).toEqual({ contents: 'read', packages: 'write' });
  });

  it('hands the exact image to Trivy and deploys by the immutable sha tag', () => {
    expect(job('trivy').with?.['image-artifact']).toBe('titanic-service-image');
    const upload = build.steps!.find(candidate => candidate.uses?.startsWith('actions/upload-artifact@'))!;
    expect(upload.with?.name).toBe('titanic-service-image');
    expect(build.outputs?.['image-ref']).toBe('${{ steps.reference.outputs.image-ref }}');
    expect(build.steps!.find(candidate => candidate.id === 'reference')!.run).toContain(":sha-'");
  });
});

describe('tests & lint gate', () => {
  const tests = job('tests');

  it('runs lint (eslint + prettier), type check and the tests with coverage in the service directory', () => {
    const runs = tests.steps!.filter(step => step.run).map(step => [step['working-directory'], step.run!.trim()]);
    expect(runs).toEqual(
      expect.arrayContaining([
        ['${{ env.SERVICE_DIR }}', 'npm run lint'],
        ['${{ env.SERVICE_DIR }}', 'npm run typecheck'],
        ['${{ env.SERVICE_DIR }}', 'npm test'],
      ]),
    );
  });

  it('fails below 70% coverage: the service’s vitest thresholds are the gate', context => {
    const config = path.join(repositoryRoot, pipeline.env!.SERVICE_DIR, 'vitest.config.ts');
    if (!fs.existsSync(config)) {
      console.warn(`SKIPPED coverage threshold check: ${config} not found`);
      context.skip();
    }
    const text = fs.readFileSync(config, 'utf8');
    const thresholds = /thresholds:\s*\{([^}]*)\}/.exec(text)?.[1] ?? '';
    for (const metric of ['lines', 'functions', 'branches', 'statements']) {
      expect(Number(new RegExp(`${metric}:\\s*(\\d+)`).exec(thresholds)?.[1]), metric).toBeGreaterThanOrEqual(70);
    }
    const packageJson = JSON.parse(fs.readFileSync(path.join(repositoryRoot, pipeline.env!.SERVICE_DIR, 'package.json'), 'utf8'));
    expect(packageJson.scripts.test).toContain('--coverage');
  });

  it('also runs these infrastructure checks', () => {
    const infra = tests.steps!.find(step => step['working-directory'] === 'infra')!;
    expect(infra.run).toContain('npm ci');
    expect(infra.run).toContain('npm test');
  });
});

describe('service directory', () => {
  it('is one setting, env.SERVICE_DIR, used by every step that touches the service', () => {
    const serviceDirectory = pipeline.env!.SERVICE_DIR;
    // titanic-service/ in the platform monorepo, "." in a repository created from the template.
    expect(fs.existsSync(path.join(repositoryRoot, serviceDirectory, 'package.json'))).toBe(true);
    // Reusable-workflow inputs cannot read env, so the one literal copy must equal it.
    expect(job('sonarcloud').with?.['project-base-dir']).toBe(serviceDirectory);
    const text = readWorkflowText('titanic-service.yml');
    const pathSettings = /^\s*(-\s*)?(SERVICE_DIR|working-directory|context|project-base-dir|path|cache-dependency-path):/;
    const literalUses = text
      .split('\n')
      .filter(line => line.includes(`${serviceDirectory}/`) || (pathSettings.test(line) && line.trim().endsWith(`: ${serviceDirectory}`)));
    expect(literalUses.map(line => line.trim())).toEqual([`SERVICE_DIR: ${serviceDirectory}`, `project-base-dir: ${serviceDirectory}`]);
  });
});
