import {
  StatusAborted,
  StatusError,
  StatusOK,
  StatusPending,
  StatusRunning,
  StatusWarning,
} from '@backstage/core-components';
import { GateStatus } from '@internal/plugin-delivery-common';
import { ReactNode } from 'react';

/** Backstage's status icon for a gate status, followed by `children` (usually its label). */
export function GateStatusIcon(props: {
  status: GateStatus | string;
  children?: ReactNode;
}) {
  const { status, children } = props;
  switch (status) {
    case 'success':
      return <StatusOK>{children}</StatusOK>;
    case 'failure':
      return <StatusError>{children}</StatusError>;
    case 'running':
      return <StatusRunning>{children}</StatusRunning>;
    case 'waiting':
      return <StatusWarning>{children}</StatusWarning>;
    case 'cancelled':
    case 'skipped':
      return <StatusAborted>{children}</StatusAborted>;
    default:
      return <StatusPending>{children}</StatusPending>;
  }
}
