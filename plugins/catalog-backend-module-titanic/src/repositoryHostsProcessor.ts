import { Entity } from '@backstage/catalog-model';
import { CatalogProcessor } from '@backstage/plugin-catalog-node';

/**
 * On a Template, `titanic.io/repository-hosts: github` makes every RepoUrlPicker field without
 * its own `allowedHosts` offer the portal's configured GitHub integrations: github.com in
 * production, the sandbox GitHub locally. The picker offers no host at all without allowedHosts,
 * and a template file cannot know which integrations a portal has.
 */
export const REPOSITORY_HOSTS_ANNOTATION = 'titanic.io/repository-hosts';

type JsonObject = Record<string, unknown>;

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function withHosts(step: unknown, hosts: string[]): unknown {
  if (!isObject(step) || !isObject(step.properties)) return step;
  const properties = Object.fromEntries(
    Object.entries(step.properties).map(([name, property]) => {
      if (!isObject(property) || property['ui:field'] !== 'RepoUrlPicker') {
        return [name, property];
      }
      const options = isObject(property['ui:options'])
        ? property['ui:options']
        : {};
      if (options.allowedHosts !== undefined) return [name, property];
      return [
        name,
        { ...property, 'ui:options': { ...options, allowedHosts: hosts } },
      ];
    }),
  );
  return { ...step, properties };
}

export class RepositoryHostsProcessor implements CatalogProcessor {
  constructor(private readonly githubHosts: string[]) {}

  getProcessorName(): string {
    return 'TitanicRepositoryHostsProcessor';
  }

  async preProcessEntity(entity: Entity): Promise<Entity> {
    if (
      entity.kind !== 'Template' ||
      entity.metadata.annotations?.[REPOSITORY_HOSTS_ANNOTATION] !== 'github' ||
      !isObject(entity.spec)
    ) {
      return entity;
    }
    const parameters = entity.spec.parameters;
    const steps = Array.isArray(parameters)
      ? parameters.map(step => withHosts(step, this.githubHosts))
      : withHosts(parameters, this.githubHosts);
    return { ...entity, spec: { ...entity.spec, parameters: steps } } as Entity;
  }
}
