import { Entity } from '@backstage/catalog-model';
import { JsonObject } from '@backstage/types';
import { ConfigReader } from '@backstage/config';
import { ScmIntegrations } from '@backstage/integration';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import {
  REPOSITORY_HOSTS_ANNOTATION,
  RepositoryHostsProcessor,
} from './repositoryHostsProcessor';

function template(
  annotations: Record<string, string>,
  repoUrl: JsonObject,
): Entity {
  return {
    apiVersion: 'scaffolder.backstage.io/v1beta3',
    kind: 'Template',
    metadata: { name: 'example', annotations },
    spec: {
      type: 'service',
      parameters: [
        { title: 'Service', properties: { name: { type: 'string' } } },
        { title: 'Repository', properties: { repoUrl } },
      ],
      steps: [],
    },
  };
}

const picker = { type: 'string', 'ui:field': 'RepoUrlPicker' };
const repoUrlOf = (entity: Entity) =>
  (entity.spec as any).parameters[1].properties.repoUrl as Record<string, any>;

describe('RepositoryHostsProcessor', () => {
  const processor = new RepositoryHostsProcessor([
    'localhost:7080',
    'github.com',
  ]);

  it('offers the configured GitHub hosts in the repository picker of an annotated template', async () => {
    const processed = await processor.preProcessEntity(
      template(
        { [REPOSITORY_HOSTS_ANNOTATION]: 'github' },
        {
          ...picker,
          'ui:options': { requestUserCredentials: { secretsKey: 'TOKEN' } },
        },
      ),
    );
    expect(repoUrlOf(processed)['ui:options']).toEqual({
      requestUserCredentials: { secretsKey: 'TOKEN' },
      allowedHosts: ['localhost:7080', 'github.com'],
    });
    expect((processed.spec as any).parameters[0]).toEqual({
      title: 'Service',
      properties: { name: { type: 'string' } },
    });
  });

  it('keeps hosts a template names itself, and leaves templates without the annotation alone', async () => {
    const own = template(
      { [REPOSITORY_HOSTS_ANNOTATION]: 'github' },
      {
        ...picker,
        'ui:options': { allowedHosts: ['ghe.example.net'] },
      },
    );
    expect(await processor.preProcessEntity(own)).toEqual(own);
    const plain = template({}, picker);
    expect(await processor.preProcessEntity(plain)).toBe(plain);
  });

  it('reads the hosts as the integrations configure them: the sandbox first, github.com always', () => {
    const hosts = ScmIntegrations.fromConfig(
      new ConfigReader({
        integrations: {
          github: [
            { host: 'localhost:7080', apiBaseUrl: 'http://127.0.0.1:7080' },
          ],
        },
      }),
    )
      .github.list()
      .map(integration => integration.config.host);
    expect(hosts).toEqual(['localhost:7080', 'github.com']);
  });

  it('applies to the golden-path template the root catalog registers', async () => {
    const file = path.resolve(
      __dirname,
      '../../../catalog/templates/titanic-service/template.yaml',
    );
    const entity = parse(readFileSync(file, 'utf8')) as Entity;
    const processed = await processor.preProcessEntity(entity);
    const steps = (processed.spec as any).parameters as Array<any>;
    const pickers = steps.flatMap(step =>
      Object.values(step.properties ?? {}).filter(
        (property: any) => property['ui:field'] === 'RepoUrlPicker',
      ),
    ) as Array<any>;
    expect(pickers).toHaveLength(1);
    expect(pickers[0]['ui:options'].allowedHosts).toEqual([
      'localhost:7080',
      'github.com',
    ]);
  });
});
