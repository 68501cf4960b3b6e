import { describe, expect, it } from 'vitest';
import { environments } from '../support/repositoryPaths.js';
import { loadWorkflow } from '../support/githubWorkflows.js';
import { simulateJob, type JobSimulation } from '../support/workflowStepRunner.js';

const pipeline = loadWorkflow('titanic-service.yml');
const imageRef = 'ghcr.io/acme-corp/titanic-service:sha-abc1234';

function simulation(options: { healthy: boolean; runningRevision?: string }): JobSimulation {
  return {
    secrets: { KUBECONFIG: Buffer.from('apiVersion: v1\nkind: Config\n').toString('base64') },
    needsOutputs: { build: { 'image-ref': imageRef } },
    stubs: {
      kubectl: options.runningRevision
        ? `if [ "$3" = get ]; then printf '%s' '${options.runningRevision}'; fi; exit 0`
        : `if [ "$3" = get ]; then echo 'Error from server (NotFound)' >&2; exit 1; fi; exit 0`,
      kustomize: 'exit 0',
      curl: options.healthy ? 'echo ok; exit 0' : 'echo "curl: (22) The requested URL returned error: 503" >&2; exit 22',
      sleep: 'exit 0',
    },
  };
}

const jobs = { dev: 'deploy-dev', staging: 'deploy-staging', prod: 'deploy-production' } as const;

describe.each(environments)('Deploy %s (steps executed with stub kubectl, kustomize and curl)', environment => {
  const deploy = pipeline.jobs[jobs[environment]];

  it('records the running revision, applies the sha-tagged image and passes the health check', () => {
    const run = simulateJob(deploy, simulation({ healthy: true, runningRevision: '7' }));
    expect(run.failed).toBe(false);
    expect(run.commandLog).toContain(
      `kubectl --namespace titanic-${environment} get deployment titanic-service --output jsonpath={.metadata.annotations.deployment\\.kubernetes\\.io/revision}`,
    );
    expect(run.commandLog).toContain(`kustomize edit set image ghcr.io/acme-corp/titanic-service=${imageRef}`);
    expect(run.commandLog).toContain('kubectl apply --kustomize . --server-side --field-manager=titanic-pipeline');
    expect(run.commandLog.some(line => line.startsWith('curl') && line.endsWith('/ready'))).toBe(true);
    expect(run.commandLog.filter(line => line.includes('rollout undo'))).toEqual([]);
    expect(run.steps.find(step => step.name === 'Roll back to the recorded revision')!.ran).toBe(false);
  });

  it('undoes the rollout to the recorded revision when the health check fails', () => {
    const run = simulateJob(deploy, simulation({ healthy: false, runningRevision: '7' }));
    expect(run.failed).toBe(true);
    expect(run.steps.find(step => step.name === 'Health check')!.status).toBe(1);
    expect(run.commandLog).toContain(`kubectl --namespace titanic-${environment} rollout undo deployment titanic-service --to-revision=7`);
    const undoIndex = run.commandLog.findIndex(line => line.includes('rollout undo'));
    expect(run.commandLog.slice(undoIndex)).toContain(`kubectl --namespace titanic-${environment} rollout status deployment titanic-service --timeout=10m`);
    // The Slack step still runs (it is a `uses:` step, so it is recorded, not executed).
    expect(run.steps.find(step => step.name === 'Notify Slack')!.ran).toBe(true);
  });

  it('has nothing to undo on the very first deploy, and still fails the job', () => {
    const run = simulateJob(deploy, simulation({ healthy: false }));
    expect(run.failed).toBe(true);
    expect(run.commandLog.filter(line => line.includes('rollout undo'))).toEqual([]);
  });

  it('undoes the rollout to the recorded revision when the rollout itself does not complete', () => {
    const stuckRollout = simulation({ healthy: true, runningRevision: '12' });
    // The first `rollout status` times out (e.g. new pods never get ready); after the undo it succeeds.
    stuckRollout.stubs.kubectl = [
      `if [ "$3" = get ]; then printf '%s' 12; exit 0; fi`,
      `if [ "$3 $4" = "rollout undo" ]; then touch "$HOME/undone"; fi`,
      `if [ "$3 $4" = "rollout status" ] && [ ! -f "$HOME/undone" ]; then echo 'error: timed out waiting for the condition' >&2; exit 1; fi`,
      'exit 0',
    ].join('\n');
    const run = simulateJob(deploy, stuckRollout);
    expect(run.failed).toBe(true);
    expect(run.steps.find(step => step.name === 'Health check')!.ran).toBe(false);
    expect(run.commandLog).toContain(`kubectl --namespace titanic-${environment} rollout undo deployment titanic-service --to-revision=12`);
  });
});
