import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';
import {
  ENVIRONMENTS_ANNOTATION,
  deliveryError,
} from '@internal/plugin-delivery-common';
import { DeploymentLocation } from '../kubernetes/clusters';

/** Where one of an entity's environments runs and which GitHub environment deploys it. */
export interface EnvironmentBinding extends DeploymentLocation {
  githubEnvironment: string;
}

/**
 * `delivery.environments` entries. `namespace` and `deployment` are templates: `{component}` is the
 * entity's name, `{system}` its spec.system (else its name), `{environment}` the environment's
 * name, `{kubernetesId}` its backstage.io/kubernetes-id annotation (else its name).
 */
export interface EnvironmentTemplate {
  name: string;
  githubEnvironment: string;
  cluster?: string;
  namespace: string;
  deployment: string;
  /** Distinct people who must approve a deployment to its GitHub environment; default 1. */
  minimumApprovals?: number;
}

export const DEFAULT_ENVIRONMENTS: EnvironmentTemplate[] = [
  {
    name: 'dev',
    githubEnvironment: 'dev',
    namespace: '{component}-{environment}',
    deployment: '{kubernetesId}',
  },
  {
    name: 'staging',
    githubEnvironment: 'staging',
    namespace: '{component}-{environment}',
    deployment: '{kubernetesId}',
  },
  {
    name: 'prod',
    githubEnvironment: 'production',
    namespace: '{component}-{environment}',
    deployment: '{kubernetesId}',
  },
];

const NAME = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;

function fill(template: string, values: Record<string, string>): string {
  return template.replace(
    /\{(\w+)\}/g,
    (whole, key: string) => values[key] ?? whole,
  );
}

/**
 * The entity's environments in pipeline order: the `titanic.io/environments` annotation
 * (`name=[cluster/]namespace, ...`) when present, else `delivery.environments` (default
 * dev/staging/prod in `<component>-<env>`). Annotation names that match a configured
 * environment keep its GitHub environment and deployment name.
 */
export function environmentsOfEntity(
  entity: Entity,
  templates: EnvironmentTemplate[],
  defaultCluster: string | undefined,
): EnvironmentBinding[] {
  const ref = stringifyEntityRef(entity);
  const annotations = entity.metadata.annotations ?? {};
  const spec = (entity.spec ?? {}) as { system?: unknown };
  const values = {
    component: entity.metadata.name,
    system:
      typeof spec.system === 'string'
        ? spec.system.replace(/^.*[:/]/, '')
        : entity.metadata.name,
    kubernetesId:
      annotations['backstage.io/kubernetes-id'] ?? entity.metadata.name,
  };
  const resolve = (
    template: EnvironmentTemplate,
    override?: { cluster?: string; namespace: string },
  ) => {
    const filled = { ...values, environment: template.name };
    const cluster = override?.cluster ?? template.cluster ?? defaultCluster;
    if (!cluster) {
      throw new InputError(
        `No Kubernetes cluster for ${ref}'s ${template.name} environment: configure delivery.kubernetes.clusters`,
      );
    }
    return {
      name: template.name,
      githubEnvironment: template.githubEnvironment,
      cluster,
      namespace: override?.namespace ?? fill(template.namespace, filled),
      deploymentName: fill(template.deployment, filled),
    };
  };

  const annotation = annotations[ENVIRONMENTS_ANNOTATION];
  if (annotation === undefined) {
    return templates.map(template => resolve(template));
  }
  const entries = annotation
    .split(',')
    .map(e => e.trim())
    .filter(Boolean);
  if (entries.length === 0) {
    throw new InputError(
      `${ref}'s ${ENVIRONMENTS_ANNOTATION} annotation names no environment`,
    );
  }
  const seen = new Set<string>();
  return entries.map(entry => {
    const match = /^([^=\s]+)\s*=\s*(?:([^/\s]+)\/)?([^/\s]+)$/.exec(entry);
    if (!match || !NAME.test(match[1]) || !NAME.test(match[3])) {
      throw new InputError(
        `${ref}'s ${ENVIRONMENTS_ANNOTATION} annotation has "${entry}"; expected name=[cluster/]namespace, e.g. prod=titanic-prod`,
      );
    }
    const [, name, cluster, namespace] = match;
    if (seen.has(name)) {
      throw new InputError(
        `${ref}'s ${ENVIRONMENTS_ANNOTATION} annotation names "${name}" twice`,
      );
    }
    seen.add(name);
    const template = templates.find(t => t.name === name) ?? {
      name,
      githubEnvironment: name,
      namespace,
      deployment: '{kubernetesId}',
    };
    return resolve(template, { cluster, namespace });
  });
}

/** An entity's environments under the configured templates and default cluster. */
export class EnvironmentBindings {
  constructor(
    private readonly templates: EnvironmentTemplate[],
    private readonly defaultCluster: string | undefined,
  ) {}

  /** The entity's environments, in pipeline order. */
  of(entity: Entity): EnvironmentBinding[] {
    return environmentsOfEntity(entity, this.templates, this.defaultCluster);
  }

  /** One environment of the entity, by name; 404 unknown-environment naming the ones it has. */
  named(entity: Entity, environment: string): EnvironmentBinding {
    const bindings = this.of(entity);
    const binding = bindings.find(b => b.name === environment);
    if (!binding) {
      throw deliveryError(
        'unknown-environment',
        `${stringifyEntityRef(
          entity,
        )} has no environment "${environment}" (environments: ${bindings
          .map(b => b.name)
          .join(', ')})`,
      );
    }
    return binding;
  }
}
