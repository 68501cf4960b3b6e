import { ServiceParameters } from './serviceParameters';

/**
 * One substitution from the reference service to a new one. `pattern` is matched against file
 * contents (and against paths when `paths` is set); `files` limits a rule to reference paths.
 */
export interface RenameRule {
  why: string;
  pattern: RegExp;
  replacement: (groups: string[]) => string;
  files?: RegExp;
  paths?: boolean;
}

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const ownerName = (ref: string) => ref.replace(/^.*[:/]/, '');

/**
 * The ordered rule list. All rules run in ONE pass over a text: at each position the first rule
 * that matches wins and its output is never read again, so a new name that happens to contain
 * "acme-corp" or "titanic-prod" is not renamed twice. Longer, more specific names come first.
 *
 * Deliberately unchanged: metric names (titanic_*, titanic:* recordings), the `people` table and
 * the `titanic` database, the titanic.csv data set and TITANIC_* variables (the service's code
 * contract), and the portal's annotation domain titanic.io/.
 */
export function renameRules(target: ServiceParameters): RenameRule[] {
  const ref = (kind: string) => new RegExp(escape(kind));
  const classRules: RenameRule[] = target.environments.map(environment => ({
    why: `RDS instance class of ${environment}`,
    files: new RegExp(
      `^infra/terraform/environments/${environment}/terraform\\.tfvars$`,
    ),
    pattern: /(db_instance_class\s*=\s*)"[^"\n]*"/,
    replacement: ([prefix]) =>
      `${prefix}"${target.databaseInstanceClasses[environment]}"`,
  }));

  // The cost estimate names each environment's class; a new class keeps the reference's price,
  // said so in the row, because list prices cannot be derived here.
  const costRules: RenameRule[] = target.environments.map(environment => ({
    why: `RDS instance class of ${environment} in the cost estimate`,
    files: /^docs\/cost\.md$/,
    pattern: new RegExp(
      `(?<=### ${environment}\\n(?:(?!###)[\\s\\S])*?\\| RDS PostgreSQL \\| )(db\\.[a-z0-9]+\\.[a-z0-9]+)`,
    ),
    replacement: ([reference]) => {
      const chosen = target.databaseInstanceClasses[environment]!;
      return chosen === reference
        ? reference
        : `${chosen} (priced as ${reference})`;
    },
  }));

  return [
    {
      why: 'alert routing: the Slack channel of the AlertmanagerConfig receiver',
      pattern: ref('#titanic-service-alerts'),
      replacement: () => target.alertChannel,
    },
    {
      why: 'repository URLs (TechDocs repo_url, docs links) name the repository, not the image',
      pattern: ref('github.com/acme-corp/titanic-service'),
      replacement: () =>
        `github.com/${target.organization}/${target.repository}`,
    },
    {
      why: 'GitHub slug, image repository (ghcr.io/<org>/<name>) and ECR repository',
      pattern: ref('acme-corp/titanic-service'),
      replacement: () => `${target.organization}/${target.name}`,
      paths: true,
    },
    {
      why: 'SonarCloud project key',
      pattern: ref('acme-corp_titanic-service'),
      replacement: () => `${target.organization}_${target.name}`,
    },
    {
      why: 'owning group as an entity ref (catalog, namespace titanic.io/owner annotation)',
      pattern: ref('group:default/titanic-team'),
      replacement: () => target.owner,
    },
    {
      why: 'owning group by name (Helm chart maintainers, production reviewers in the docs)',
      pattern: /\btitanic-team\b/,
      replacement: () => ownerName(target.owner),
    },
    {
      why: 'the service: directory, workflow file, Helm chart, Deployment, container, labels, state keys',
      pattern: ref('titanic-service'),
      replacement: () => target.name,
      paths: true,
    },
    {
      why: 'the API entity the component provides',
      pattern: ref('titanic-api'),
      replacement: () => target.apiName,
    },
    {
      why: 'namespaces and per-environment AWS names (titanic-prod, rds!db-titanic-dev, titanic-staging.example.com)',
      pattern: /\btitanic-(dev|staging|prod)\b/,
      replacement: ([environment]) =>
        `${target.namespacePrefix}-${environment}`,
    },
    {
      why: 'the same names written with a placeholder environment (infra tests, docs)',
      pattern: /\btitanic-(?=\$\{environment\}|ENV\b|<environment>|<env>)/,
      replacement: () => `${target.namespacePrefix}-`,
    },
    {
      why: 'production host name',
      pattern: /\btitanic\.example\.com\b/,
      replacement: () => `${target.namespacePrefix}.example.com`,
    },
    {
      why: 'Terraform prefix of every AWS resource and namespace, so they stay <name>-<env>',
      files: /^infra\/terraform\/environments\/[^/]+\/variables\.tf$/,
      pattern: /(variable "system_name" \{[^}]*?default\s*=\s*)"titanic"/,
      replacement: ([prefix]) => `${prefix}"${target.namespacePrefix}"`,
    },
    {
      why: 'the same prefix as Helm systemName, the part-of label and the base Namespace',
      pattern:
        /(app\.kubernetes\.io\/part-of: |^systemName: |^kind: Namespace\nmetadata:\n {2}name: )titanic$/m,
      replacement: ([prefix]) => `${prefix}${target.namespacePrefix}`,
    },
    {
      why: 'human-readable name (pipeline name, TechDocs site, headings)',
      pattern: /\bTitanic service\b/,
      replacement: () => target.title,
    },
    {
      why: 'GitHub organization (repository URLs, SonarCloud organization, state bucket)',
      pattern: ref('acme-corp'),
      replacement: () => target.organization,
    },
    {
      why: "the cost estimate quotes eu-west-1 list prices: its region is the prices' source",
      files: /^docs\/cost\.md$/,
      pattern: ref('eu-west-1'),
      replacement: () => 'eu-west-1',
    },
    {
      why: 'AWS region (tfvars, state bucket region, ARNs, RDS host names)',
      pattern: ref('eu-west-1'),
      replacement: () => target.region,
    },
    ...classRules,
    ...costRules,
    {
      why: 'production minimum replicas (kustomize prod overlay)',
      files: /^infra\/k8s\/overlays\/prod\/autoscaling\.yaml$/,
      pattern: /(minReplicas: )\d+/,
      replacement: ([prefix]) => `${prefix}${target.productionReplicas}`,
    },
    {
      why: 'production minimum replicas (Helm prod values)',
      files: /^infra\/helm\/titanic-service\/values-prod\.yaml$/,
      pattern: /(\n {2}minReplicas: )\d+/,
      replacement: ([prefix]) => `${prefix}${target.productionReplicas}`,
    },
    {
      why: 'production minimum replicas (architecture chapter)',
      files: /^docs\/architecture\.md$/,
      pattern: /(min \d+\/\d+\/)\d+( replicas)/,
      replacement: ([prefix, suffix]) =>
        `${prefix}${target.productionReplicas}${suffix}`,
    },
  ];
}

