/* The history's tables and how their columns are read; a leaf module. */

export const REPOSITORIES = 'delivery_insights_repositories';
export const DEPLOYMENTS = 'delivery_insights_deployments';
export const COMMITS = 'delivery_insights_commits';
export const RUNS = 'delivery_insights_runs';
export const ROLLBACKS = 'delivery_insights_rollbacks';

/** Lists of ids or names are queried in chunks of this many (SQLite's parameter limit). */
export const CHUNK = 500;

export const num = (value: unknown): number => Number(value);
export const numOrNull = (value: unknown): number | null =>
  value === null || value === undefined ? null : Number(value);
export const time = (iso: string) => Date.parse(iso);

export function chunks<T>(items: T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += CHUNK)
    out.push(items.slice(i, i + CHUNK));
  return out;
}
