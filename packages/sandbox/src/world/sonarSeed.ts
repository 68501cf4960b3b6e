import { createHash } from 'node:crypto';
import { SeededRandom } from './seededRandom';
import {
  SonarCondition,
  SonarIssueRecord,
  SonarProjectRecord,
} from './records';

/*
 * The SonarCloud project of titanic-service: `main` passes its quality gate, `develop` fails it
 * on new-code coverage (41%) after the "Add passenger search" change.
 */

export const SONAR_PROJECT_KEY = 'acme-corp_titanic-service';
export const SONAR_ORGANIZATION = 'acme-corp';

export function qualityGateConditions(newCoverage: number): SonarCondition[] {
  const coverage = newCoverage.toFixed(1);
  return [
    {
      metricKey: 'new_coverage',
      comparator: 'LT',
      errorThreshold: '80',
      actualValue: coverage,
      status: newCoverage < 80 ? 'ERROR' : 'OK',
    },
    {
      metricKey: 'new_duplicated_lines_density',
      comparator: 'GT',
      errorThreshold: '3',
      actualValue: '1.2',
      status: 'OK',
    },
    {
      metricKey: 'new_reliability_rating',
      comparator: 'GT',
      errorThreshold: '1',
      actualValue: '1',
      status: 'OK',
    },
    {
      metricKey: 'new_security_rating',
      comparator: 'GT',
      errorThreshold: '1',
      actualValue: '1',
      status: 'OK',
    },
    {
      metricKey: 'new_maintainability_rating',
      comparator: 'GT',
      errorThreshold: '1',
      actualValue: '1',
      status: 'OK',
    },
    {
      metricKey: 'new_security_hotspots_reviewed',
      comparator: 'LT',
      errorThreshold: '100',
      actualValue: '100.0',
      status: 'OK',
    },
  ];
}

export const DEVELOP_NEW_COVERAGE = 41.0;
export const MAIN_NEW_COVERAGE = 86.4;

const ISSUE_TEMPLATES: ReadonlyArray<
  Pick<
    SonarIssueRecord,
    | 'rule'
    | 'severity'
    | 'type'
    | 'message'
    | 'effortMinutes'
    | 'tags'
    | 'cleanCodeAttribute'
    | 'cleanCodeAttributeCategory'
    | 'softwareQuality'
    | 'impactSeverity'
  >
