import {
  StatusAborted,
  StatusError,
  StatusOK,
  StatusPending,
  StatusRunning,
  StatusWarning,
} from '@backstage/core-components';
import { EnvironmentHealth } from '@internal/plugin-delivery-common';

const LABELS: Record<EnvironmentHealth, string> = {
  healthy: 'Healthy',
  progressing: 'Rolling out',
  degraded: 'Degraded',
  stalled: 'Rollout stalled',
  paused: 'Paused',
  missing: 'Not deployed',
  unknown: 'Unknown',
};

export function healthLabel(health: EnvironmentHealth): string {
  return LABELS[health];
}

/** An environment's health with Backstage's status icons. */
export function EnvironmentHealthStatus(props: { health: EnvironmentHealth }) {
  const label = LABELS[props.health];
  switch (props.health) {
    case 'healthy':
      return <StatusOK>{label}</StatusOK>;
    case 'progressing':
      return <StatusRunning>{label}</StatusRunning>;
    case 'degraded':
    case 'stalled':
      return <StatusError>{label}</StatusError>;
    case 'paused':
      return <StatusWarning>{label}</StatusWarning>;
    case 'missing':
      return <StatusAborted>{label}</StatusAborted>;
    default:
      return <StatusPending>{label}</StatusPending>;
  }
}
