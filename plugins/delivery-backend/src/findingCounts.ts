import {
  FINDING_SEVERITIES,
  FINDING_STATES,
  Finding,
  FindingCounts,
  FindingSeverity,
  FindingSource,
  FindingState,
  FindingsFilter,
  SeverityCounts,
} from '@internal/plugin-delivery-common';
import { InputError } from '@backstage/errors';

/* Filtering, ordering and counting normalized findings, the same way for every endpoint. */

export function emptySeverityCounts(): SeverityCounts {
  return { critical: 0, high: 0, medium: 0, low: 0, info: 0, total: 0 };
}

export function countFindings(findings: Finding[]): FindingCounts {
  const counts: FindingCounts = { byTool: {}, total: emptySeverityCounts() };
  for (const finding of findings) {
    const tool = (counts.byTool[finding.tool] ??= emptySeverityCounts());
    tool[finding.severity] += 1;
    tool.total += 1;
    counts.total[finding.severity] += 1;
    counts.total.total += 1;
  }
  return counts;
}

function matches<T>(allowed: T[] | undefined, value: T): boolean {
  return !allowed || allowed.length === 0 || allowed.includes(value);
}

/** Tool names compare case-insensitively (SARIF drivers spell themselves as they like). */
export function filterFindings(
  findings: Finding[],
  filter: FindingsFilter,
): Finding[] {
  const tools = filter.tool?.map(t => t.toLowerCase());
  return findings.filter(
    f =>
      matches(tools, f.tool.toLowerCase()) &&
      matches(filter.severity, f.severity) &&
      matches(filter.state, f.state) &&
      matches(filter.source, f.source),
  );
}

const SEVERITY_RANK = new Map(FINDING_SEVERITIES.map((s, i) => [s, i]));

/** Most severe first, then newest first. */
export function sortFindings(findings: Finding[]): Finding[] {
  return [...findings].sort(
    (a, b) =>
      SEVERITY_RANK.get(a.severity)! - SEVERITY_RANK.get(b.severity)! ||
      b.firstSeenAt.localeCompare(a.firstSeenAt) ||
      a.id.localeCompare(b.id),
  );
}

function list(value: unknown): string[] | undefined {
  if (value === undefined) return undefined;
  const values = (Array.isArray(value) ? value : [value])
    .flatMap(v => String(v).split(','))
    .map(v => v.trim())
    .filter(Boolean);
  return values.length ? values : undefined;
}

function oneOf<T extends string>(
  name: string,
  values: string[] | undefined,
  allowed: readonly T[],
): T[] | undefined {
  if (!values) return undefined;
  const lowered = values.map(v => v.toLowerCase());
  const unknown = lowered.filter(v => !allowed.includes(v as T));
  if (unknown.length) {
    throw new InputError(
      `Unknown ${name} ${unknown.join(', ')}; use one of ${allowed.join(', ')}`,
    );
  }
  return lowered as T[];
}

/** Reads `tool`, `severity`, `state`, `source` (comma separated or repeated); state defaults to open. */
export function parseFindingsFilter(
  query: Record<string, unknown>,
): FindingsFilter {
  return {
    tool: list(query.tool),
    severity: oneOf<FindingSeverity>(
      'severity',
      list(query.severity),
      FINDING_SEVERITIES,
    ),
    state: oneOf<FindingState>('state', list(query.state), FINDING_STATES) ?? [
      'open',
    ],
    source: oneOf<FindingSource>('source', list(query.source), [
      'code-scanning',
      'sonarcloud',
    ]),
  };
}
