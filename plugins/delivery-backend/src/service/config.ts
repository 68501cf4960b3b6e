import { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';
import {
  ScmIntegrationRegistry,
  ScmIntegrations,
} from '@backstage/integration';
import {
  DEFAULT_ENVIRONMENTS,
  EnvironmentTemplate,
} from '../environments/environmentBindings';
import { ClusterConfig } from '../kubernetes/clusters';
import { DEFAULT_GATES, GateConfig } from '../pipeline/gateMapping';
import { readWebhookSettings } from '../webhooks/webhookSettings';

/*
 * Every configuration the delivery backend reads (config.d.ts describes it), read and validated
 * here once at startup, so a mistake fails the backend's start with the key that is wrong.
 */

function reviewWith(value: string | undefined): 'portal' | 'reviewer' {
  if (value === undefined || value === 'portal' || value === 'reviewer') {
    return value ?? 'portal';
  }
  throw new Error(
    `delivery.github.reviewWith must be portal or reviewer, not "${value}"`,
  );
}

/** The protection rule is asked through signed webhooks only: without a secret it could never be. */
function protectionRule(config: Config, enabled: boolean): boolean {
  if (enabled && readWebhookSettings(config).secrets.length === 0) {
    throw new InputError(
      'delivery.github.protectionRule.enabled needs signed GitHub webhooks: configure ' +
        'events.modules.github.webhookSecret or integrations.github[].apps[].webhookSecret',
    );
  }
  return enabled;
}

export interface DeliveryConfig {
  github: {
    /** The integrations.github host the entities' repositories live on. */
    host: string;
    /** Only this workflow file's runs count as the pipeline. */
    workflow?: string;
    /**
     * Whose GitHub identity reviews a waiting deployment: the portal's own (`portal`, naming the
     * person in the comment), or the signed-in person's (`reviewer`: their GitHub token, from the
     * GitHub sign-in, comes with the review request only, so GitHub enforces its own rules).
     */
    reviewWith: 'portal' | 'reviewer';
    /**
     * Whether the portal is a custom deployment protection rule (its GitHub App): GitHub's
     * deployment_protection_rule webhooks are recorded as gates, and a run a gate holds is
     * decided through GitHub's callback as the App, whatever `reviewWith` says.
     */
    protectionRule: boolean;
    integrations: ScmIntegrationRegistry;
  };
  /** Seconds answers are served without asking GitHub or SonarCloud. */
  freshSeconds: number;
  /** Seconds answers are kept for revalidation and as stale fallback. */
  keepSeconds: number;
  /** Seconds a caller's entity lookup and read decision are reused. */
  accessSeconds: number;
  webhooks: {
    /** While GitHub's webhooks arrive, how long answers are served without asking GitHub. */
    safetyNetSeconds: number;
  };
  gates: GateConfig[];
  sonarcloud: { baseUrl: string; token?: string };
  trendRuns: number;
  kubernetes: {
    clusters: ClusterConfig[];
    /** How long one read of a Deployment serves concurrent viewers. */
    snapshotMs: number;
  };
  environments: EnvironmentTemplate[];
  rollback: {
    followIntervalMs: number;
    followTimeoutMs: number;
    /** How often some replica looks for rollbacks nobody follows any more. */
    sweepIntervalMs: number;
  };
  insights: {
    /** Our name of the production environment (one of `environments`). */
    environment: string;
    /** The GitHub environment production deploys to. */
    githubEnvironment: string;
    fixWindowHours: number;
    fixPattern: string;
    backfillDays: number;
    maxDeployments: number;
    maxRuns: number;
    /** How often known repositories are read again until the events path keeps them current; 0: never. */
    refreshMinutes: number;
  };
  /**
   * The `url:` locations the portal's own configuration registers (`catalog.locations`): entities
   * read from them may act on the repositories they name.
   */
  configuredLocations: string[];
}

export const DEFAULT_SONARCLOUD_BASE_URL = 'https://sonarcloud.io';

/** Refuses a list naming the same thing twice. */
function unique<T>(
  items: T[],
  key: (item: T) => string,
  twice: (duplicate: string) => string,
): T[] {
  const keys = items.map(key);
  const duplicate = keys.find((k, index) => keys.indexOf(k) !== index);
  if (duplicate !== undefined) throw new InputError(twice(duplicate));
  return items;
}

/** At least one approval, and no more than a team can give. */
function minimumApprovals(
  environment: string,
  value: number | undefined,
): number {
  if (value === undefined) return 1;
  if (!Number.isInteger(value) || value < 1 || value > 10) {
    throw new InputError(
      `delivery.environments: "${environment}" minimumApprovals must be a whole number from 1 to 10, not ${value}`,
    );
  }
  return value;
}

export function readDeliveryConfig(config: Config): DeliveryConfig {
  const delivery = config.getOptionalConfig('delivery');
  const atLeastZero = (key: string, fallback: number) => {
    const value = delivery?.getOptionalNumber(key) ?? fallback;
    if (!(value >= 0)) {
      throw new InputError(`delivery.${key} must be a number ≥ 0`);
    }
    return value;
  };
  const gates = delivery?.getOptionalConfigArray('gates')?.map(gate => ({
    id: gate.getString('id'),
    title: gate.getString('title'),
    jobs: gate.getStringArray('jobs'),
  }));
  const clusters =
    delivery?.getOptionalConfigArray('kubernetes.clusters')?.map(cluster => ({
      name: cluster.getString('name'),
      url: cluster.getString('url').replace(/\/+$/, ''),
      serviceAccountToken: cluster.getString('serviceAccountToken'),
      skipTLSVerify: cluster.getOptionalBoolean('skipTLSVerify') ?? false,
      caData: cluster.getOptionalString('caData'),
    })) ?? [];
  const environments = delivery
    ?.getOptionalConfigArray('environments')
    ?.map(environment => {
      const name = environment.getString('name');
      return {
        name,
        githubEnvironment:
          environment.getOptionalString('githubEnvironment') ?? name,
        cluster: environment.getOptionalString('cluster'),
        namespace:
          environment.getOptionalString('namespace') ??
          '{component}-{environment}',
        deployment:
          environment.getOptionalString('deployment') ?? '{kubernetesId}',
        minimumApprovals: minimumApprovals(
          name,
          environment.getOptionalNumber('minimumApprovals'),
        ),
      };
    });
  const insights = readInsightsConfig(
    environments ?? DEFAULT_ENVIRONMENTS,
    (key, fallback) => atLeastZero(`insights.${key}`, fallback),
    delivery?.getOptionalString('insights.environment'),
    delivery?.getOptionalString('insights.fixPattern'),
  );
  const firstGitHubHost = config
    .getOptionalConfigArray('integrations.github')?.[0]
    ?.getOptionalString('host');
  return {
    github: {
      host:
        delivery?.getOptionalString('github.host') ??
        firstGitHubHost ??
        'github.com',
      workflow: delivery?.getOptionalString('github.workflow'),
      reviewWith: reviewWith(delivery?.getOptionalString('github.reviewWith')),
      protectionRule: protectionRule(
        config,
        delivery?.getOptionalBoolean('github.protectionRule.enabled') ?? false,
      ),
      integrations: ScmIntegrations.fromConfig(config),
    },
    freshSeconds: atLeastZero('cache.freshSeconds', 60),
    keepSeconds: atLeastZero('cache.keepSeconds', 7 * 24 * 3600),
    accessSeconds: atLeastZero('cache.accessSeconds', 5),
    webhooks: {
      safetyNetSeconds: atLeastZero('webhooks.safetyNetSeconds', 300),
    },
    gates: gates
      ? unique(
          gates,
          g => g.id,
          id => `delivery.gates: gate id "${id}" appears twice`,
        )
      : DEFAULT_GATES,
    sonarcloud: {
      baseUrl: (
        delivery?.getOptionalString('sonarcloud.baseUrl') ??
        DEFAULT_SONARCLOUD_BASE_URL
      ).replace(/\/+$/, ''),
      token: delivery?.getOptionalString('sonarcloud.token'),
    },
    trendRuns: Math.max(1, Math.min(50, atLeastZero('trendRuns', 10))),
    kubernetes: {
      clusters: unique(
        clusters,
        c => c.name,
        name => `delivery.kubernetes.clusters: cluster "${name}" appears twice`,
      ),
      snapshotMs: atLeastZero('kubernetes.cacheMilliseconds', 2000),
    },
    environments: unique(
      environments ?? DEFAULT_ENVIRONMENTS,
      e => e.name,
      name => `delivery.environments: "${name}" appears twice`,
    ),
    rollback: {
      followIntervalMs: atLeastZero('rollback.followIntervalMilliseconds', 250),
      followTimeoutMs: atLeastZero('rollback.followTimeoutSeconds', 900) * 1000,
      sweepIntervalMs:
        Math.max(1, atLeastZero('rollback.sweepIntervalSeconds', 10)) * 1000,
    },
    insights,
    configuredLocations:
      config
        .getOptionalConfigArray('catalog.locations')
        ?.filter(location => location.getString('type') === 'url')
        .map(location => `url:${location.getString('target')}`) ?? [],
  };
}

/** The production environment's GitHub name and how its history is read and judged. */
function readInsightsConfig(
  environments: EnvironmentTemplate[],
  atLeastZero: (key: string, fallback: number) => number,
  environmentName: string | undefined,
  fixPattern: string | undefined,
): DeliveryConfig['insights'] {
  const name =
    environmentName ??
    (environments.some(e => e.name === 'prod')
      ? 'prod'
      : environments[environments.length - 1]?.name ?? 'prod');
  const environment = environments.find(e => e.name === name);
  if (!environment) {
    throw new InputError(
      `delivery.insights.environment "${name}" is none of delivery.environments (${environments
        .map(e => e.name)
        .join(', ')})`,
    );
  }
  let pattern: string;
  try {
    pattern = new RegExp(fixPattern ?? '^(fix|hotfix|revert)\\b|^hotfix/', 'i')
      .source;
  } catch (error) {
    throw new InputError(
      `delivery.insights.fixPattern is not a regular expression: ${
        (error as Error).message
      }`,
    );
  }
  return {
    environment: name,
    githubEnvironment: environment.githubEnvironment,
    fixWindowHours: atLeastZero('fixWindowHours', 24),
    fixPattern: pattern,
    backfillDays: Math.max(1, atLeastZero('backfillDays', 180)),
    maxDeployments: Math.max(1, atLeastZero('maxDeployments', 500)),
    maxRuns: Math.max(1, atLeastZero('maxRuns', 500)),
    refreshMinutes: atLeastZero('refreshMinutes', 10),
  };
}
