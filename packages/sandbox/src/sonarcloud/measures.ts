import { SandboxWorld } from '../world/sandboxWorld';
import { findBranch, findProject } from './components';
import { SonarError, required } from './sonarError';

/* api/measures: a component's measures, `new_*` metrics as the new-code period's values. */

const METRICS: Record<
  string,
  { name: string; type: string; domain: string; higherValuesAreBetter: boolean }
> = {
  coverage: {
    name: 'Coverage',
    type: 'PERCENT',
    domain: 'Coverage',
    higherValuesAreBetter: true,
  },
  line_coverage: {
    name: 'Line Coverage',
    type: 'PERCENT',
    domain: 'Coverage',
    higherValuesAreBetter: true,
  },
  lines_to_cover: {
    name: 'Lines to Cover',
    type: 'INT',
    domain: 'Coverage',
    higherValuesAreBetter: false,
  },
  uncovered_lines: {
    name: 'Uncovered Lines',
    type: 'INT',
    domain: 'Coverage',
    higherValuesAreBetter: false,
  },
  new_coverage: {
    name: 'Coverage on New Code',
    type: 'PERCENT',
    domain: 'Coverage',
    higherValuesAreBetter: true,
  },
  new_lines_to_cover: {
    name: 'Lines to Cover on New Code',
    type: 'INT',
    domain: 'Coverage',
    higherValuesAreBetter: false,
  },
  new_uncovered_lines: {
    name: 'Uncovered Lines on New Code',
    type: 'INT',
    domain: 'Coverage',
    higherValuesAreBetter: false,
  },
  ncloc: {
    name: 'Lines of Code',
    type: 'INT',
    domain: 'Size',
    higherValuesAreBetter: false,
  },
  bugs: {
    name: 'Bugs',
    type: 'INT',
    domain: 'Reliability',
    higherValuesAreBetter: false,
  },
  new_bugs: {
    name: 'New Bugs',
    type: 'INT',
    domain: 'Reliability',
    higherValuesAreBetter: false,
  },
  vulnerabilities: {
    name: 'Vulnerabilities',
    type: 'INT',
    domain: 'Security',
    higherValuesAreBetter: false,
  },
  new_vulnerabilities: {
    name: 'New Vulnerabilities',
    type: 'INT',
    domain: 'Security',
    higherValuesAreBetter: false,
  },
  code_smells: {
    name: 'Code Smells',
    type: 'INT',
    domain: 'Maintainability',
    higherValuesAreBetter: false,
  },
  new_code_smells: {
    name: 'New Code Smells',
    type: 'INT',
    domain: 'Maintainability',
    higherValuesAreBetter: false,
  },
  security_hotspots: {
    name: 'Security Hotspots',
    type: 'INT',
    domain: 'SecurityReview',
    higherValuesAreBetter: false,
  },
  duplicated_lines_density: {
    name: 'Duplicated Lines (%)',
    type: 'PERCENT',
    domain: 'Duplications',
    higherValuesAreBetter: false,
  },
  new_duplicated_lines_density: {
    name: 'Duplicated Lines on New Code (%)',
    type: 'PERCENT',
    domain: 'Duplications',
    higherValuesAreBetter: false,
  },
  sqale_rating: {
    name: 'Maintainability Rating',
    type: 'RATING',
    domain: 'Maintainability',
    higherValuesAreBetter: false,
  },
  reliability_rating: {
    name: 'Reliability Rating',
    type: 'RATING',
    domain: 'Reliability',
    higherValuesAreBetter: false,
  },
  security_rating: {
    name: 'Security Rating',
    type: 'RATING',
    domain: 'Security',
    higherValuesAreBetter: false,
  },
  alert_status: {
    name: 'Quality Gate Status',
    type: 'LEVEL',
    domain: 'Releasability',
    higherValuesAreBetter: true,
  },
};

export function measures(world: SandboxWorld, query: URLSearchParams) {
  const project = findProject(world, required(query, 'component'));
  const branch = findBranch(project, query.get('branch'));
  const keys = required(query, 'metricKeys')
    .split(',')
    .map(k => k.trim())
    .filter(Boolean);
  const unknown = keys.filter(k => !METRICS[k]);
  if (unknown.length > 0)
    throw new SonarError(
      404,
      `The following metric keys are not found: ${unknown.join(', ')}`,
    );
  const rendered = keys
    .map(metric => {
      if (metric.startsWith('new_')) {
        const value = branch.newCodeMeasures[metric] ?? branch.measures[metric];
        return value === undefined
          ? null
          : {
              metric,
              period: { index: 1, value, bestValue: false },
              periods: [{ index: 1, value, bestValue: false }],
            };
      }
      const value = branch.measures[metric];
      return value === undefined
        ? null
        : { metric, value, bestValue: value === '0' || value === '100.0' };
    })
    .filter(Boolean);
  const additional = (query.get('additionalFields') ?? '').split(',');
  return {
    component: {
      key: project.key,
      name: project.name,
      qualifier: 'TRK',
      ...(query.get('branch') ? { branch: branch.name } : {}),
      measures: rendered,
    },
    ...(additional.includes('metrics')
      ? {
          metrics: keys.map(key => ({
            key,
            name: METRICS[key].name,
            description: METRICS[key].name,
            domain: METRICS[key].domain,
            type: METRICS[key].type,
            higherValuesAreBetter: METRICS[key].higherValuesAreBetter,
            qualitative: true,
            hidden: false,
          })),
        }
      : {}),
    ...(additional.includes('period') || additional.includes('periods')
      ? {
          period: { mode: 'PREVIOUS_VERSION', date: branch.periodDate },
          periods: [
            { index: 1, mode: 'PREVIOUS_VERSION', date: branch.periodDate },
          ],
        }
      : {}),
  };
}
