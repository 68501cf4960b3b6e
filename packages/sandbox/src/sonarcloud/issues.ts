import { createHash } from 'node:crypto';
import { SonarIssueRecord, SonarProjectRecord } from '../world/records';
import { SandboxWorld } from '../world/sandboxWorld';
import { findBranch, findProject } from './components';
import { SonarError } from './sonarError';

/* api/issues: searching a project's issues, filtered and paged as SonarCloud does. */

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

export function issuesSearch(world: SandboxWorld, query: URLSearchParams) {
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
