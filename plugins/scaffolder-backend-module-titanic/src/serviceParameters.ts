import { InputError } from '@backstage/errors';

/** The delivery environments of the reference service, in promotion order. */
export const ENVIRONMENTS = ['dev', 'staging', 'prod'] as const;
export type Environment = (typeof ENVIRONMENTS)[number];

/** What a new service chooses; everything else is inherited from the reference service. */
export interface ServiceParameters {
  /** Component, Deployment, image and directory name: a DNS-1123 label. */
  name: string;
  /** GitHub owner of the new repository, lower-cased (image repositories must be lower case). */
  organization: string;
  /** Name of the new GitHub repository (usually the service name). */
  repository: string;
  /**
   * Prefix of the Kubernetes namespaces (<prefix>-dev …) and of every AWS resource name. A new
   * service uses its own name; the reference predates that rule and uses its system's, "titanic".
   */
  namespacePrefix: string;
  /** Human-readable name: pipeline name, TechDocs site name, headings. Defaults to the name. */
  title: string;
  /** Name of the API entity the component provides. Defaults to <name>-api. */
  apiName: string;
  /** Owning group as a full entity ref, e.g. group:default/titanic-team. */
  owner: string;
  /** Catalog system the component belongs to (entity name in the default namespace). */
  system: string;
  /** AWS region every environment runs in. */
  region: string;
  /** Environments the service is delivered to, in promotion order; always ends with prod. */
  environments: Environment[];
  /** RDS instance class per selected environment. */
  databaseInstanceClasses: Partial<Record<Environment, string>>;
  /** Minimum replicas of the production HorizontalPodAutoscaler. */
  productionReplicas: number;
  /** Slack channel alerts are routed to, e.g. #titanic-service-alerts. */
  alertChannel: string;
}

// 40, not 63: the longest derived names (<name>-staging-service IAM role, <name>-service-database
// ExternalSecret, <name>-staging-alb) must stay within Kubernetes' and AWS' 63-character limits.
const MAX_NAME_LENGTH = 40;
// The production HPA scales up to 10 (maxReplicas must stay above the minimum), and its
// PodDisruptionBudget keeps 2 pods available, so fewer than 3 would block every node drain.
export const MIN_PRODUCTION_REPLICAS = 3;
export const MAX_PRODUCTION_REPLICAS = 9;

const dns1123Label = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const githubOwner = /^[a-z0-9](?:[a-z0-9]|-(?=[a-z0-9])){0,38}$/i;
const githubRepository = /^[a-z0-9._-]{1,100}$/i;
const entityName = /^[a-z0-9]([-_.a-z0-9]*[a-z0-9])?$/i;
const awsRegion = /^[a-z]{2}(-gov)?-[a-z]+-[0-9]$/;
const rdsInstanceClass = /^db\.[a-z][a-z0-9-]*\.[a-z0-9]+$/;
const slackChannel = /^#[a-z0-9][a-z0-9_-]{0,79}$/;

function fail(field: string, rule: string, value: unknown): never {
  throw new InputError(`${field} ${rule}; got ${JSON.stringify(value)}`);
}

export function validateServiceName(name: string): string {
  if (name.length > MAX_NAME_LENGTH) {
    fail(
      'name',
      `must be at most ${MAX_NAME_LENGTH} characters, so derived names such as ${name}-staging-service fit the 63-character limits`,
      name,
    );
  }
  if (!dns1123Label.test(name)) {
    fail(
      'name',
      'must be a DNS-1123 label starting with a letter: lower-case letters, digits and "-", not ending in "-"',
      name,
    );
  }
  return name;
}

/** Accepts `team`, `group:team` or `group:namespace/team`; returns the full ref. */
export function normalizeOwnerRef(owner: string): string {
  // Lower case, letters, digits and "-" only: the ref is also a Kubernetes annotation value that
  // infra's tests match, and catalog refs compare case-insensitively anyway.
  const match = /^(?:([a-z]+):)?(?:([a-z0-9-]+)\/)?([a-z0-9-]+)$/.exec(
    owner.trim().toLowerCase(),
  );
  if (!match) {
    fail(
      'owner',
      'must be an entity reference such as group:default/titanic-team',
      owner,
    );
  }
  const [, kind = 'group', namespace = 'default', name] = match;
  // The namespace's titanic.io/owner annotation binds it to a team; infra's tests require a group.
  if (kind !== 'group') {
    fail('owner', 'must be a group (the team that owns the namespaces)', owner);
  }
  return `${kind}:${namespace}/${name}`;
}

