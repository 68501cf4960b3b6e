import fs from 'node:fs';
import path from 'node:path';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import scaffolderPlugin from '@backstage/plugin-scaffolder-backend';
import scaffolderGithubModule from '@backstage/plugin-scaffolder-backend-module-github';
import request from 'supertest';
import { parse, parseAllDocuments } from 'yaml';
import { findPortalRoot } from './referenceManifest';
import { LEFTOVER_PATTERNS } from './renaming';
import scaffolderModuleTitanic from './index';

// Starting a backend takes seconds on a busy 2-core machine.
jest.setTimeout(60_000);

const portalRoot = findPortalRoot(__dirname)!;
const templateFile = path.join(
  portalRoot,
  'catalog/templates/titanic-service/template.yaml',
);

/** What a user enters on the Create page for a new service. */
const ORDERS_FORM_VALUES = {
  name: 'orders-api',
  description: 'Orders of the shop.',
  owner: 'group:default/platform-team',
  system: 'system:default/titanic',
  repoUrl: 'github.com?owner=globex&repo=orders-api',
  region: 'us-east-2',
  environments: ['dev', 'staging', 'prod'],
  devDatabaseInstanceClass: 'db.t4g.small',
  stagingDatabaseInstanceClass: 'db.t4g.medium',
  prodDatabaseInstanceClass: 'db.m7g.xlarge',
  productionReplicas: 4,
};

