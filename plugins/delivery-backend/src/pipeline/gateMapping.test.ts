import { GitHubJob } from '../github/types';
import {
  DEFAULT_GATES,
  combineStatuses,
  firstFailedGate,
  gateOfJob,
  jobStatus,
  mapJobsToGates,
} from './gateMapping';

function job(
  id: number,
  name: string,
  conclusion: GitHubJob['conclusion'],
  status: GitHubJob['status'] = 'completed',
): GitHubJob {
  return {
    id,
    run_id: 1,
    name,
    status,
    conclusion,
    started_at: '2026-11-25T11:02:20Z',
    completed_at: status === 'completed' ? '2026-11-25T11:03:20Z' : null,
    html_url: `https://github.com/acme-corp/titanic-service/actions/runs/1/job/${id}`,
    steps: [],
  };
}

describe('gate mapping', () => {
  it('maps the contract’s job names to the seven default gates', () => {
    const names: Record<string, string> = {
      'Gitleaks / Secret scan': 'gitleaks',
      'Checkov / IaC scan': 'checkov',
      'SonarCloud / Quality gate': 'sonarcloud',
      'Tests & lint': 'tests',
      'Build image': 'build',
      'Trivy / Image scan': 'trivy',
      'Deploy dev': 'deploy',
      'Deploy staging': 'deploy',
      'Deploy production': 'deploy',
    };
    for (const [name, gate] of Object.entries(names)) {
      expect(gateOfJob(DEFAULT_GATES, name)).toBe(gate);
    }
    expect(gateOfJob(DEFAULT_GATES, 'Label pull request')).toBeNull();
  });

  it('lets configuration rename and regroup gates with wildcard patterns', () => {
    const gates = [{ id: 'scan', title: 'Scans', jobs: ['* / *'] }];
    expect(gateOfJob(gates, 'trivy / image scan')).toBe('scan');
    expect(gateOfJob(gates, 'Build image')).toBeNull();
  });

  it('translates GitHub job states into gate statuses', () => {
    expect(jobStatus({ status: 'completed', conclusion: 'success' })).toBe(
      'success',
    );
    expect(jobStatus({ status: 'completed', conclusion: 'timed_out' })).toBe(
      'failure',
    );
    expect(jobStatus({ status: 'completed', conclusion: 'skipped' })).toBe(
      'skipped',
    );
    expect(jobStatus({ status: 'completed', conclusion: 'cancelled' })).toBe(
      'cancelled',
    );
    expect(jobStatus({ status: 'in_progress', conclusion: null })).toBe(
      'running',
    );
    expect(jobStatus({ status: 'waiting', conclusion: null })).toBe('waiting');
    expect(jobStatus({ status: 'queued', conclusion: null })).toBe('queued');
  });

  it('reports the most telling status of a gate’s jobs', () => {
    expect(combineStatuses(['success', 'waiting'])).toBe('waiting');
    expect(combineStatuses(['success', 'failure', 'skipped'])).toBe('failure');
    expect(combineStatuses(['success', 'skipped'])).toBe('success');
    expect(combineStatuses(['skipped'])).toBe('skipped');
    expect(combineStatuses([])).toBe('not-run');
  });

  it('builds the gate chain in pipeline order with the failing gate’s reason and logs', () => {
    const gates = mapJobsToGates(
      DEFAULT_GATES,
      [
        job(5, 'Build image', 'skipped'),
        job(1, 'Gitleaks / Secret scan', 'success'),
        job(3, 'SonarCloud / Quality gate', 'failure'),
        job(2, 'Checkov / IaC scan', 'success'),
        job(4, 'Tests & lint', 'success'),
      ],
      new Map([
        [
          3,
          {
            reason: 'quality gate ERROR: new coverage 41% (required ≥ 80%)',
            source: 'log' as const,
          },
        ],
      ]),
      'https://github.com/acme-corp/titanic-service/actions/runs/1',
    );
    expect(gates.map(g => [g.id, g.status])).toEqual([
      ['gitleaks', 'success'],
      ['checkov', 'success'],
      ['sonarcloud', 'failure'],
      ['tests', 'success'],
      ['build', 'skipped'],
      ['trivy', 'not-run'],
      ['deploy', 'not-run'],
    ]);
    const sonar = gates[2];
    expect(sonar).toMatchObject({
      reason: 'quality gate ERROR: new coverage 41% (required ≥ 80%)',
      reasonSource: 'log',
      durationSeconds: 60,
      logsUrl:
        'https://github.com/acme-corp/titanic-service/actions/runs/1/job/3',
    });
    expect(gates[4]).toMatchObject({ durationSeconds: null, reason: null });
    expect(firstFailedGate(gates)).toBe('sonarcloud');
  });

  it('adds up a gate’s jobs and names their environments', () => {
    const [deploy] = mapJobsToGates(
      [DEFAULT_GATES[6]],
      [
        job(7, 'Deploy staging', 'success'),
        job(8, 'Deploy production', null, 'waiting'),
      ],
      new Map(),
      'https://example.test/run',
    );
    expect(deploy.status).toBe('waiting');
    expect(deploy.jobs.map(j => [j.environment, j.status])).toEqual([
      ['staging', 'success'],
      ['production', 'waiting'],
    ]);
  });
});
