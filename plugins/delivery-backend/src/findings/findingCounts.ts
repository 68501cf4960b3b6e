import {
  FINDING_SEVERITIES,
  Finding,
  FindingCounts,
  FindingsFilter,
  SeverityCounts,
} from '@internal/plugin-delivery-common';

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
