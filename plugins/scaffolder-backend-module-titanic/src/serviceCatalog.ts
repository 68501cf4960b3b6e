import fs from 'node:fs';
import path from 'node:path';
import { parseAllDocuments, stringify } from 'yaml';
import { REFERENCE_API, REFERENCE_COMPONENT } from './referenceService';
import { ServiceRenamer } from './renaming';
import { ServiceParameters } from './serviceParameters';

interface Entity {
  apiVersion: string;
  kind: string;
  metadata: {
    name: string;
    title?: string;
    description?: string;
    annotations?: Record<string, string>;
    tags?: string[];
    links?: { url: string; title?: string }[];
  };
  spec: Record<string, unknown>;
}

/** The reference Component and API, as the root catalog-info.yaml declares them. */
export async function readReferenceEntities(
  sourceRoot: string,
): Promise<{ component: Entity; api: Entity }> {
  const file = path.join(sourceRoot, 'catalog-info.yaml');
  const entities = parseAllDocuments(
    await fs.promises.readFile(file, 'utf8'),
  ).map(document => document.toJS() as Entity);
  const find = (kind: string, name: string) => {
    const entity = entities.find(
      candidate =>
        candidate?.kind === kind && candidate.metadata?.name === name,
    );
    if (!entity) throw new Error(`${file} declares no ${kind} ${name}`);
    return entity;
  };
  return {
    component: find('Component', REFERENCE_COMPONENT),
    api: find('API', REFERENCE_API),
  };
}

/**
 * The new service's Component and API, derived from the reference entities: the same annotations
 * (renamed) the portal's dashboards read, and the same OpenAPI definition, since the new service
 * starts as the reference's code.
 */
export function serviceEntities(
  reference: { component: Entity; api: Entity },
  target: ServiceParameters,
  description: string,
): Entity[] {
  const renamer = new ServiceRenamer(target);
  const rename = (text: string) => renamer.renameText(text);
  const apiName = target.apiName;
  const annotations = Object.fromEntries(
    Object.entries(reference.component.metadata.annotations ?? {}).map(
      ([key, value]) => [key, rename(value)],
    ),
  );
  annotations[
    'github.com/project-slug'
  ] = `${target.organization}/${target.repository}`;
  annotations['titanic.io/environments'] = target.environments
    .map(
      environment => `${environment}=${target.namespacePrefix}-${environment}`,
    )
    .join(', ');

  // A new service has not been in production yet; the catalog says so until its team decides.
  const lifecycle = 'experimental';
  return [
    {
      apiVersion: reference.component.apiVersion,
      kind: 'Component',
      metadata: {
        name: target.name,
        description,
        annotations,
        tags: reference.component.metadata.tags,
        links: reference.component.metadata.links,
      },
      spec: {
        type: reference.component.spec.type,
        lifecycle,
        owner: target.owner,
        system: target.system,
        providesApis: [apiName],
      },
    },
    {
      apiVersion: reference.api.apiVersion,
      kind: 'API',
      metadata: {
        name: apiName,
        title: `${target.name} API`,
        description: reference.api.metadata.description,
      },
      spec: {
        type: reference.api.spec.type,
        lifecycle,
        owner: target.owner,
        system: target.system,
        definition: rename(
          withoutServers(String(reference.api.spec.definition)),
        ),
      },
    },
  ];
}

/**
 * The reference's document names where the reference runs (the Titanic API beside the local
 * portal); a new service runs elsewhere, so its "Try it out" must not call the reference.
 */
function withoutServers(definition: string): string {
  const { servers: _servers, ...document } = JSON.parse(definition);
  return `${JSON.stringify(document, null, 2)}\n`;
}

export function catalogInfoYaml(entities: Entity[]): string {
  return entities
    .map(entity => stringify(entity, { lineWidth: 0 }))
    .join('---\n');
}
