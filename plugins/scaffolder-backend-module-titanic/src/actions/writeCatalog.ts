import fs from 'node:fs';
import path from 'node:path';
import { InputError } from '@backstage/errors';
import { ScmIntegrationRegistry } from '@backstage/integration';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { REFERENCE_SERVICE } from '../referenceService';
import {
  catalogInfoYaml,
  readReferenceEntities,
  serviceEntities,
} from '../serviceCatalog';
import { parseServiceParameters } from '../serviceParameters';
import { repositoryOf } from '../serviceRepository';

export function createWriteCatalogAction(options: {
  sourceRoot: string;
  integrations: ScmIntegrationRegistry;
}) {
  return createTemplateAction({
    id: 'titanic:catalog:write',
    description:
      "Writes catalog-info.yaml for a new service: its Component with the annotations the portal's " +
      "dashboards read, and its API with the reference service's OpenAPI definition.",
    supportsDryRun: true,
    schema: {
      input: {
        name: z =>
          z.string().describe('Name of the new service: a DNS-1123 label'),
        description: z =>
          z.string().optional().describe('What the service does'),
        repoUrl: z =>
          z.string().describe('Repository the service is published to'),
        owner: z =>
          z.string().describe('Owning group, e.g. group:default/titanic-team'),
        system: z =>
          z.string().describe('Catalog system the component belongs to'),
        environments: z =>
          z
            .array(z.string())
            .describe(
              'Environments the service is delivered to; prod is required',
            ),
        filePath: z =>
          z
            .string()
            .optional()
            .describe(
              'Where to write it in the workspace (default catalog-info.yaml)',
            ),
      },
      output: {
        entityRef: z => z.string().describe('The new Component'),
        apiEntityRef: z =>
          z.string().describe('The API the Component provides'),
      },
    },
    async handler(ctx) {
      // Region, sizes and alerting do not appear in catalog entities: the reference's stand in.
      const target = parseServiceParameters({
        ...REFERENCE_SERVICE,
        namespacePrefix: undefined,
        title: undefined,
        apiName: undefined,
        ...ctx.input,
        ...repositoryOf(ctx.input.repoUrl, options.integrations),
      });
      const filePath = ctx.input.filePath ?? 'catalog-info.yaml';
      const destination = path.resolve(ctx.workspacePath, filePath);
      if (!destination.startsWith(`${ctx.workspacePath}${path.sep}`)) {
        throw new InputError(
          `filePath must stay inside the workspace; got ${filePath}`,
        );
      }

      const entities = serviceEntities(
        await readReferenceEntities(options.sourceRoot),
        target,
        ctx.input.description?.trim() || `The ${target.name} service.`,
      );
      await fs.promises.mkdir(path.dirname(destination), { recursive: true });
      await fs.promises.writeFile(destination, catalogInfoYaml(entities));
      ctx.logger.info(
        `Wrote ${filePath}: component ${target.name}, API ${entities[1].metadata.name}`,
      );

      ctx.output('entityRef', `component:default/${target.name}`);
      ctx.output('apiEntityRef', `api:default/${entities[1].metadata.name}`);
    },
  });
}