> = [
  {
    rule: 'typescript:S3776',
    severity: 'CRITICAL',
    type: 'CODE_SMELL',
    message:
      'Refactor this function to reduce its Cognitive Complexity from 21 to the 15 allowed.',
    effortMinutes: 11,
    tags: ['brain-overload'],
    cleanCodeAttribute: 'FOCUSED',
    cleanCodeAttributeCategory: 'ADAPTABLE',
    softwareQuality: 'MAINTAINABILITY',
    impactSeverity: 'HIGH',
  },
  {
    rule: 'typescript:S1854',
    severity: 'MAJOR',
    type: 'CODE_SMELL',
    message: 'Remove this useless assignment to variable "offset".',
    effortMinutes: 1,
    tags: ['cwe', 'unused'],
    cleanCodeAttribute: 'CLEAR',
    cleanCodeAttributeCategory: 'INTENTIONAL',
    softwareQuality: 'MAINTAINABILITY',
    impactSeverity: 'MEDIUM',
  },
  {
    rule: 'typescript:S4325',
    severity: 'MINOR',
    type: 'CODE_SMELL',
    message:
      'This assertion is unnecessary since it does not change the type of the expression.',
    effortMinutes: 1,
    tags: ['redundant', 'type-dependent'],
    cleanCodeAttribute: 'CLEAR',
    cleanCodeAttributeCategory: 'INTENTIONAL',
    softwareQuality: 'MAINTAINABILITY',
    impactSeverity: 'LOW',
  },
  {
    rule: 'typescript:S6544',
    severity: 'MAJOR',
    type: 'BUG',
    message:
      'Promise returned in function argument where a void return was expected.',
    effortMinutes: 15,
    tags: ['async', 'promise', 'type-dependent'],
    cleanCodeAttribute: 'LOGICAL',
    cleanCodeAttributeCategory: 'INTENTIONAL',
    softwareQuality: 'RELIABILITY',
    impactSeverity: 'MEDIUM',
  },
  {
    rule: 'typescript:S2068',
    severity: 'BLOCKER',
    type: 'VULNERABILITY',
    message: 'Review this potentially hard-coded password.',
    effortMinutes: 30,
    tags: ['cwe'],
    cleanCodeAttribute: 'TRUSTWORTHY',
    cleanCodeAttributeCategory: 'RESPONSIBLE',
    softwareQuality: 'SECURITY',
    impactSeverity: 'HIGH',
  },
  {
    rule: 'typescript:S1481',
    severity: 'MINOR',
    type: 'CODE_SMELL',
    message: "Remove the declaration of the unused 'client' variable.",
    effortMinutes: 5,
    tags: ['unused'],
    cleanCodeAttribute: 'CLEAR',
    cleanCodeAttributeCategory: 'INTENTIONAL',
    softwareQuality: 'MAINTAINABILITY',
    impactSeverity: 'LOW',
  },
  {
    rule: 'typescript:S6606',
    severity: 'MINOR',
    type: 'CODE_SMELL',
    message:
      'Prefer using nullish coalescing operator (`??`) instead of a logical or (`||`), as it is a safer operator.',
    effortMinutes: 5,
    tags: ['es2020', 'nullish-coalescing', 'type-dependent'],
    cleanCodeAttribute: 'CONVENTIONAL',
    cleanCodeAttributeCategory: 'CONSISTENT',
    softwareQuality: 'MAINTAINABILITY',
    impactSeverity: 'LOW',
  },
  {
    rule: 'typescript:S4123',
    severity: 'CRITICAL',
    type: 'BUG',
    message: 'Unexpected `await` of a non-Promise (non-"Thenable") value.',
    effortMinutes: 1,
    tags: ['type-dependent'],
    cleanCodeAttribute: 'LOGICAL',
    cleanCodeAttributeCategory: 'INTENTIONAL',
    softwareQuality: 'RELIABILITY',
    impactSeverity: 'HIGH',
  },
  {
    rule: 'typescript:S125',
    severity: 'MAJOR',
    type: 'CODE_SMELL',
    message: 'Remove this commented out code.',
    effortMinutes: 5,
    tags: ['unused'],
    cleanCodeAttribute: 'CLEAR',
    cleanCodeAttributeCategory: 'INTENTIONAL',
    softwareQuality: 'MAINTAINABILITY',
    impactSeverity: 'MEDIUM',
  },
  {
    rule: 'typescript:S1135',
    severity: 'INFO',
    type: 'CODE_SMELL',
    message: 'Complete the task associated to this "TODO" comment.',
    effortMinutes: 0,
    tags: ['cwe'],
    cleanCodeAttribute: 'COMPLETE',
    cleanCodeAttributeCategory: 'INTENTIONAL',
    softwareQuality: 'MAINTAINABILITY',
    impactSeverity: 'LOW',
  },
  {
    rule: 'docker:S6471',
    severity: 'MAJOR',
    type: 'VULNERABILITY',
    message:
      'The "node" image runs with "root" as the default user. Make sure it is safe here.',
    effortMinutes: 10,
    tags: ['cwe'],
    cleanCodeAttribute: 'TRUSTWORTHY',
    cleanCodeAttributeCategory: 'RESPONSIBLE',
    softwareQuality: 'SECURITY',
    impactSeverity: 'MEDIUM',
  },
];

const FILES = [
  'src/routes/people/index.ts',
  'src/routes/people/search.ts',
  'src/routes/people/statistics.ts',
  'src/routes/people/import.ts',
  'src/plugins/database.ts',
  'src/plugins/metrics.ts',
  'src/app.ts',
  'src/server.ts',
];

const AUTHORS = ['alice@acme-corp.example', 'bob@acme-corp.example'];

