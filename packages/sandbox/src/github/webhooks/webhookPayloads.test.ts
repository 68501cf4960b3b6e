import { HookRecord } from '../../world/records';
import { recordsOf } from '../../world/repositoryIndex';
import { SandboxWorld } from '../../world/sandboxWorld';
import { projectRun } from '../representations/actionsRepresentations';
import { alertState } from '../representations/codeScanningRepresentations';
import { RepositoryStore } from '../hosting/repositoryStore';
import {
  codeScanningAlertEvent,
  deploymentEvent,
  deploymentStatusEvent,
  pingEvent,
  renderHook,
  repositoryContext,
} from './webhookPayloads';
import { webhookPayloadProblems } from './webhookSchemas';

/*
 * Payloads the flows of webhooks.test.ts reach only now and then, each as its schema wants it:
 * GitHub itself sends what code scanning does on its own, a deployment of a run waiting for review
 * carries the run in progress, a ping names the hook's last answer by its status alone.
 */

const world = SandboxWorld.seeded();
const repositories = new RepositoryStore();
const scoped = repositoryContext(
  {
    state: world.state,
    apiUrl: 'http://127.0.0.1:7080',
    now: Date.now(),
    repositories,
  },
  world.state.repository.id,
)!;
const records = recordsOf(world.state, world.state.repository.id);

afterAll(() => repositories.close());

const valid = (event: { name: string; payload: unknown }) =>
  expect(webhookPayloadProblems(event.name, event.payload)).toEqual([]);

it('an alert code scanning created or fixed is sent by GitHub itself; one dismissed by its person', () => {
  const inState = (state: string) =>
    records.alerts.find(a => alertState(scoped.ctx, a, null) === state)!;
  for (const [action, state] of [
    ['created', 'open'],
    ['fixed', 'fixed'],
  ] as const) {
    const event = codeScanningAlertEvent(scoped, action, inState(state));
    valid(event);
    expect(event.payload.sender).toMatchObject({ login: 'github', id: 9919 });
  }
  const dismissed = records.alerts.find(a => a.dismissed)!;
  const closed = codeScanningAlertEvent(scoped, 'closed_by_user', dismissed);
  valid(closed);
  expect(closed.payload.sender).toMatchObject({
    login: dismissed.dismissed!.byLogin,
  });
});

it('a deployment of a run waiting for review carries the run in progress', () => {
  const waiting = records.runs.find(
    run => projectRun(scoped.ctx, run).status === 'waiting',
  )!;
  const deployment = records.deployments.find(d => d.runId === waiting.id)!;
  const created = deploymentEvent(scoped, deployment);
  valid(created);
  expect(created.payload.workflow_run).toMatchObject({
    id: waiting.id,
    status: 'in_progress',
  });
  // As the change feed sends them: a deployment made inactive by a newer one is not reported.
  for (const status of deployment.statuses.filter(
    s => s.state !== 'inactive',
  )) {
    valid(deploymentStatusEvent(scoped, deployment, status));
  }
});

it('a ping names the hook and its last answer', () => {
  const hook: HookRecord = {
    id: 7,
    scope: { repositoryId: world.state.repository.id },
    events: ['push'],
    active: true,
    url: 'http://127.0.0.1:9/hooks',
    contentType: 'json',
    secret: 's',
    insecureSsl: '0',
    lastResponse: { code: 200, status: 'active', message: 'OK' },
    createdAt: '2026-12-01T10:00:00Z',
    updatedAt: '2026-12-01T10:00:00Z',
  };
  const rendered = renderHook(hook, scoped.ctx.repository!.api);
  const ping = pingEvent(scoped, undefined, hook, rendered, 'carol');
  valid(ping);
  expect(ping.payload).toMatchObject({
    hook_id: 7,
    hook: { last_response: { code: null, status: 'active', message: null } },
  });
});
