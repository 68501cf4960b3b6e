import { webhookPayload } from '../__testUtils__/gitHubWebhooks';
import { gitHubChange } from './gitHubChanges';

const run = (action: string, change: (run: any) => void = () => {}) =>
  webhookPayload('workflow_run', action, payload => {
    payload.workflow_run.id = 21;
    change(payload.workflow_run);
  });

describe('gitHubChange: what a webhook event changes', () => {
  it('names the repository GitHub names', () => {
    const change = gitHubChange('workflow_run', run('completed'));
    expect(change).toMatchObject({
      owner: 'acme-corp',
      name: 'titanic-service',
    });
  });

  it('a new run: the run lists, and the run itself to lay over cached copies', () => {
    const change = gitHubChange(
      'workflow_run',
      run('requested', r => (r.run_attempt = 1)),
    );
    expect(change?.scopes.sort()).toEqual([
      'pending:21',
      'runs',
      'runs:status',
    ]);
    expect(change?.runs.map(r => r.id)).toEqual([21]);
    expect(change?.changes).toEqual(['pipeline', 'environments']);
  });

  it('a re-run: the jobs of the run, not the lists it is already in', () => {
    const change = gitHubChange(
      'workflow_run',
      run('requested', r => (r.run_attempt = 2)),
    );
    expect(change?.scopes.sort()).toEqual([
      'jobs:21',
      'pending:21',
      'runs:status',
    ]);
  });

  it('a run that moved on: lists by status and what it waits for; its copy carries the rest', () => {
    const change = gitHubChange('workflow_run', run('completed'));
    expect(change?.scopes.sort()).toEqual(['pending:21', 'runs:status']);
    expect(change?.runs).toHaveLength(1);
    expect(change?.runs[0]).toMatchObject({ id: 21, status: 'completed' });
    // Only the fields the dashboards read are kept, not the repository objects it embeds.
    expect(Object.keys(change!.runs[0]).sort()).toEqual([
      'actor',
      'conclusion',
      'created_at',
      'display_title',
      'event',
      'head_branch',
      'head_commit',
      'head_sha',
      'html_url',
      'id',
      'name',
      'path',
      'run_attempt',
      'run_number',
      'run_started_at',
      'status',
      'triggering_actor',
      'updated_at',
    ]);
    expect(change?.changes).toEqual(['pipeline', 'environments', 'findings']);
  });

  it('a job that progressed: laid over cached job lists, nothing asked again', () => {
    const payload = webhookPayload('workflow_job', 'completed', p => {
      p.workflow_job.id = 501;
      p.workflow_job.run_id = 21;
    });
    const change = gitHubChange('workflow_job', payload);
    expect(change?.scopes).toEqual([]);
    expect(change?.jobs.map(j => [j.id, j.run_id, j.status])).toEqual([
      [501, 21, 'completed'],
    ]);
    expect(change?.changes).toEqual(['pipeline']);
  });

  it('a job queued may be missing from cached lists and may have been released by a review; a job waiting holds its run for review', () => {
    const queued = gitHubChange(
      'workflow_job',
      webhookPayload(
        'workflow_job',
        'queued',
        p => (p.workflow_job.run_id = 21),
      ),
    );
    // Repository webhooks get no deployment_review: a review made on GitHub shows as its job queued.
    expect(queued?.scopes.sort()).toEqual([
      'jobs:21',
      'pending:21',
      'runs:status',
    ]);
    expect(queued?.changes).toEqual(['pipeline', 'environments']);
    const waiting = gitHubChange(
      'workflow_job',
      webhookPayload(
        'workflow_job',
        'waiting',
        p => (p.workflow_job.run_id = 21),
      ),
    );
    expect(waiting?.scopes.sort()).toEqual([
      'jobs:21',
      'pending:21',
      'runs:status',
    ]);
    expect(waiting?.changes).toEqual(['pipeline', 'environments']);
  });

  it('deployments: a new one outdates the lists, a status only its own statuses', () => {
    expect(
      gitHubChange('deployment', webhookPayload('deployment', 'created')),
    ).toMatchObject({
      scopes: ['deployments'],
      changes: ['environments'],
    });
    const status = webhookPayload(
      'deployment_status',
      'created',
      p => (p.deployment.id = 77),
    );
    expect(gitHubChange('deployment_status', status)).toMatchObject({
      scopes: ['deployment:77'],
      changes: ['environments'],
    });
  });

  it('a review: what the run waits for, its reviews and jobs, and the waiting lists', () => {
    const review = webhookPayload('deployment_review', 'requested', p => {
      p.workflow_run.id = 21;
    });
    const change = gitHubChange('deployment_review', review);
    expect(change?.scopes.sort()).toEqual([
      'approvals:21',
      'jobs:21',
      'pending:21',
      'runs:status',
    ]);
    expect(change?.changes).toEqual(['environments', 'pipeline']);
  });

  it('a protection rule: the run named in its callback URL', () => {
    const change = gitHubChange('deployment_protection_rule', {
      action: 'requested',
      environment: 'production',
      deployment_callback_url:
        'https://api.github.com/repos/acme-corp/titanic-service/actions/runs/21/deployment_protection_rule',
      repository: { name: 'titanic-service', owner: { login: 'acme-corp' } },
    });
    expect(change?.scopes).toEqual([
      'deployments',
      'runs:status',
      'pending:21',
    ]);
  });

  it('check runs, alerts and pushes', () => {
    const check = webhookPayload(
      'check_run',
      'completed',
      p => (p.check_run.id = 9),
    );
    expect(gitHubChange('check_run', check)?.scopes).toEqual(['check-run:9']);
    const alert = webhookPayload('code_scanning_alert', 'fixed');
    expect(gitHubChange('code_scanning_alert', alert)).toMatchObject({
      scopes: ['alerts'],
      changes: ['findings'],
    });
    const push = webhookPayload('push', undefined, p => {
      p.ref = `refs/heads/${p.repository.default_branch}`;
    });
    expect(gitHubChange('push', push)).toMatchObject({
      scopes: ['repository'],
      changes: ['pipeline'],
    });
  });

  it('ignores events the dashboards do not read, and payloads without a repository', () => {
    expect(
      gitHubChange('star', {
        repository: { name: 'x', owner: { login: 'y' } },
      }),
    ).toBeUndefined();
    expect(
      gitHubChange('workflow_run', { action: 'completed' }),
    ).toBeUndefined();
  });
});