export function seedSonarProject(): SonarProjectRecord {
  const random = new SeededRandom(0x50a7);
  const issues: SonarIssueRecord[] = [];
  for (let i = 0; i < 64; i++) {
    const template = ISSUE_TEMPLATES[i % ISSUE_TEMPLATES.length];
    const path = template.rule.startsWith('docker:')
      ? 'Dockerfile'
      : random.pick(FILES);
    const onNewCode =
      path === 'src/routes/people/search.ts' ||
      (i > 52 && path !== 'Dockerfile');
    const closed = !onNewCode && random.next() < 0.2;
    const day = onNewCode ? random.integer(24, 25) : random.integer(1, 23);
    const created = `2026-${onNewCode || day > 15 ? '11' : '11'}-${String(
      day,
    ).padStart(2, '0')}T${String(random.integer(8, 17)).padStart(
      2,
      '0',
    )}:${String(random.integer(0, 59)).padStart(2, '0')}:12+0000`;
    const key = `AZ${createHash('sha1')
      .update(`titanic-issue-${i}`)
      .digest('base64')
      .replace(/[^A-Za-z0-9]/g, '')
      .slice(0, 18)}`;
    issues.push({
      key,
      ...template,
      path,
      line: random.integer(3, 140),
      author: random.pick(AUTHORS),
      status: closed ? 'CLOSED' : 'OPEN',
      resolution: closed ? 'FIXED' : null,
      creationDate: created,
      updateDate: created,
      branches: onNewCode ? ['develop'] : ['develop', 'main'],
      onNewCode,
    });
  }
  const measures = (coverage: string, newCoverage: string, bugs: number) => ({
    coverage,
    line_coverage: coverage,
    lines_to_cover: '612',
    uncovered_lines: String(Math.round(612 * (1 - Number(coverage) / 100))),
    ncloc: '1843',
    bugs: String(bugs),
    vulnerabilities: '2',
    code_smells: '41',
    security_hotspots: '1',
    duplicated_lines_density: '1.9',
    sqale_rating: '1.0',
    reliability_rating: bugs > 0 ? '3.0' : '1.0',
    security_rating: '1.0',
    alert_status: Number(newCoverage) < 80 ? 'ERROR' : 'OK',
    new_coverage: newCoverage,
  });
  return {
    key: SONAR_PROJECT_KEY,
    name: 'titanic-service',
    organization: SONAR_ORGANIZATION,
    branches: [
      {
        name: 'develop',
        isMain: true,
        analysisId: 'AZNr4mB3Vf1q2xY8pQwE',
        analysisDate: '2026-11-25T11:08:51+0000',
        commitSha: '',
        qualityGateStatus: 'ERROR',
        conditions: qualityGateConditions(DEVELOP_NEW_COVERAGE),
        measures: measures('78.3', DEVELOP_NEW_COVERAGE.toFixed(1), 4),
        newCodeMeasures: {
          new_coverage: DEVELOP_NEW_COVERAGE.toFixed(1),
          new_lines_to_cover: '88',
          new_uncovered_lines: '52',
          new_bugs: '1',
          new_vulnerabilities: '0',
          new_code_smells: '6',
          new_duplicated_lines_density: '1.2',
        },
        periodDate: '2026-11-24T10:31:02+0000',
      },
      {
        name: 'main',
        isMain: false,
        analysisId: 'AZNmW0c1Hk7t3uR5sLaD',
        analysisDate: '2026-11-25T14:34:10+0000',
        commitSha: '',
        qualityGateStatus: 'OK',
        conditions: qualityGateConditions(MAIN_NEW_COVERAGE),
        measures: measures('83.1', MAIN_NEW_COVERAGE.toFixed(1), 3),
        newCodeMeasures: {
          new_coverage: MAIN_NEW_COVERAGE.toFixed(1),
          new_lines_to_cover: '140',
          new_uncovered_lines: '19',
          new_bugs: '0',
          new_vulnerabilities: '0',
          new_code_smells: '2',
          new_duplicated_lines_density: '0.8',
        },
        periodDate: '2026-11-13T17:31:40+0000',
      },
    ],
    issues,
  };
}
