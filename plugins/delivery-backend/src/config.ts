import { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';

export interface GateConfig {
  id: string;
  title: string;
  /** Job name patterns; `*` matches anything, case-insensitive. */
  jobs: string[];
}

export interface DeliveryConfig {
  githubHost?: string;
  workflow?: string;
  freshSeconds: number;
  keepSeconds: number;
  gates: GateConfig[];
  sonarcloud: { baseUrl: string; token?: string };
  trendRuns: number;
  accessSeconds: number;
}

/** The titanic pipeline's job names as the jobs API reports them (see the team contract). */
export const DEFAULT_GATES: GateConfig[] = [
  { id: 'gitleaks', title: 'Gitleaks', jobs: ['Gitleaks / *', 'Gitleaks'] },
  { id: 'checkov', title: 'Checkov', jobs: ['Checkov / *', 'Checkov'] },
  {
    id: 'sonarcloud',
    title: 'SonarCloud',
    jobs: ['SonarCloud / *', 'SonarCloud'],
  },
  { id: 'tests', title: 'Tests & coverage', jobs: ['Tests & lint', 'Tests*'] },
  { id: 'build', title: 'Build', jobs: ['Build image', 'Build*'] },
  { id: 'trivy', title: 'Trivy', jobs: ['Trivy / *', 'Trivy'] },
  { id: 'deploy', title: 'Deploy', jobs: ['Deploy *'] },
];

export const DEFAULT_SONARCLOUD_BASE_URL = 'https://sonarcloud.io';

export function readDeliveryConfig(config: Config): DeliveryConfig {
  const delivery = config.getOptionalConfig('delivery');
  const gates = delivery?.getOptionalConfigArray('gates')?.map(gate => ({
    id: gate.getString('id'),
    title: gate.getString('title'),
    jobs: gate.getStringArray('jobs'),
  }));
  if (gates) {
    const ids = gates.map(g => g.id);
    const duplicate = ids.find((id, index) => ids.indexOf(id) !== index);
    if (duplicate) {
      throw new InputError(
        `delivery.gates: gate id "${duplicate}" appears twice`,
      );
    }
  }
  const positive = (key: string, fallback: number) => {
    const value = delivery?.getOptionalNumber(key) ?? fallback;
    if (!(value >= 0)) {
      throw new InputError(`delivery.${key} must be a number ≥ 0`);
    }
    return value;
  };
  return {
    githubHost: delivery?.getOptionalString('github.host'),
    workflow: delivery?.getOptionalString('github.workflow'),
    freshSeconds: positive('cache.freshSeconds', 60),
    keepSeconds: positive('cache.keepSeconds', 7 * 24 * 3600),
    gates: gates ?? DEFAULT_GATES,
    sonarcloud: {
      baseUrl: (
        delivery?.getOptionalString('sonarcloud.baseUrl') ??
        DEFAULT_SONARCLOUD_BASE_URL
      ).replace(/\/+$/, ''),
      token: delivery?.getOptionalString('sonarcloud.token'),
    },
    trendRuns: Math.max(1, Math.min(50, positive('trendRuns', 10))),
    accessSeconds: positive('cache.accessSeconds', 5),
  };
}