function captureCount(pattern: RegExp): number {
  return new RegExp(`${pattern.source}|`).exec('')!.length - 1;
}

/** Compiles rules into one alternation, remembering where each rule's groups start. */
function compile(rules: RenameRule[]) {
  let offset = 1;
  const slots = rules.map(rule => {
    const slot = { rule, index: offset, groups: captureCount(rule.pattern) };
    offset += slot.groups + 1;
    return slot;
  });
  const flags = rules.some(rule => rule.pattern.multiline) ? 'gm' : 'g';
  const combined = new RegExp(
    rules.map(rule => `(${rule.pattern.source})`).join('|'),
    flags,
  );
  return (text: string) =>
    text.replace(combined, (...args) => {
      const slot = slots.find(candidate => args[candidate.index] !== undefined);
      if (!slot) return args[0];
      const groups = args.slice(slot.index + 1, slot.index + 1 + slot.groups);
      return slot.rule.replacement(groups);
    });
}

/** Renames the reference service to `target` in file contents and paths. */
export class ServiceRenamer {
  private readonly rules: RenameRule[];
  private readonly byFile = new Map<string, (text: string) => string>();
  private readonly pathRenamer: (text: string) => string;

  constructor(target: ServiceParameters) {
    this.rules = renameRules(target);
    this.pathRenamer = compile(this.rules.filter(rule => rule.paths));
  }

  /** A reference-relative path (posix) as it is named in the new repository. */
  renamePath(referencePath: string): string {
    return this.pathRenamer(referencePath);
  }

  /** The contents of a reference file, renamed; `referencePath` selects file-scoped rules. */
  renameText(text: string, referencePath = ''): string {
    const applicable = this.rules.filter(
      rule => !rule.files || rule.files.test(referencePath),
    );
    const key = applicable.map(rule => this.rules.indexOf(rule)).join(',');
    let rename = this.byFile.get(key);
    if (!rename) {
      rename = compile(applicable);
      this.byFile.set(key, rename);
    }
    return rename(text);
  }
}

/** Old names that must not survive in a service scaffolded under other names. */
export const LEFTOVER_PATTERNS: RegExp[] = [
  /titanic-service/,
  /acme-corp/,
  /titanic-(dev|staging|prod)\b/,
  /titanic-team/,
];
