import { GitHubJob, GitHubRun, RepositoryRef } from '../github/types';
import { GitHubChange } from './gitHubChanges';
import { GitHubLiveState } from './gitHubLiveState';

const HOST = 'github.sandbox.test';
const repo: RepositoryRef = {
  host: HOST,
  owner: 'acme-corp',
  name: 'titanic-service',
};
const API = 'http://127.0.0.1:7080/repos/acme-corp/titanic-service';
const RUNS = 'GET /repos/{owner}/{repo}/actions/runs';
const JOBS = 'GET /repos/{owner}/{repo}/actions/runs/{run_id}/jobs';

function runCopy(
  id: number,
  status: string,
  updatedAt: string,
  attempt = 1,
): GitHubRun {
  return {
    id,
    name: 'Titanic service pipeline',
    path: '.github/workflows/titanic-service.yml',
    run_number: id,
    run_attempt: attempt,
    head_branch: 'main',
    head_sha: 'abc',
    display_title: 'change',
    head_commit: null,
    event: 'push',
    status,
    conclusion: status === 'completed' ? 'success' : null,
    created_at: '2026-12-01T10:00:00Z',
    updated_at: updatedAt,
    run_started_at: '2026-12-01T10:00:00Z',
    html_url: `https://github.com/acme-corp/titanic-service/actions/runs/${id}`,
    actor: null,
  } as unknown as GitHubRun;
}

function jobCopy(id: number, status: string, at: string): GitHubJob {
  return {
    id,
    run_id: 21,
    run_attempt: 1,
    name: 'Tests & lint',
    status,
    conclusion: status === 'completed' ? 'success' : null,
    started_at: '2026-12-01T10:00:00Z',
    completed_at: status === 'completed' ? at : null,
    html_url: '',
    steps: [],
  } as unknown as GitHubJob;
}

const change = (parts: Partial<GitHubChange>): GitHubChange => ({
  owner: 'acme-corp',
  name: 'titanic-service',
  scopes: [],
  runs: [],
  jobs: [],
  changes: [],
  ...parts,
});