describe('the titanic-service template through the scaffolder dry-run API', () => {
  let server: Awaited<ReturnType<typeof startTestBackend>>['server'];
  let stop = async () => {};

  beforeAll(async () => {
    const backend = await startTestBackend({
      features: [
        scaffolderPlugin,
        scaffolderGithubModule,
        scaffolderModuleTitanic,
        catalogServiceMock.factory({ entities: [] }),
        mockServices.rootConfig.factory({
          data: {
            integrations: {
              github: [{ host: 'github.com', token: 'dry-run-is-offline' }],
            },
          },
        }),
      ],
    });
    server = backend.server;
    stop = () => backend.stop();
  });

  afterAll(async () => {
    await stop();
  });

  /** The template file as the catalog holds it, dry-run with the given form values. */
  function dryRun(values: Record<string, unknown>) {
    const template = parse(fs.readFileSync(templateFile, 'utf8'));
    return request(server)
      .post('/api/scaffolder/v2/dry-run')
      .set('Authorization', mockCredentials.user.header())
      .send({ template, values, directoryContents: [] });
  }

  it('renders the renamed service and its catalog-info.yaml, the titanic steps completing', async () => {
    const response = await dryRun(ORDERS_FORM_VALUES);
    expect(response.status).toBe(200);
    const { directoryContents, log, steps, output } = response.body as {
      directoryContents: { path: string; base64Content: string }[];
      log: { body: { message: string; status?: string; stepId?: string } }[];
      steps: { id: string }[];
      output: { links: { title: string; url?: string; entityRef?: string }[] };
    };
    expect(steps.map(step => step.id)).toEqual([
      'fetch',
      'catalog',
      'publish',
      'environments',
      'develop',
      'register',
      'wait',
    ]);
    const statuses = log.flatMap(entry =>
      entry.body.status ? [`${entry.body.stepId} ${entry.body.status}`] : [],
    );
    // publish:github, catalog:register and the catalog wait do not support dry runs: the
    // scaffolder skips them.
    expect(statuses.filter(status => !status.endsWith('processing'))).toEqual([
      'fetch completed',
      'catalog completed',
      'publish skipped',
      'environments completed',
      'develop completed',
      'register skipped',
      'wait skipped',
    ]);
    const messages = log.map(entry => entry.body.message);
    expect(messages).toEqual(
      expect.arrayContaining([
        expect.stringContaining(
          'Dry run: would create the GitHub environments dev, staging, production',
        ),
        expect.stringContaining('Dry run: would create branch develop'),
      ]),
    );
    expect(output.links.map(link => link.title)).toEqual([
      'Repository',
      'Open in catalog',
    ]);

    const files = new Map(
      directoryContents.map(file => [
        file.path,
        Buffer.from(file.base64Content, 'base64').toString('utf8'),
      ]),
    );
    expect([...files.keys()]).toEqual(
      expect.arrayContaining([
        'catalog-info.yaml',
        'orders-api/package.json',
        'infra/helm/orders-api/Chart.yaml',
        'infra/k8s/overlays/prod/kustomization.yaml',
        '.github/workflows/orders-api.yml',
        'mkdocs.yml',
      ]),
    );
    expect(files.get('infra/k8s/overlays/prod/autoscaling.yaml')).toContain(
      'minReplicas: 4',
    );
    // Left empty on the form: the channel defaults to #<name>-alerts.
    expect(files.get('infra/monitoring/alertmanager-config.yaml')).toContain(
      'channel: "#orders-api-alerts"',
    );
    for (const [file, text] of files) {
      for (const pattern of LEFTOVER_PATTERNS) {
        expect(`${file}: ${pattern.test(text)}`).toBe(`${file}: false`);
      }
    }

    const [component, api] = parseAllDocuments(
      files.get('catalog-info.yaml')!,
    ).map(document => document.toJS());
    expect(component).toMatchObject({
      kind: 'Component',
      metadata: {
        name: 'orders-api',
        description: 'Orders of the shop.',
        annotations: {
          'github.com/project-slug': 'globex/orders-api',
          'backstage.io/kubernetes-id': 'orders-api',
          'backstage.io/kubernetes-namespace': 'orders-api-prod',
          'titanic.io/environments':
            'dev=orders-api-dev, staging=orders-api-staging, prod=orders-api-prod',
          'sonarqube.org/project-key': 'globex_orders-api',
          'backstage.io/techdocs-ref': 'dir:.',
        },
      },
      spec: {
        type: 'service',
        owner: 'group:default/platform-team',
        system: 'titanic',
        providesApis: ['orders-api-api'],
      },
    });
    expect(api).toMatchObject({
      kind: 'API',
      metadata: { name: 'orders-api-api' },
      spec: { type: 'openapi', owner: 'group:default/platform-team' },
    });
    expect(JSON.parse(api.spec.definition).openapi).toBe('3.0.3');
    // The reference's local server is not where the new service runs.
    expect(JSON.parse(api.spec.definition).servers).toBeUndefined();
  });

  it('creates no develop branch for a service without dev', async () => {
    const response = await dryRun({
      ...ORDERS_FORM_VALUES,
      environments: ['staging', 'prod'],
    });
    expect(response.status).toBe(200);
    const statuses = (
      response.body.log as { body: { status?: string; stepId?: string } }[]
    ).flatMap(entry =>
      entry.body.status === 'completed' || entry.body.status === 'skipped'
        ? [`${entry.body.stepId} ${entry.body.status}`]
        : [],
    );
    expect(statuses).toContain('environments completed');
    expect(statuses).toContain('develop skipped');
  });

  it('refuses what only the action can check with an InputError naming the field and the rule', async () => {
    const response = await dryRun({
      ...ORDERS_FORM_VALUES,
      owner: 'user:default/guest',
    });
    // The scaffolder answers an action's InputError as a 400 carrying it.
    expect(response.status).toBe(400);
    expect(response.body.error).toEqual({
      name: 'InputError',
      message:
        'owner must be a group (the team that owns the namespaces); got "user:default/guest"',
    });
  });

  it('answers a name that is not a DNS-1123 label with the rule it breaks', async () => {
    const response = await dryRun({
      ...ORDERS_FORM_VALUES,
      name: 'Orders_API',
    });
    expect(response.status).toBe(400);
    expect(JSON.stringify(response.body)).toMatch(/name/);
  });
});
