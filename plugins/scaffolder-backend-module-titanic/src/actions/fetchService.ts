import path from 'node:path';
import { InputError } from '@backstage/errors';
import { ScmIntegrationRegistry } from '@backstage/integration';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { repositoryOf } from '../serviceRepository';
import { renderServiceTree, writeServiceTree } from '../serviceTree';
import {
  ENVIRONMENTS,
  parseServiceParameters,
  ServiceParameters,
} from '../serviceParameters';

export function createFetchServiceAction(options: {
  sourceRoot: string;
  integrations: ScmIntegrationRegistry;
}) {
  return createTemplateAction({
    id: 'titanic:service:fetch',
    description:
      'Writes a new service into the workspace: the reference titanic-service, its infra, pipeline ' +
      'workflows and docs, read from the portal repository and renamed to the new service.',
    supportsDryRun: true,
    schema: {
      input: {
        name: z =>
          z
            .string()
            .describe(
              'Name of the new service: a DNS-1123 label, e.g. orders-api',
            ),
        repoUrl: z =>
          z
            .string()
            .describe(
              'Repository to publish to (RepoUrlPicker: host?owner=…&repo=…)',
            ),
        owner: z =>
          z.string().describe('Owning group, e.g. group:default/titanic-team'),
        system: z =>
          z.string().describe('Catalog system the component belongs to'),
        region: z => z.string().describe('AWS region, e.g. eu-west-1'),
        environments: z =>
          z
            .array(z.string())
            .describe('Environments to deliver to; prod is required'),
        databaseInstanceClasses: z =>
          z
            .record(z.string())
            .describe(
              'RDS instance class per environment, e.g. { prod: db.r6g.large }',
            ),
        productionReplicas: z =>
          z.number().describe('Minimum replicas of the production autoscaler'),
        alertChannel: z =>
          z
            .string()
            .describe('Slack channel for alerts, e.g. #orders-api-alerts'),
        targetPath: z =>
          z
            .string()
            .optional()
            .describe('Workspace directory to write to (default: the root)'),
      },
      output: {
        fileCount: z => z.number().describe('Files written'),
        serviceDirectory: z =>
          z
            .string()
            .describe('Directory of the service code in the repository'),
        imageRepository: z => z.string().describe('Container image repository'),
        namespaces: z =>
          z.record(z.string()).describe('Kubernetes namespace per environment'),
      },
    },
    async handler(ctx) {
      const target: ServiceParameters = parseServiceParameters({
        ...ctx.input,
        ...repositoryOf(ctx.input.repoUrl, options.integrations),
      });
      const workspace = path.resolve(
        ctx.workspacePath,
        ctx.input.targetPath ?? '.',
      );
      if (
        !`${workspace}${path.sep}`.startsWith(`${ctx.workspacePath}${path.sep}`)
      ) {
        throw new InputError(
          `targetPath must stay inside the workspace; got ${ctx.input.targetPath}`,
        );
      }

      const files = await renderServiceTree(options.sourceRoot, target);
      // A dry run writes too: the workspace is a scratch directory the dry-run API returns.
      await writeServiceTree(workspace, files);
      ctx.logger.info(
        `Wrote ${files.length} files of ${target.name} from ${options.sourceRoot}`,
      );

      ctx.output('fileCount', files.length);
      ctx.output('serviceDirectory', target.name);
      ctx.output(
        'imageRepository',
        `ghcr.io/${target.organization}/${target.name}`,
      );
      ctx.output(
        'namespaces',
        Object.fromEntries(
          ENVIRONMENTS.filter(environment =>
            target.environments.includes(environment),
          ).map(environment => [
            environment,
            `${target.namespacePrefix}-${environment}`,
          ]),
        ),
      );
    },
  });
}