describe('GitHubLiveState', () => {
  let clock: number;
  const state = (maxEntries?: number) =>
    new GitHubLiveState({
      pollingFreshMs: 60_000,
      safetyNetMs: 300_000,
      maxEntries,
      now: () => clock,
    });

  beforeEach(() => {
    clock = 1_000_000;
  });

  it('outdates exactly the answers of the scopes a change marks', () => {
    const live = state();
    live.apply(HOST, change({ scopes: ['jobs:21', 'runs:status'] }));
    const marked = clock;
    expect(
      live.changedAt(repo, `${API}/actions/runs/21/jobs?filter=latest`),
    ).toBe(marked);
    expect(live.changedAt(repo, `${API}/actions/runs?status=waiting`)).toBe(
      marked,
    );
    expect(live.changedAt(repo, `${API}/actions/runs/22/jobs`)).toBe(0);
    expect(live.changedAt(repo, `${API}/actions/runs?branch=main`)).toBe(0);
    expect(live.changedAt(repo, `${API}/code-scanning/alerts`)).toBe(0);
    expect(
      live.changedAt(
        { ...repo, name: 'other' },
        `${API.replace('titanic-service', 'other')}/actions/runs/21/jobs`,
      ),
    ).toBe(0);
  });

  it('outdates everything of a repository the portal changed', () => {
    const live = state();
    live.markScopes(repo, ['*']);
    expect(live.changedAt(repo, `${API}/code-scanning/alerts`)).toBe(clock);
    expect(live.changedAt(repo, API)).toBe(clock);
  });

  it('lays a newer run over a cached list, and answers the same list when nothing is newer', () => {
    const live = state();
    const cached = {
      total_count: 2,
      workflow_runs: [
        runCopy(21, 'in_progress', '2026-12-01T10:01:00Z'),
        runCopy(20, 'completed', '2026-11-30T10:00:00Z'),
      ],
    };
    expect(live.overlay(repo, RUNS, cached)).toBe(cached);
    live.apply(
      HOST,
      change({ runs: [runCopy(21, 'completed', '2026-12-01T10:05:00Z')] }),
    );
    const shown = live.overlay(repo, RUNS, cached);
    expect(shown.workflow_runs.map(r => [r.id, r.status])).toEqual([
      [21, 'completed'],
      [20, 'completed'],
    ]);
    expect(cached.workflow_runs[0].status).toBe('in_progress'); // the cached copy is untouched
  });

  it('never shows older data: an event older than one already applied changes nothing', () => {
    const live = state();
    live.apply(
      HOST,
      change({ runs: [runCopy(21, 'completed', '2026-12-01T10:05:00Z')] }),
    );
    // Delivered late: the run as it was before it completed.
    live.apply(
      HOST,
      change({ runs: [runCopy(21, 'in_progress', '2026-12-01T10:02:00Z')] }),
    );
    const cached = {
      total_count: 1,
      workflow_runs: [runCopy(21, 'queued', '2026-12-01T10:00:00Z')],
    };
    expect(live.overlay(repo, RUNS, cached).workflow_runs[0].status).toBe(
      'completed',
    );
    // A cached answer newer than what webhooks said (GitHub read after them) is left as it is.
    const newer = {
      total_count: 1,
      workflow_runs: [runCopy(21, 'completed', '2026-12-01T10:09:00Z', 2)],
    };
    expect(live.overlay(repo, RUNS, newer)).toBe(newer);
  });

  it('orders copies of a run by attempt first: a re-run is newer than the attempt it replaces', () => {
    const live = state();
    live.apply(
      HOST,
      change({ runs: [runCopy(21, 'queued', '2026-12-01T09:00:00Z', 2)] }),
    );
    const cached = {
      total_count: 1,
      workflow_runs: [runCopy(21, 'completed', '2026-12-01T10:00:00Z', 1)],
    };
    expect(live.overlay(repo, RUNS, cached).workflow_runs[0]).toMatchObject({
      run_attempt: 2,
      status: 'queued',
    });
  });

  it('lays newer jobs over a cached job list, further along first', () => {
    const live = state();
    live.apply(
      HOST,
      change({ jobs: [jobCopy(501, 'completed', '2026-12-01T10:04:00Z')] }),
    );
    live.apply(
      HOST,
      change({ jobs: [jobCopy(501, 'in_progress', '2026-12-01T10:03:00Z')] }),
    );
    const cached = {
      total_count: 2,
      jobs: [jobCopy(501, 'queued', ''), jobCopy(502, 'queued', '')],
    };
    expect(live.overlay(repo, JOBS, cached).jobs.map(j => j.status)).toEqual([
      'completed',
      'queued',
    ]);
  });

  it('trusts answers longer only while webhooks arrive, and only answers validated since they do', () => {
    const live = state();
    expect(live.freshForMs(clock)).toBe(60_000);
    const before = clock - 1;
    live.heard();
    expect(live.freshForMs(clock)).toBe(300_000);
    expect(live.freshForMs(before)).toBe(60_000);
    clock += 299_000;
    expect(live.freshForMs(clock - 1000)).toBe(300_000);
    // Silence longer than the safety net: polling again, until deliveries resume.
    clock += 2_000;
    expect(live.live).toBe(false);
    expect(live.freshForMs(clock)).toBe(60_000);
    const resumedAt = clock;
    live.heard();
    expect(live.freshForMs(resumedAt - 1)).toBe(60_000);
    expect(live.freshForMs(resumedAt)).toBe(300_000);
  });

  it('keeps its memory bounded: a copy forgotten early outdates what it corrected', () => {
    const live = state(3);
    for (let id = 1; id <= 4; id++) {
      live.apply(
        HOST,
        change({ runs: [runCopy(id, 'completed', '2026-12-01T10:05:00Z')] }),
      );
      clock += 1;
    }
    expect(live.size().runs).toBe(3);
    // Run 1's copy is gone: a cached list validated before that is asked again.
    expect(
      live.changedAt(repo, `${API}/actions/runs?branch=main`),
    ).toBeGreaterThan(0);
    expect(live.changedAt(repo, `${API}/actions/runs/1`)).toBeGreaterThan(0);
  });

  it('outdates everything rather than remember more marks than it may', () => {
    const live = state(3);
    live.apply(
      HOST,
      change({ scopes: ['jobs:1', 'jobs:2', 'jobs:3', 'jobs:4'] }),
    );
    expect(live.size().marks).toBe(0);
    expect(live.changedAt(repo, `${API}/code-scanning/alerts`)).toBe(clock);
  });

  it('forgets marks and copies older than the longest window, which no answer needs any more', () => {
    const live = state();
    live.apply(
      HOST,
      change({
        scopes: ['alerts'],
        runs: [runCopy(21, 'completed', '2026-12-01T10:05:00Z')],
      }),
    );
    clock += 301_000;
    live.apply(HOST, change({ scopes: ['deployments'] }));
    expect(live.size()).toEqual({ marks: 1, runs: 0, jobs: 0 });
  });
});
