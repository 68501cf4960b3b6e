import { createHash } from 'node:crypto';
import { checkovBaselineFindings } from './checkovFindings';
import { ingestSarif } from './codeScanningIngest';
import {
  ArtifactRecord,
  CommitRecord,
  GateKey,
  JobRecord,
  RunRecord,
  WorldState,
} from './records';
import { addArtifact as recordArtifact } from './repositoryIndex';
import { RUN_COUNT } from './runPlans';
import { checkovSarif, gitleaksSarif, trivySarif } from './sarif';
import { iso } from './timestamps';
import { trivyVulnerabilities, vulnerabilitiesAt } from './trivyFindings';

/*
 * What the scanner jobs of a run leave behind: their SARIF uploaded to code scanning (alerts
 * and analyses) and kept as `<tool>-sarif` artifacts, and the coverage report of the tests job.
 */

function refFor(run: RunRecord): string {
  return run.pullRequestNumber
    ? `refs/pull/${run.pullRequestNumber}/merge`
    : `refs/heads/${run.branch}`;
}

function addArtifact(
  state: WorldState,
  run: RunRecord,
  name: string,
  files: ArtifactRecord['files'],
  createdAt: string,
): void {
  state.sequences.artifact += 1;
  const size = files.reduce(
    (total, file) => total + Buffer.byteLength(file.content),
    0,
  );
  recordArtifact(state, {
    id: state.sequences.artifact,
    repositoryId: run.repositoryId,
    runId: run.id,
    name,
    files,
    sizeInBytes: size,
    digest: `sha256:${createHash('sha256')
      .update(files.map(f => f.content).join('\0'))
      .digest('hex')}`,
    createdAt,
    expiresAt: iso(Date.parse(createdAt) + 90 * 24 * 3600 * 1000),
  });
}

/** File names the scanners write their SARIF to (kept in the `<tool>-sarif` artifacts). */
const SARIF_FILE_NAMES: Partial<Record<GateKey, string>> = {
  gitleaks: 'results.sarif',
  checkov: 'results_sarif.sarif',
  trivy: 'trivy-results.sarif',
};

/** Uploads the SARIF of each scanner job that ran, as the reusable workflows do. */
export function uploadScannerResults(
  state: WorldState,
  run: RunRecord,
  jobs: readonly JobRecord[],
  findings: { sarifFor: (gate: GateKey) => string | null },
): void {
  for (const job of jobs) {
    if (
      !job.gate ||
      job.status !== 'completed' ||
      job.conclusion === 'skipped' ||
      job.conclusion === 'cancelled'
    )
      continue;
    const sarif = findings.sarifFor(job.gate);
    if (!sarif) continue;
    const at = job.completedAt!;
    ingestSarif(state, JSON.parse(sarif), {
      repositoryId: run.repositoryId,
      ref: refFor(run),
      commitSha: run.headSha,
      at,
    });
    const file = SARIF_FILE_NAMES[job.gate] ?? 'results.sarif';
    addArtifact(
      state,
      run,
      `${job.gate}-sarif`,
      [{ name: file, content: sarif }],
      at,
    );
  }
  const tests = jobs.find(
    job =>
      job.gate === 'tests' &&
      job.status === 'completed' &&
      job.conclusion !== 'skipped',
  );
  if (tests) {
    const coverageLine = tests.log
      .split('\n')
      .find(line => line.includes('All files'));
    const lines = coverageLine
      ? Number.parseFloat(coverageLine.split('|')[4])
      : 0;
    addArtifact(
      state,
      run,
      'coverage-report',
      [
        {
          name: 'coverage-summary.json',
          content: JSON.stringify(
            { total: { lines: { pct: lines } } },
            null,
            2,
          ),
        },
      ],
      tests.completedAt!,
    );
  }
}

/** SARIF documents (as JSON text) the scanners produce for the run at runIndex. */
export function scannerSarif(
  run: RunRecord,
  runIndex: number,
  commit: CommitRecord,
) {
  const vulnerabilities = trivyVulnerabilities(RUN_COUNT);
  return (gate: GateKey): string | null => {
    if (gate === 'gitleaks') {
      return JSON.stringify(
        gitleaksSarif({
          leaks: run.failingGate === 'gitleaks' ? run.context.leaks : [],
          commitSha: run.headSha,
          author: commit.authorLogin,
          date: commit.date,
          commitMessage: commit.message,
        }),
      );
    }
    if (gate === 'checkov') {
      return JSON.stringify(
        checkovSarif([
          ...checkovBaselineFindings(),
          ...(run.failingGate === 'checkov' ? run.context.checkovFailures : []),
        ]),
      );
    }
    if (gate === 'trivy') {
      return JSON.stringify(
        trivySarif({
          vulnerabilities: vulnerabilitiesAt(vulnerabilities, runIndex),
          imageTag: run.context.imageTag,
        }),
      );
    }
    return null;
  };
}
