/* The SonarCloud side of the stored state (records.ts holds the rest and re-exports these). */

export interface SonarCondition {
  metricKey: string;
  comparator: 'GT' | 'LT';
  errorThreshold: string;
  actualValue: string;
  status: 'OK' | 'ERROR';
}

export interface SonarBranchRecord {
  name: string;
  isMain: boolean;
  analysisId: string;
  analysisDate: string;
  commitSha: string;
  qualityGateStatus: 'OK' | 'ERROR';
  conditions: SonarCondition[];
  measures: Record<string, string>;
  /** Measures of the new-code period (metric keys starting with new_), reported as `period`. */
  newCodeMeasures: Record<string, string>;
  periodDate: string;
}

export interface SonarIssueRecord {
  key: string;
  rule: string;
  severity: 'INFO' | 'MINOR' | 'MAJOR' | 'CRITICAL' | 'BLOCKER';
  type: 'CODE_SMELL' | 'BUG' | 'VULNERABILITY';
  path: string;
  line: number;
  message: string;
  effortMinutes: number;
  author: string;
  tags: string[];
  status: 'OPEN' | 'CONFIRMED' | 'CLOSED' | 'RESOLVED';
  resolution: 'FIXED' | 'FALSE-POSITIVE' | 'WONTFIX' | null;
  creationDate: string;
  updateDate: string;
  branches: string[];
  cleanCodeAttribute: string;
  cleanCodeAttributeCategory:
    | 'ADAPTABLE'
    | 'CONSISTENT'
    | 'INTENTIONAL'
    | 'RESPONSIBLE';
  softwareQuality: 'MAINTAINABILITY' | 'RELIABILITY' | 'SECURITY';
  impactSeverity: 'LOW' | 'MEDIUM' | 'HIGH';
  /** True when the issue was introduced in the new-code period. */
  onNewCode: boolean;
}

export interface SonarProjectRecord {
  key: string;
  name: string;
  organization: string;
  branches: SonarBranchRecord[];
  issues: SonarIssueRecord[];
}
