import { PerformanceLevel } from '@internal/plugin-delivery-common';

/** A lead time or restore time the way people say it: "3.2 h", "2.5 days", "40 min". */
export function formatSpan(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined) return '—';
  if (seconds < 3600) return `${Math.max(1, Math.round(seconds / 60))} min`;
  if (seconds < 48 * 3600) return `${(seconds / 3600).toFixed(1)} h`;
  return `${(seconds / 86400).toFixed(1)} days`;
}

/** A share as a percentage: "12.5%". */
export function formatRate(rate: number | null | undefined): string {
  if (rate === null || rate === undefined) return '—';
  return `${Math.round(rate * 1000) / 10}%`;
}

/** Deployments per week, or per day when that reads better: "3.5 / day", "2 / week". */
export function formatFrequency(perWeek: number): string {
  if (perWeek >= 7) return `${Math.round((perWeek / 7) * 10) / 10} / day`;
  return `${Math.round(perWeek * 10) / 10} / week`;
}

/** Level colors: dark enough for white text in both themes. */
export const LEVEL_COLORS: Record<PerformanceLevel, string> = {
  elite: '#1b5e20',
  high: '#2e7d32',
  medium: '#b45309',
  low: '#b71c1c',
};

export const LEVEL_LABELS: Record<PerformanceLevel, string> = {
  elite: 'Elite',
  high: 'High',
  medium: 'Medium',
  low: 'Low',
};