/** Validates and normalizes raw template input; every error names its field and rule. */
export function parseServiceParameters(input: {
  name: string;
  organization: string;
  repository: string;
  namespacePrefix?: string;
  title?: string;
  apiName?: string;
  owner: string;
  system: string;
  region: string;
  environments: string[];
  databaseInstanceClasses: Record<string, string | undefined>;
  productionReplicas: number;
  alertChannel: string;
}): ServiceParameters {
  const name = validateServiceName(input.name);
  if (!githubOwner.test(input.organization)) {
    fail(
      'repository owner',
      'must be a GitHub user or organization name: letters, digits and single "-", at most 39 characters',
      input.organization,
    );
  }
  if (
    !githubRepository.test(input.repository) ||
    /^\.+$/.test(input.repository)
  ) {
    fail(
      'repository name',
      'must be a GitHub repository name: letters, digits, ".", "-" or "_"',
      input.repository,
    );
  }
  const namespacePrefix = input.namespacePrefix ?? name;
  if (
    !dns1123Label.test(namespacePrefix) ||
    namespacePrefix.length > MAX_NAME_LENGTH
  ) {
    fail(
      'namespacePrefix',
      'must be a DNS-1123 label of at most 40 characters',
      namespacePrefix,
    );
  }
  const title = input.title ?? name;
  const apiName = input.apiName ?? `${name}-api`;
  const owner = normalizeOwnerRef(input.owner);
  const system = input.system.replace(/^system:(default\/)?/, '');
  if (!entityName.test(system)) {
    fail('system', 'must be the name of a catalog System', input.system);
  }
  if (!awsRegion.test(input.region)) {
    fail('region', 'must be an AWS region such as eu-west-1', input.region);
  }

  for (const environment of input.environments) {
    if (!(ENVIRONMENTS as readonly string[]).includes(environment)) {
      fail(
        'environments',
        `may only contain ${ENVIRONMENTS.join(', ')}`,
        input.environments,
      );
    }
  }
  if (!input.environments.includes('prod')) {
    fail('environments', 'must include prod', input.environments);
  }
  if (new Set(input.environments).size !== input.environments.length) {
    fail('environments', 'must not repeat an environment', input.environments);
  }
  const environments = ENVIRONMENTS.filter(environment =>
    input.environments.includes(environment),
  );

  const databaseInstanceClasses: Partial<Record<Environment, string>> = {};
  for (const environment of environments) {
    const instanceClass = input.databaseInstanceClasses[environment];
    if (!instanceClass || !rdsInstanceClass.test(instanceClass)) {
      fail(
        `databaseInstanceClasses.${environment}`,
        'must be an RDS instance class such as db.t4g.micro',
        instanceClass,
      );
    }
    databaseInstanceClasses[environment] = instanceClass;
  }

  if (
    !Number.isInteger(input.productionReplicas) ||
    input.productionReplicas < MIN_PRODUCTION_REPLICAS ||
    input.productionReplicas > MAX_PRODUCTION_REPLICAS
  ) {
    fail(
      'productionReplicas',
      `must be a whole number from ${MIN_PRODUCTION_REPLICAS} to ${MAX_PRODUCTION_REPLICAS} (the PodDisruptionBudget keeps 2 available, the autoscaler's maximum is 10)`,
      input.productionReplicas,
    );
  }
  if (!slackChannel.test(input.alertChannel)) {
    fail(
      'alertChannel',
      'must be a Slack channel such as #titanic-service-alerts: "#" then lower-case letters, digits, "-" or "_"',
      input.alertChannel,
    );
  }

  return {
    name,
    organization: input.organization.toLowerCase(),
    repository: input.repository,
    namespacePrefix,
    title,
    apiName,
    owner,
    system,
    region: input.region,
    environments,
    databaseInstanceClasses,
    productionReplicas: input.productionReplicas,
    alertChannel: input.alertChannel,
  };
}
