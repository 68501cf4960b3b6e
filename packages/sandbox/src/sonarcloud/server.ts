import { createHash } from 'node:crypto';
import http from 'node:http';
import { listen } from '../http/listen';
import {
  SonarBranchRecord,
  SonarIssueRecord,
  SonarProjectRecord,
} from '../world/records';
import { SandboxWorld } from '../world/sandboxWorld';

/*
 * The SonarCloud Web API subset the portal needs to explain a quality gate:
 * api/qualitygates/project_status, api/measures/component and api/issues/search.
 */

export interface SonarServerOptions {
  host?: string;
  port?: number;
  world?: SandboxWorld;
}

export interface SonarSandbox {
  /** Use as the SonarCloud base URL (instead of https://sonarcloud.io). */
  baseUrl: string;
  world: SandboxWorld;
  close(): Promise<void>;
}

class SonarError extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
  }
}

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

function required(query: URLSearchParams, name: string): string {
  const value = query.get(name);
  if (!value) throw new SonarError(400, `The '${name}' parameter is missing`);
  return value;
}

function findProject(world: SandboxWorld, key: string): SonarProjectRecord {
  const project = world.state.sonar.find(p => p.key === key);
  if (!project) throw new SonarError(404, `Component key '${key}' not found`);
  return project;
}

function findBranch(
  project: SonarProjectRecord,
  name: string | null,
): SonarBranchRecord {
  const branch = name
    ? project.branches.find(b => b.name === name)
    : project.branches.find(b => b.isMain);
  if (!branch)
    throw new SonarError(
      404,
      `Component '${project.key}' on branch '${name}' not found`,
    );
  return branch;
}

function projectStatus(world: SandboxWorld, query: URLSearchParams) {
  const key = query.get('projectKey');
  const analysisId = query.get('analysisId');
  if (!key && !analysisId && !query.get('projectId')) {
    throw new SonarError(
      400,
      "Either 'analysisId', 'projectId' or 'projectKey' must be provided",
    );
  }
  let project: SonarProjectRecord;
  let branch: SonarBranchRecord;
  if (analysisId) {
    const found = world.state.sonar
      .flatMap(p => p.branches.map(b => ({ p, b })))
      .find(({ b }) => b.analysisId === analysisId);
    if (!found)
      throw new SonarError(
        404,
        `Analysis with id '${analysisId}' is not found`,
      );
    project = found.p;
    branch = found.b;
  } else {
    project =
      world.state.sonar.find(p => p.key === key) ??
      (() => {
        throw new SonarError(404, `Project '${key}' not found`);
      })();
    branch = findBranch(project, query.get('branch'));
  }
  return {
    projectStatus: {
      status: branch.qualityGateStatus,
      conditions: branch.conditions.map(condition => ({
        status: condition.status,
        metricKey: condition.metricKey,
        comparator: condition.comparator,
        errorThreshold: condition.errorThreshold,
        actualValue: condition.actualValue,
      })),
      ignoredConditions: false,
      period: { mode: 'PREVIOUS_VERSION', date: branch.periodDate },
      caycStatus: 'compliant',
    },
  };
}

