import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import {
  SonarIssueRecord,
  SonarProjectRecord,
  workflowAnnotation,
} from '../../../world/records';
import { qualityGateConditions } from '../../../world/sonarSeed';
import { describeFailedConditions } from '../../../world/toolReports';
import { StepInput, StepOutcome } from '../stepTypes';
import { estimatedCoverage, sourceFacts } from './treeFacts';

/*
 * The SonarCloud gate, simulated: no analysis runs. The sandbox measures the pushed tree
 * itself — lines of code, the coverage its tests would plausibly reach, the TODO/FIXME comments
 * SonarCloud reports as code smells — publishes that analysis to the SonarCloud sandbox (so the
 * portal reads a quality gate for the new project) and decides the gate with SonarCloud's
 * default conditions (new-code coverage ≥ 80%).
 */

function property(args: string, name: string): string | undefined {
  return new RegExp(`-D${name.replace(/\./g, '\\.')}=(\\S+)`).exec(args)?.[1];
}

function iso(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, '+0000');
}

function todoIssues(
  baseDirectory: string,
  files: string[],
  author: string,
  at: string,
  branch: string,
): SonarIssueRecord[] {
  const issues: SonarIssueRecord[] = [];
  for (const file of files) {
    readFileSync(join(baseDirectory, file), 'utf8')
      .split('\n')
      .forEach((line, index) => {
        const marker = /\/\/.*\b(TODO|FIXME)\b/.exec(line)?.[1];
        if (!marker) return;
        issues.push({
          key: `AZ${createHash('sha1')
            .update(`${file}:${index}`)
            .digest('hex')
            .slice(0, 18)}`,
          rule: marker === 'TODO' ? 'typescript:S1135' : 'typescript:S1134',
          severity: marker === 'TODO' ? 'INFO' : 'MAJOR',
          type: 'CODE_SMELL',
          path: file,
          line: index + 1,
          message:
            marker === 'TODO'
              ? 'Complete the task associated to this "TODO" comment.'
              : 'Take the required action to fix the issue indicated by this "FIXME" comment.',
          effortMinutes: 0,
          author,
          tags: ['cwe'],
          status: 'OPEN',
          resolution: null,
          creationDate: at,
          updateDate: at,
          branches: [branch],
          cleanCodeAttribute: 'COMPLETE',
          cleanCodeAttributeCategory: 'INTENTIONAL',
          softwareQuality: 'MAINTAINABILITY',
          impactSeverity: marker === 'TODO' ? 'LOW' : 'MEDIUM',
          onNewCode: true,
        });
      });
  }
  return issues;
}

