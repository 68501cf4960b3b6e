import { GATES } from './pipeline';
import { createSeedWorld } from './seedWorld';
import {
  DEPLOYED_AT,
  ENVIRONMENT_HISTORY,
  GITHUB_ENVIRONMENT,
  SandboxEnvironment,
  liveTag,
} from './releases';
import { SandboxWorld } from './sandboxWorld';
import { GUEST_GITHUB_LOGIN } from './seedRepository';

describe('seeded world', () => {
  const state = createSeedWorld();
  const jobLog = (gate: string, title?: string) => {
    const run = state.runs.find(
      r => r.failingGate === gate && (!title || r.displayTitle === title),
    )!;
    return state.jobs.find(j => j.runId === run.id && j.gate === gate)!.log;
  };

  it('is deterministic', () => {
    expect(JSON.stringify(createSeedWorld())).toBe(JSON.stringify(state));
  });

  it('has about twenty runs of the seven gates with the contract job names', () => {
    expect(state.runs.length).toBeGreaterThanOrEqual(20);
    expect(GATES.map(g => g.jobName)).toEqual([
      'Gitleaks / Secret scan',
      'Checkov / IaC scan',
      'SonarCloud / Quality gate',
      'Tests & lint',
      'Build image',
      'Trivy / Image scan',
      'Deploy dev',
      'Deploy staging',
      'Deploy production',
    ]);
  });

  it('fails runs at different gates with the real tools’ output', () => {
    expect(jobLog('gitleaks')).toMatch(/WRN leaks found: 2/);
    expect(jobLog('tests', 'Draft survival statistics endpoint')).toMatch(
      /ERROR: Coverage for lines \(64\.28%\) does not meet global threshold \(70%\)/,
    );
    expect(jobLog('trivy')).toMatch(
      /Total: \d+ \(CRITICAL: [1-9]\d*, HIGH: \d+\)/,
    );
    expect(jobLog('trivy')).toMatch(/CVE-2025-7783/);
    expect(jobLog('checkov')).toMatch(/Failed checks: 3/);
    expect(jobLog('sonarcloud')).toMatch(/QUALITY GATE STATUS: FAILED/);
    expect(jobLog('sonarcloud')).toMatch(/Coverage on New Code is 41\.0%/);
  });

  it('deployed to each environment exactly the tag live in releases.ts', () => {
    for (const environment of Object.keys(
      ENVIRONMENT_HISTORY,
    ) as SandboxEnvironment[]) {
      const successful = state.deployments
        .filter(
          d =>
            d.environment === GITHUB_ENVIRONMENT[environment] &&
            d.statuses.some(s => s.state === 'success'),
        )
        .sort((a, b) => a.createdAt.localeCompare(b.createdAt));
      expect(successful.at(-1)!.imageTag).toBe(liveTag(environment));
      // The first successful deployment of each tag is its rollout; a redeploy of a live tag
      // (workflow_dispatch) does not change the pod template, so Kubernetes records no revision.
      const firstByTag = new Map<string, string>();
      for (const deployment of successful) {
        if (!firstByTag.has(deployment.imageTag!)) {
          firstByTag.set(
            deployment.imageTag!,
            deployment.statuses.find(s => s.state === 'success')!.createdAt,
          );
        }
      }
      expect(Object.fromEntries(firstByTag)).toEqual(DEPLOYED_AT[environment]);
    }
  });

  it("has two production deployments waiting for approval: the guest's and, newest, alice's", () => {
    const waiting = state.runs
      .filter(r => r.status === 'waiting')
      .sort((a, b) => b.createdAt.localeCompare(a.createdAt));
    expect(
      waiting.map(run => [run.runNumber, run.triggeringActorLogin]),
    ).toEqual([
      [22, 'alice'],
      [21, GUEST_GITHUB_LOGIN],
    ]);
    for (const run of waiting) {
      expect(
        state.jobs.find(j => j.runId === run.id && j.status === 'waiting')!
          .name,
      ).toBe('Deploy production');
    }
  });

  it("keeps the guest's waiting run at a stable id and number", () => {
    const guests = state.runs.filter(
      r => r.triggeringActorLogin === GUEST_GITHUB_LOGIN,
    );
    expect(guests.map(run => [run.id, run.runNumber])).toEqual([
      [12_000_000_378, 21],
    ]);
  });

  it('lets no one approve the production deployment of a run they started', () => {
    const production = state.environments.find(e => e.name === 'production')!;
    expect(production.preventSelfReview).toBe(true);
    const maintainers = state.teams.find(
      t => t.slug === 'titanic-maintainers',
    )!;
    expect(maintainers.members).toContain(GUEST_GITHUB_LOGIN);
  });

  it('round-trips through a JSON snapshot', () => {
    const world = SandboxWorld.fromSnapshot(SandboxWorld.seeded().toJSON());
    expect(world.state.alerts.length).toBe(state.alerts.length);
  });
});
