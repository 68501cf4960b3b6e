import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { planJobs } from './jobGraph';
import {
  WorkflowSyntaxError,
  matchesFilters,
  parseWorkflow,
  triggeredByPush,
} from './workflowSyntax';

/* The portal's own pipeline (the one every created repository carries) as the runner reads it. */

const WORKFLOWS = resolve(__dirname, '../../../../../.github/workflows');

function read(file: string) {
  return parseWorkflow(
    `.github/workflows/${file}`,
    readFileSync(join(WORKFLOWS, file), 'utf8'),
  );
}

describe('workflow files', () => {
  const pipeline = read('titanic-service.yml');

  it('reads the triggers, env and jobs as written', () => {
    expect(pipeline.name).toBe('Titanic service pipeline');
    expect(triggeredByPush(pipeline, 'main')).toBe(true);
    expect(triggeredByPush(pipeline, 'develop')).toBe(true);
    expect(triggeredByPush(pipeline, 'feature/x')).toBe(false);
    expect(pipeline.env.SERVICE_DIR).toBe('titanic-service');
    const production = pipeline.jobs.find(
      job => job.id === 'deploy-production',
    )!;
    expect(production.needs).toEqual(['build', 'deploy-staging']);
    expect(production.environment).toEqual({
      name: 'production',
      url: 'https://titanic.example.com',
    });
    expect(production.if).toBe(
      "github.event_name == 'push' && github.ref == 'refs/heads/main'",
    );
  });

  it('runs the reusable workflows as "<caller> / <job>" after what their callers need', () => {
    const graph = planJobs(pipeline, path =>
      read(path.replace('.github/workflows/', '')),
    );
    expect(graph.jobs.map(job => [job.name, job.needs])).toEqual([
      ['Gitleaks / Secret scan', []],
      ['Checkov / IaC scan', ['gitleaks/scan']],
      ['SonarCloud / Quality gate', ['checkov/scan']],
      ['Tests & lint', ['sonarcloud/quality-gate']],
      ['Build image', ['tests']],
      ['Trivy / Image scan', ['build']],
      ['Deploy dev', ['build', 'trivy/scan']],
      ['Deploy staging', ['build', 'trivy/scan']],
      ['Deploy production', ['build', 'deploy-staging']],
    ]);
    expect(graph.referencedWorkflows).toEqual([
      '.github/workflows/reusable-gitleaks.yml',
      '.github/workflows/reusable-checkov.yml',
      '.github/workflows/reusable-sonarcloud.yml',
      '.github/workflows/reusable-trivy.yml',
    ]);
  });

  it('refuses what GitHub refuses: unknown needs, missing reusable workflows, cycles', () => {
    expect(() =>
      parseWorkflow(
        'w.yml',
        'on: push\njobs:\n  a:\n    needs: b\n    runs-on: x\n    steps: [{run: echo}]\n',
      ),
    ).toThrow(WorkflowSyntaxError);
    expect(() =>
      planJobs(
        parseWorkflow(
          'w.yml',
          'on: push\njobs:\n  a:\n    uses: ./.github/workflows/none.yml\n',
        ),
        () => null,
      ),
    ).toThrow(/was not found in the pushed tree/);
    expect(() =>
      planJobs(
        parseWorkflow(
          'w.yml',
          'on: push\njobs:\n  a:\n    needs: b\n    steps: [{run: x}]\n  b:\n    needs: a\n    steps: [{run: x}]\n',
        ),
        () => null,
      ),
    ).toThrow(/need each other/);
  });

  it("matches branch filters with GitHub's patterns", () => {
    expect(matchesFilters('release/1.2', ['release/*'])).toBe(true);
    expect(matchesFilters('release/1/2', ['release/*'])).toBe(false);
    expect(matchesFilters('release/1/2', ['release/**'])).toBe(true);
    expect(matchesFilters('main', ['*', '!main'])).toBe(false);
  });
});
