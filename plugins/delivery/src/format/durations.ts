/** A job's or run's duration the way CI pages show it: "45s", "3m 07s", "1h 02m". */
export function formatDuration(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined || seconds < 0) return '—';
  const whole = Math.round(seconds);
  if (whole < 60) return `${whole}s`;
  const minutes = Math.floor(whole / 60);
  if (minutes < 60) {
    return `${minutes}m ${String(whole % 60).padStart(2, '0')}s`;
  }
  const hours = Math.floor(minutes / 60);
  return `${hours}h ${String(minutes % 60).padStart(2, '0')}m`;
}

/** How old something is, in the largest whole unit: "just now", "12 minutes", "3 hours", "2 days". */
export function formatAge(seconds: number): string {
  const whole = Math.max(0, Math.round(seconds));
  if (whole < 45) return 'less than a minute';
  const units: Array<[string, number]> = [
    ['day', 86400],
    ['hour', 3600],
    ['minute', 60],
  ];
  for (const [unit, size] of units) {
    const count = Math.round(whole / size);
    if (whole >= size * 0.75 && count >= 1) {
      return `${count} ${unit}${count === 1 ? '' : 's'}`;
    }
  }
  return '1 minute';
}

/** Seconds from an ISO timestamp until now (never negative). */
export function secondsSince(iso: string, now: number = Date.now()): number {
  return Math.max(0, (now - Date.parse(iso)) / 1000);
}
