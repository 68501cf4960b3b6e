/* Scan findings (code scanning and SonarCloud), SonarCloud's quality gate and the findings trend. */

import { Freshness } from './freshness';
import { DeliveryRepository } from './pipeline';

export const FINDING_SEVERITIES = [
  'critical',
  'high',
  'medium',
  'low',
  'info',
] as const;

/**
 * Normalized across tools: code scanning's security severity (critical/high/medium/low), else its
 * rule severity (error → high, warning → medium, note → low); SonarCloud's BLOCKER → critical,
 * CRITICAL → high, MAJOR → medium, MINOR → low, INFO → info.
 */
export type FindingSeverity = (typeof FINDING_SEVERITIES)[number];

export const FINDING_STATES = ['open', 'dismissed', 'fixed'] as const;

export type FindingState = (typeof FINDING_STATES)[number];

export type FindingSource = 'code-scanning' | 'sonarcloud';

export interface FindingLocation {
  path: string;
  startLine: number | null;
  endLine: number | null;
}

export interface Finding {
  /** Unique across sources: `code-scanning:<alert number>` or `sonarcloud:<issue key>`. */
  id: string;
  source: FindingSource;
  /** The tool as its SARIF driver names it (gitleaks, Checkov, Trivy) or `SonarCloud`. */
  tool: string;
  rule: { id: string; name: string | null; description: string | null };
  severity: FindingSeverity;
  /** The tool's own severity word (error, critical, MAJOR, ...). */
  rawSeverity: string;
  state: FindingState;
  location: FindingLocation;
  message: string;
  /** Documentation of the rule, when known; else null. */
  helpUrl: string | null;
  /** The finding's page in GitHub code scanning or SonarCloud. */
  htmlUrl: string;
  firstSeenAt: string;
  updatedAt: string | null;
  /** When it was fixed or dismissed, if it was. */
  closedAt: string | null;
}

/** Counts of one tool's (or all tools') findings per severity, plus their total. */
export type SeverityCounts = Record<FindingSeverity, number> & {
  total: number;
};

export interface FindingCounts {
  /** Keyed by tool name. */
  byTool: Record<string, SeverityCounts>;
  total: SeverityCounts;
}

/** GET findings */
export interface FindingsResponse {
  repository: DeliveryRepository;
  /** The filters applied (defaults filled in: state defaults to `open`). */
  filters: FindingsFilter;
  /**
   * The findings matching every filter, most severe first, then newest first. SonarCloud
   * contributes its open issues only; code scanning contributes every state.
   */
  findings: Finding[];
  /** How many findings match every filter (before `offset`/`limit`). */
  totalCount: number;
  /**
   * Counts per tool × severity of the findings matching the state filter only, so filter chips
   * can show what each tool and severity would add.
   */
  counts: FindingCounts;
  /** Every tool that reported findings, for a tool filter. */
  tools: string[];
  freshness: Freshness;
}

export interface FindingsFilter {
  tool?: string[];
  severity?: FindingSeverity[];
  state?: FindingState[];
  source?: FindingSource[];
}

// ---------------------------------------------------------------------------------------------
// SonarCloud

export type QualityGateStatus = 'OK' | 'WARN' | 'ERROR' | 'NONE';

export interface QualityGateCondition {
  metric: string;
  /** Human name of the metric ("Coverage on New Code"), when known. */
  metricName: string | null;
  comparator: 'LT' | 'GT' | string;
  threshold: string | null;
  actual: string | null;
  status: QualityGateStatus;
  onNewCode: boolean;
}

export interface QualityGate {
  status: QualityGateStatus;
  conditions: QualityGateCondition[];
  /** One line naming the failing conditions, e.g. "quality gate ERROR: new coverage 41%". */
  summary: string;
}

export interface SonarMeasure {
  metric: string;
  name: string | null;
  value: string;
  onNewCode: boolean;
}

export interface SonarCloudReport {
  projectKey: string;
  /** The project's page on SonarCloud. */
  dashboardUrl: string;
  qualityGate: QualityGate;
  measures: SonarMeasure[];
  /** Open issues, normalized like every other finding (`source: 'sonarcloud'`). */
  issues: Finding[];
  issueCounts: SeverityCounts;
  /** How many open issues SonarCloud has in total (the list may hold fewer). */
  issueTotal: number;
}

/** GET sonarcloud */
export interface SonarCloudResponse {
  /** Null when the entity has no `sonarqube.org/project-key` annotation. */
  report: SonarCloudReport | null;
  freshness: Freshness;
}

// ---------------------------------------------------------------------------------------------
// Trend

export interface TrendPoint {
  runId: number;
  runNumber: number;
  headSha: string;
  createdAt: string;
  conclusion: string | null;
  failedGateId: string | null;
  /** Findings open at the run's time, per tool × severity. */
  counts: FindingCounts;
}

/** GET trend — the last N runs of the default branch, oldest first. */
export interface TrendResponse {
  repository: DeliveryRepository;
  branch: string;
  points: TrendPoint[];
  freshness: Freshness;
}
