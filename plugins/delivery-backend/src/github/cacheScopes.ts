/*
 * Which cached GitHub answers a change touches. Every URL the cache keeps belongs to scopes of its
 * repository (e.g. `GET …/actions/runs/42/jobs` to `jobs:42`); a change GitHub reports marks the
 * scopes it touches (src/events), and answers of a marked scope validated before the mark are
 * asked again. Scopes name what an answer lists, so a change marks exactly what may differ.
 */

/** A family of cached answers of one repository. */
export type CacheScope =
  /** The repository itself (`GET /repos/{owner}/{repo}`): its default branch. */
  | 'repository'
  /** Run lists not filtered by status: a new run changes them. */
  | 'runs'
  /** Run lists filtered by status (`?status=waiting`): any run moving changes them. */
  | 'runs:status'
  /** One run; webhooks lay newer copies over it rather than mark it (see GitHubChangeFeed). */
  | `run:${number}`
  /** The jobs of a run's latest attempt. */
  | `jobs:${number}`
  /** The deployments a run waits for (`pending_deployments`). */
  | `pending:${number}`
  /** The reviews of a run's deployments (`approvals`). */
  | `approvals:${number}`
  /** Deployment lists. */
  | 'deployments'
  /** One deployment's statuses. */
  | `deployment:${number}`
  /** One check run's annotations. */
  | `check-run:${number}`
  /** Code-scanning alert lists. */
  | 'alerts'
  /** Everything of the repository, e.g. after the portal itself changed something there. */
  | '*';

const RULES: Array<[RegExp, (match: RegExpExecArray) => CacheScope]> = [
  [/^\/actions\/runs\/(\d+)$/, m => `run:${Number(m[1])}`],
  [/^\/actions\/runs\/(\d+)\/jobs$/, m => `jobs:${Number(m[1])}`],
  [
    /^\/actions\/runs\/(\d+)\/attempts\/\d+\/jobs$/,
    m => `jobs:${Number(m[1])}`,
  ],
  [
    /^\/actions\/runs\/(\d+)\/pending_deployments$/,
    m => `pending:${Number(m[1])}`,
  ],
  [/^\/actions\/runs\/(\d+)\/approvals$/, m => `approvals:${Number(m[1])}`],
  [/^\/deployments\/(\d+)\/statuses$/, m => `deployment:${Number(m[1])}`],
  [/^\/deployments$/, () => 'deployments'],
  [/^\/check-runs\/(\d+)\/annotations$/, m => `check-run:${Number(m[1])}`],
  [/^\/code-scanning\/alerts$/, () => 'alerts'],
  [/^$/, () => 'repository'],
];

/**
 * The scopes of a cached URL of `owner/name` (besides `*`). Run lists belong to `runs`, and to
 * `runs:status` when filtered by status.
 */
export function scopesOfUrl(
  url: string,
  owner: string,
  name: string,
): CacheScope[] {
  const parsed = new URL(url);
  const prefix = `/repos/${owner}/${name}`.toLowerCase();
  let path = decodeURIComponent(parsed.pathname).replace(/\/+$/, '');
  // GitHub Enterprise serves the API under /api/v3.
  const at = path.toLowerCase().indexOf(prefix);
  if (at < 0) return [];
  path = path.slice(at + prefix.length);
  if (
    /^\/actions\/runs$/.test(path) ||
    /^\/actions\/workflows\/[^/]+\/runs$/.test(path)
  ) {
    return parsed.searchParams.has('status')
      ? ['runs', 'runs:status']
      : ['runs'];
  }
  for (const [pattern, scope] of RULES) {
    const match = pattern.exec(path);
    if (match) return [scope(match)];
  }
  return [];
}
