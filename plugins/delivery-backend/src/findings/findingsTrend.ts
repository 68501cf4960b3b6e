import {
  Finding,
  PipelineRun,
  TrendPoint,
} from '@internal/plugin-delivery-common';
import { countFindings } from './findingCounts';

/*
 * How many findings were open when each run ran, from the findings' own history (first seen,
 * fixed or dismissed at): one list of findings serves every run, no per-run scan downloads.
 */

export function openAt(finding: Finding, at: number): boolean {
  if (Date.parse(finding.firstSeenAt) > at) return false;
  if (finding.state === 'open') return true;
  return finding.closedAt !== null && Date.parse(finding.closedAt) > at;
}

/** One point per run, oldest first. */
export function findingsTrend(
  runs: PipelineRun[],
  findings: Finding[],
): TrendPoint[] {
  return [...runs]
    .sort((a, b) => Date.parse(a.createdAt) - Date.parse(b.createdAt))
    .map(run => {
      // A run's scanners upload while it runs: count what was known when it finished.
      const at = Date.parse(run.updatedAt);
      return {
        runId: run.id,
        runNumber: run.runNumber,
        headSha: run.headSha,
        createdAt: run.createdAt,
        conclusion: run.conclusion,
        failedGateId: run.failedGateId,
        counts: countFindings(findings.filter(f => openAt(f, at))),
      };
    });
}
