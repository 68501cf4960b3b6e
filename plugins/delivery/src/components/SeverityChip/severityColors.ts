import { FindingSeverity } from '@internal/plugin-delivery-common';

/**
 * One color per severity, shared by chips, count cells and the trend chart so a color means the
 * same thing everywhere; dark enough for white text (WCAG AA at chip size).
 */
export const SEVERITY_COLORS: Record<FindingSeverity, string> = {
  critical: '#8e0000',
  high: '#c62828',
  medium: '#b45309',
  low: '#1565c0',
  info: '#546e7a',
};

export const SEVERITY_LABELS: Record<FindingSeverity, string> = {
  critical: 'Critical',
  high: 'High',
  medium: 'Medium',
  low: 'Low',
  info: 'Info',
};
