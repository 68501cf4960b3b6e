import {
  ENVIRONMENTS,
  Environment,
  ServiceParameters,
} from './serviceParameters';
import { ServiceFile } from './serviceFile';

/** Reference files that exist for one environment only. */
function belongsTo(referencePath: string, environment: Environment): boolean {
  return (
    referencePath.startsWith(`infra/k8s/overlays/${environment}/`) ||
    referencePath.startsWith(`infra/terraform/environments/${environment}/`) ||
    referencePath === `infra/helm/titanic-service/values-${environment}.yaml`
  );
}

const deployJobOf: Record<Environment, string> = {
  dev: 'deploy-dev',
  staging: 'deploy-staging',
  prod: 'deploy-production',
};
/** The GitHub environment each deploy job names (`environment: production` for prod). */
export const githubEnvironmentOf: Record<Environment, string> = {
  dev: 'dev',
  staging: 'staging',
  prod: 'production',
};

/** Drops a deploy job; production without staging follows the last gate, Trivy, directly. */
function withoutDeployJobs(workflow: string, removed: Environment[]): string {
  let text = workflow;
  for (const environment of removed) {
    text = text.replace(
      new RegExp(
        `\\n\\n {2}${deployJobOf[environment]}:\\n[\\s\\S]*?(?=\\n\\n {2}[a-z][\\w-]*:\\n|\\n?$)`,
      ),
      '',
    );
  }
  if (removed.includes('staging')) {
    text = text.replace(
      /(\n {2}deploy-production:\n(?: {4}.*\n)*? {4}needs: )\[build, deploy-staging\]/,
      '$1[build, trivy]',
    );
  }
  return text;
}

/** Drops an environment's cost section and overview row, and re-adds the overview total. */
function withoutCosts(cost: string, removed: Environment[]): string {
  let text = cost;
  for (const environment of removed) {
    text = text
      .replace(new RegExp(`### ${environment}\\n[\\s\\S]*?(?=### )`), '')
      .replace(new RegExp(`^\\| ${environment} \\| [\\d.]+ \\|\\n`, 'm'), '');
  }
  return text.replace(
    /(### All environments\n[\s\S]*?)(\| \*\*Total\*\* \| \*\*)[\d.]+(\*\* \|)/,
    (_match, overview: string, prefix: string, suffix: string) => {
      const sum = [...overview.matchAll(/^\| [a-z]+ \| ([\d.]+) \|$/gm)]
        .map(([, amount]) => Number(amount))
        .reduce((total, amount) => total + amount, 0);
      return `${overview}${prefix}${sum.toFixed(2)}${suffix}`;
    },
  );
}

/** Drops an environment's row from the GitHub environments table of the setup chapter. */
function withoutGithubEnvironments(
  setup: string,
  removed: Environment[],
): string {
  return removed.reduce(
    (text, environment) =>
      text.replace(
        new RegExp(
          `^\\| \`${githubEnvironmentOf[environment]}\` \\|.*\\n`,
          'm',
        ),
        '',
      ),
    setup,
  );
}

/**
 * Removes the environments a service does not use: their overlays, Terraform environments, Helm
 * values, deploy jobs, cost sections and GitHub environment rows. infra's tests read the
 * environments from the Terraform directories, so they check exactly what is left.
 */
export function pruneEnvironments(
  files: ServiceFile[],
  target: ServiceParameters,
): ServiceFile[] {
  const removed = ENVIRONMENTS.filter(
    environment => !target.environments.includes(environment),
  );
  if (removed.length === 0) return files;
  const transforms: Record<string, (text: string) => string> = {
    '.github/workflows/titanic-service.yml': text =>
      withoutDeployJobs(text, removed),
    'docs/cost.md': text => withoutCosts(text, removed),
    'docs/setup.md': text => withoutGithubEnvironments(text, removed),
  };
  return files
    .filter(
      file =>
        !removed.some(environment =>
          belongsTo(file.referencePath, environment),
        ),
    )
    .map(file => {
      const transform = transforms[file.referencePath];
      return transform
        ? {
            ...file,
            content: Buffer.from(transform(file.content.toString('utf8'))),
          }
        : file;
    });
}
