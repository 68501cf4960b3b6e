import { GateStatus } from '@internal/plugin-delivery-common';

const LABELS: Record<GateStatus, string> = {
  success: 'Passed',
  failure: 'Failed',
  cancelled: 'Cancelled',
  skipped: 'Skipped',
  running: 'Running',
  queued: 'Queued',
  waiting: 'Waiting for approval',
  'not-run': 'Not run',
};

/** The word a person reads for a gate's status. */
export function gateStatusLabel(status: GateStatus | string): string {
  return LABELS[status as GateStatus] ?? status;
}

/** A run's outcome in one word, from GitHub's status and conclusion. */
export function runStatusLabel(status: string, conclusion: string | null) {
  if (status !== 'completed') {
    return status === 'in_progress' ? 'Running' : gateStatusLabel(status);
  }
  switch (conclusion) {
    case 'success':
      return 'Passed';
    case 'failure':
      return 'Failed';
    case 'timed_out':
      return 'Timed out';
    case 'cancelled':
      return 'Cancelled';
    case 'startup_failure':
      return 'Failed to start';
    default:
      return conclusion ?? 'Completed';
  }
}

/** Maps a run's GitHub status/conclusion onto the gate statuses, for one icon vocabulary. */
export function runAsGateStatus(
  status: string,
  conclusion: string | null,
): GateStatus {
  if (status === 'in_progress') return 'running';
  if (status === 'waiting') return 'waiting';
  if (status !== 'completed') return 'queued';
  if (conclusion === 'success') return 'success';
  if (conclusion === 'cancelled') return 'cancelled';
  if (conclusion === 'skipped' || conclusion === 'neutral') return 'skipped';
  return 'failure';
}