export function simulatedSonarAnalysis(
  input: StepInput,
  defaultBranch: string,
): StepOutcome {
  const args = String(input.with.args ?? '');
  const projectKey =
    property(args, 'sonar.projectKey') ??
    input.facts.repository.replace('/', '_');
  const organization =
    property(args, 'sonar.organization') ?? input.facts.owner;
  const baseDirectory = join(
    input.workspace,
    String(input.with.projectBaseDir ?? '.'),
  );
  const facts = sourceFacts(baseDirectory);
  const coverage = estimatedCoverage(facts).lines;
  const conditions = qualityGateConditions(coverage);
  const status = conditions.some(c => c.status === 'ERROR') ? 'ERROR' : 'OK';
  const at = iso(Date.now());
  const branch = input.facts.branch;
  const issues = todoIssues(
    baseDirectory,
    facts.sourceFiles,
    input.facts.actor,
    at,
    branch,
  );
  let project = input.state.sonar.find(p => p.key === projectKey);
  if (!project) {
    project = {
      key: projectKey,
      name: projectKey.split('_').slice(1).join('_') || projectKey,
      organization,
      branches: [],
      issues: [],
    } satisfies SonarProjectRecord;
    input.state.sonar.push(project);
  }
  const toCover = Math.round(facts.sourceLines * 0.62);
  const uncovered = String(Math.round(toCover * (1 - coverage / 100)));
  const record = {
    name: branch,
    isMain: branch === defaultBranch,
    analysisId: `AZ${createHash('sha1')
      .update(`${projectKey}${input.facts.sha}${at}`)
      .digest('hex')
      .slice(0, 18)}`,
    analysisDate: at,
    commitSha: input.facts.sha,
    qualityGateStatus: status,
    conditions,
    measures: {
      coverage: coverage.toFixed(1),
      line_coverage: coverage.toFixed(1),
      lines_to_cover: String(toCover),
      uncovered_lines: uncovered,
      ncloc: String(facts.sourceLines),
      bugs: '0',
      vulnerabilities: '0',
      code_smells: String(issues.length),
      security_hotspots: '0',
      duplicated_lines_density: '0.0',
      sqale_rating: '1.0',
      reliability_rating: '1.0',
      security_rating: '1.0',
      alert_status: status,
      new_coverage: coverage.toFixed(1),
    },
    newCodeMeasures: {
      new_coverage: coverage.toFixed(1),
      new_lines_to_cover: String(toCover),
      new_uncovered_lines: uncovered,
      new_bugs: '0',
      new_vulnerabilities: '0',
      new_code_smells: String(issues.length),
      new_duplicated_lines_density: '0.0',
    },
    periodDate: at,
  } as const;
  project.branches = [
    ...project.branches.filter(b => b.name !== branch),
    { ...record, conditions },
  ];
  project.issues = [
    ...project.issues.filter(issue => !issue.branches.includes(branch)),
    ...issues,
  ];
  const dashboard = `https://sonarcloud.io/dashboard?id=${projectKey}&branch=${branch}`;
  const lines = [
    `[sandbox] SIMULATED: no SonarCloud analysis ran. The sandbox measured ${
      facts.sourceLines
    } lines of code in ${
      facts.sourceFiles.length
    } files, estimated coverage ${coverage.toFixed(1)}% from ${
      facts.tests
    } tests, found ${
      issues.length
    } TODO/FIXME code smells, and published the analysis to the SonarCloud sandbox.`,
    `INFO  Project key: ${projectKey}`,
    `INFO  Organization key: ${organization}`,
    `INFO  Branch name: ${branch}`,
    `INFO  ${facts.sourceFiles.length + facts.testFiles.length} files indexed`,
    `INFO  ANALYSIS SUCCESSFUL, you can find the results at: ${dashboard}`,
    'INFO  ------------- Check Quality Gate status',
    status === 'OK'
      ? `INFO  QUALITY GATE STATUS: PASSED - View details on ${dashboard}`
      : `ERROR QUALITY GATE STATUS: FAILED - View details on ${dashboard}`,
  ];
  if (status === 'ERROR')
    lines.push(
      `##[error]Quality Gate failed: ${describeFailedConditions(conditions)}`,
    );
  return {
    lines,
    conclusion: status === 'OK' ? 'success' : 'failure',
    exitCode: 3,
    simulatedSeconds: 15 + facts.sourceFiles.length * 0.2,
    annotations:
      status === 'OK'
        ? []
        : [
            workflowAnnotation(
              'failure',
              `Quality Gate failed: ${describeFailedConditions(conditions)}`,
            ),
          ],
  };
}

/** The workflow's jq mapping of SonarCloud severities to SARIF levels. */
function sarifLevel(
  severity: SonarIssueRecord['severity'],
): 'error' | 'warning' | 'note' {
  if (severity === 'BLOCKER' || severity === 'CRITICAL') return 'error';
  return severity === 'MAJOR' ? 'warning' : 'note';
}

/** Whether a script exports SonarCloud's open issues (api/issues/search) to a SARIF file. */
export function isSonarIssuesExport(script: string | undefined): boolean {
  return (
    /api\/issues\/search/.test(script ?? '') && /\.sarif\b/.test(script ?? '')
  );
}

/** The export the workflow's script makes with curl and jq, from the SonarCloud sandbox's issues. */
export function exportSonarIssues(input: StepInput): StepOutcome {
  const script = input.script ?? '';
  const file = /> *(\S+\.sarif)/.exec(script)?.[1] ?? 'sonarcloud.sarif';
  const projectKey = input.env.PROJECT_KEY ?? '';
  const base = (input.env.BASE_DIR ?? '.').replace(/^\.$/, '');
  const project = input.state.sonar.find(p => p.key === projectKey);
  const open = (project?.issues ?? []).filter(
    issue =>
      issue.status === 'OPEN' && issue.branches.includes(input.facts.branch),
  );
  const sarif = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'SonarCloud',
            informationUri: 'https://sonarcloud.io',
            rules: [],
          },
        },
        results: open.map(issue => ({
          ruleId: issue.rule,
          level: sarifLevel(issue.severity),
          message: { text: issue.message },
          locations: [
            {
              physicalLocation: {
                artifactLocation: {
                  uri: `${base ? `${base}/` : ''}${issue.path}`,
                },
                region: { startLine: issue.line },
              },
            },
          ],
        })),
      },
    ],
  };
  writeFileSync(
    join(input.workingDirectory, file),
    JSON.stringify(sarif, null, 2),
  );
  return {
    lines: [
      `[sandbox] SIMULATED: the open issues of ${projectKey} were read from the SonarCloud sandbox instead of sonarcloud.io.`,
      `${open.length} open issues written to ${file}`,
    ],
    conclusion: project ? 'success' : 'failure',
    exitCode: 22,
    simulatedSeconds: 2,
  };
}
