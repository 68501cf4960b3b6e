/** GitHub API times: RFC 3339 with second precision. */
export function iso(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** GitHub log timestamps carry seven fractional digits. */
export function logStamp(ms: number): string {
  const whole = new Date(Math.floor(ms)).toISOString().slice(0, 19);
  const fraction = String(Math.floor((ms % 1000) * 10000)).padStart(7, '0');
  return `${whole}.${fraction}Z`;
}
