import { Gate, GateJob, GateStatus } from '@internal/plugin-delivery-common';
import { GitHubJob } from '../github/types';
import { FailureReason } from './failureReasons';

/* Maps a run's jobs onto the configured gates: which job is which gate and how each went. */

/** One gate of `delivery.gates`. */
export interface GateConfig {
  id: string;
  title: string;
  /** Job name patterns; `*` matches anything, case-insensitive. */
  jobs: string[];
}

/** The titanic pipeline's job names as the jobs API reports them (see the team contract). */
export const DEFAULT_GATES: GateConfig[] = [
  { id: 'gitleaks', title: 'Gitleaks', jobs: ['Gitleaks / *', 'Gitleaks'] },
  { id: 'checkov', title: 'Checkov', jobs: ['Checkov / *', 'Checkov'] },
  {
    id: 'sonarcloud',
    title: 'SonarCloud',
    jobs: ['SonarCloud / *', 'SonarCloud'],
  },
  { id: 'tests', title: 'Tests & coverage', jobs: ['Tests & lint', 'Tests*'] },
  { id: 'build', title: 'Build', jobs: ['Build image', 'Build*'] },
  { id: 'trivy', title: 'Trivy', jobs: ['Trivy / *', 'Trivy'] },
  { id: 'deploy', title: 'Deploy', jobs: ['Deploy *'] },
];

function patternToRegExp(pattern: string): RegExp {
  const escaped = pattern
    .split('*')
    .map(part => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
    .join('.*');
  return new RegExp(`^${escaped}$`, 'i');
}

/** The id of the first gate whose patterns match the job's name, else null. */
export function gateOfJob(gates: GateConfig[], jobName: string): string | null {
  for (const gate of gates) {
    if (
      gate.jobs.some(pattern => patternToRegExp(pattern).test(jobName.trim()))
    ) {
      return gate.id;
    }
  }
  return null;
}

const FAILED_CONCLUSIONS = new Set([
  'failure',
  'timed_out',
  'startup_failure',
  'action_required',
]);

/** Check runs may also answer conclusions the jobs API does not list (stale): any string is read. */
export function jobStatus(job: {
  status: string;
  conclusion: string | null;
}): GateStatus {
  if (job.status === 'completed') {
    if (job.conclusion === 'success' || job.conclusion === 'neutral')
      return 'success';
    if (job.conclusion === 'skipped') return 'skipped';
    if (job.conclusion === 'cancelled' || job.conclusion === 'stale')
      return 'cancelled';
    if (job.conclusion && FAILED_CONCLUSIONS.has(job.conclusion))
      return 'failure';
    return 'failure';
  }
  if (job.status === 'in_progress') return 'running';
  if (job.status === 'waiting') return 'waiting';
  return 'queued';
}

/** A gate spanning several jobs reports the most telling of their statuses. */
const STATUS_PRECEDENCE: GateStatus[] = [
  'failure',
  'running',
  'waiting',
  'queued',
  'cancelled',
  'success',
  'skipped',
];

export function combineStatuses(statuses: GateStatus[]): GateStatus {
  if (statuses.length === 0) return 'not-run';
  for (const status of STATUS_PRECEDENCE) {
    if (statuses.includes(status)) return status;
  }
  return 'not-run';
}

function seconds(from: string | null, to: string | null): number | null {
  if (!from || !to) return null;
  const ms = Date.parse(to) - Date.parse(from);
  return Number.isFinite(ms) && ms >= 0 ? Math.round(ms / 1000) : null;
}

/** Jobs whose environment is in their name (deploy jobs); the jobs API does not say. */
function environmentOf(jobName: string): string | null {
  const match = /^Deploy (\S+)$/i.exec(jobName.trim());
  return match ? match[1] : null;
}

export function toGateJob(
  job: GitHubJob,
  reason: FailureReason | undefined,
  runHtmlUrl: string,
): GateJob {
  const status = jobStatus(job);
  const started = status === 'skipped' ? null : job.started_at;
  return {
    jobId: job.id,
    name: job.name,
    status,
    conclusion: job.status === 'completed' ? job.conclusion : null,
    startedAt: started,
    completedAt: status === 'skipped' ? null : job.completed_at,
    durationSeconds:
      status === 'running'
        ? seconds(started, new Date().toISOString())
        : seconds(started, job.completed_at),
    environment: environmentOf(job.name),
    reason: status === 'failure' ? reason?.reason ?? null : null,
    reasonSource: status === 'failure' ? reason?.source ?? null : null,
    logsUrl: job.html_url ?? runHtmlUrl,
  };
}

/**
 * The configured gates, in order, each with the jobs that belong to it. Jobs matching no gate
 * are left out: they are not part of the pipeline's promise.
 */
export function mapJobsToGates(
  gates: GateConfig[],
  jobs: GitHubJob[],
  reasons: Map<number, FailureReason>,
  runHtmlUrl: string,
): Gate[] {
  const byGate = new Map<string, GateJob[]>();
  for (const job of [...jobs].sort((a, b) => a.id - b.id)) {
    const gateId = gateOfJob(gates, job.name);
    if (!gateId) continue;
    byGate.set(gateId, [
      ...(byGate.get(gateId) ?? []),
      toGateJob(job, reasons.get(job.id), runHtmlUrl),
    ]);
  }
  return gates.map(gate => {
    const gateJobs = byGate.get(gate.id) ?? [];
    const status = combineStatuses(gateJobs.map(j => j.status));
    const ran = gateJobs.filter(j => j.startedAt);
    const startedAt = ran.map(j => j.startedAt!).sort()[0] ?? null;
    const ended = ran.map(j => j.completedAt);
    const completedAt =
      ran.length > 0 && ended.every(Boolean)
        ? ended
            .map(e => e!)
            .sort()
            .slice(-1)[0]
        : null;
    const failing = gateJobs.find(j => j.status === 'failure');
    return {
      id: gate.id,
      title: gate.title,
      status,
      durationSeconds:
        ran.length === 0
          ? null
          : ran.reduce((sum, j) => sum + (j.durationSeconds ?? 0), 0),
      startedAt,
      completedAt,
      reason: failing?.reason ?? null,
      reasonSource: failing?.reasonSource ?? null,
      logsUrl: (failing ?? gateJobs[0])?.logsUrl ?? null,
      jobs: gateJobs,
    };
  });
}

/** The first gate (in pipeline order) that failed. */
export function firstFailedGate(gates: Gate[]): string | null {
  return gates.find(g => g.status === 'failure')?.id ?? null;
}