function measures(world: SandboxWorld, query: URLSearchParams) {
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

function listParam(query: URLSearchParams, name: string): string[] | null {
  const value = query.get(name);
  return value
    ? value
        .split(',')
        .map(v => v.trim())
        .filter(Boolean)
    : null;
}

function renderIssue(
  project: SonarProjectRecord,
  issue: SonarIssueRecord,
  branch: string | null,
) {
  const effort = `${issue.effortMinutes}min`;
  return {
    key: issue.key,
    rule: issue.rule,
    severity: issue.severity,
    component: `${project.key}:${issue.path}`,
    project: project.key,
    ...(branch ? { branch } : {}),
    line: issue.line,
    hash: createHash('md5').update(`${issue.key}:${issue.line}`).digest('hex'),
    textRange: {
      startLine: issue.line,
      endLine: issue.line,
      startOffset: 2,
      endOffset: 30,
    },
    flows: [],
    status: issue.status,
    ...(issue.resolution ? { resolution: issue.resolution } : {}),
    message: issue.message,
    effort,
    debt: effort,
    author: issue.author,
    tags: issue.tags,
    creationDate: issue.creationDate,
    updateDate: issue.updateDate,
    type: issue.type,
    organization: project.organization,
    cleanCodeAttribute: issue.cleanCodeAttribute,
    cleanCodeAttributeCategory: issue.cleanCodeAttributeCategory,
    impacts: [
      {
        softwareQuality: issue.softwareQuality,
        severity: issue.impactSeverity,
      },
    ],
    issueStatus: issue.status === 'CLOSED' ? 'FIXED' : issue.status,
    projectName: project.name,
  };
}

function issuesSearch(world: SandboxWorld, query: URLSearchParams) {
  const keys =
    listParam(query, 'componentKeys') ??
    listParam(query, 'components') ??
    listParam(query, 'projects') ??
    listParam(query, 'projectKeys');
  const projects = keys
    ? keys.map(key => findProject(world, key))
    : world.state.sonar;
  const branchName = query.get('branch');
  const types = listParam(query, 'types');
  const severities = listParam(query, 'severities');
  const statuses =
    listParam(query, 'statuses') ?? listParam(query, 'issueStatuses');
  const rules = listParam(query, 'rules');
  const qualities = listParam(query, 'impactSoftwareQualities');
  const resolved = query.get('resolved');
  const newCode =
    query.get('inNewCodePeriod') === 'true' ||
    query.get('sinceLeakPeriod') === 'true';
  const p = Math.max(1, Number.parseInt(query.get('p') ?? '1', 10) || 1);
  const ps = Number.parseInt(query.get('ps') ?? '100', 10) || 100;
  if (ps > 500)
    throw new SonarError(400, `'ps' value (${ps}) must be less than 500`);
  if (p * ps > 10000)
    throw new SonarError(
      400,
      `Can return only the first 10000 results. ${p * ps}th result asked.`,
    );

  const matches: Array<{
    project: SonarProjectRecord;
    issue: SonarIssueRecord;
  }> = [];
  for (const project of projects) {
    const branch = findBranch(project, branchName);
    for (const issue of project.issues) {
      if (!issue.branches.includes(branch.name)) continue;
      if (types && !types.includes(issue.type)) continue;
      if (severities && !severities.includes(issue.severity)) continue;
      if (
        statuses &&
        !statuses.includes(issue.status) &&
        !statuses.includes(issue.status === 'CLOSED' ? 'FIXED' : issue.status)
      )
        continue;
      if (rules && !rules.includes(issue.rule)) continue;
      if (qualities && !qualities.includes(issue.softwareQuality)) continue;
      if (resolved === 'true' && issue.resolution === null) continue;
      if (resolved === 'false' && issue.resolution !== null) continue;
      if (newCode && !issue.onNewCode) continue;
      matches.push({ project, issue });
    }
  }
  matches.sort(
    (a, b) =>
      b.issue.creationDate.localeCompare(a.issue.creationDate) ||
      a.issue.key.localeCompare(b.issue.key),
  );
  const page = matches.slice((p - 1) * ps, p * ps);
  const effortTotal = matches.reduce(
    (total, m) => total + m.issue.effortMinutes,
    0,
  );
  const paths = [...new Set(page.map(m => `${m.project.key}:${m.issue.path}`))];
  return {
    total: matches.length,
    p,
    ps,
    paging: { pageIndex: p, pageSize: ps, total: matches.length },
    effortTotal,
    debtTotal: effortTotal,
    issues: page.map(m => renderIssue(m.project, m.issue, branchName)),
    components: [
      ...projects.map(project => ({
        key: project.key,
        enabled: true,
        qualifier: 'TRK',
        name: project.name,
        longName: project.name,
      })),
      ...paths.map(key => {
        const path = key.split(':').slice(1).join(':');
        return {
          key,
          enabled: true,
          qualifier: 'FIL',
          name: path.split('/').at(-1),
          longName: path,
          path,
        };
      }),
    ],
    organizations: [{ key: 'acme-corp', name: 'ACME Corp' }],
    facets: [],
  };
}

const ENDPOINTS: Record<
  string,
  (world: SandboxWorld, query: URLSearchParams) => unknown
> = {
  '/api/qualitygates/project_status': projectStatus,
  '/api/measures/component': measures,
  '/api/issues/search': issuesSearch,
  '/api/authentication/validate': () => ({ valid: true }),
};

export async function startSonarServer(
  options: SonarServerOptions = {},
): Promise<SonarSandbox> {
  const world = options.world ?? SandboxWorld.seeded();
  const handler: http.RequestListener = (request, response) => {
    const url = new URL(request.url ?? '/', 'http://sandbox');
    const reply = (status: number, body: unknown) => {
      response.writeHead(status, { 'content-type': 'application/json' });
      response.end(JSON.stringify(body));
    };
    try {
      const header = request.headers.authorization ?? '';
      let token: string | null = null;
      const bearer = /^Bearer\s+(\S+)$/i.exec(header);
      const basic = /^Basic\s+(\S+)$/i.exec(header);
      if (bearer) token = bearer[1];
      else if (basic)
        token = Buffer.from(basic[1], 'base64').toString('utf8').split(':')[0];
      if (!token || !world.state.sonarTokens.includes(token)) {
        // SonarCloud answers an unauthenticated request for a private project with 401 and no body.
        response.writeHead(401, {
          'www-authenticate': 'Bearer realm="sonarcloud"',
        });
        response.end();
        return;
      }
      if (request.method !== 'GET')
        throw new SonarError(
          405,
          `HTTP method ${request.method} is not supported`,
        );
      const endpoint = ENDPOINTS[url.pathname];
      if (!endpoint) throw new SonarError(404, `Unknown url : ${url.pathname}`);
      reply(200, endpoint(world, url.searchParams));
    } catch (error) {
      if (error instanceof SonarError) {
        reply(error.status, { errors: [{ msg: error.message }] });
      } else {
        reply(500, { errors: [{ msg: String(error) }] });
      }
    }
  };
  const server = await listen(handler, {
    host: options.host ?? '127.0.0.1',
    port: options.port ?? 0,
  });
  return { baseUrl: server.url, world, close: () => server.close() };
}
