import { RepositoryRef } from './types';

/**
 * What the cache of GitHub answers learns from GitHub's own reports of changes (its webhooks,
 * src/events), so it can serve answers longer and still never serve one GitHub said is outdated.
 */
export interface GitHubChangeFeed {
  /**
   * When GitHub last reported a change to what `url` answers (epoch ms; 0 if none is known):
   * a cached answer validated before it is asked again.
   */
  changedAt(repo: RepositoryRef, url: string): number;
  /**
   * How long an answer validated at `validatedAt` (epoch ms) is served without asking GitHub:
   * longer while webhooks arrive, the polling window otherwise.
   */
  freshForMs(validatedAt: number): number;
  /**
   * The answer of `route` with what GitHub reported since laid over it: newer copies of its
   * runs, jobs or alerts. Answers the same object when there is nothing newer.
   */
  overlay<T>(repo: RepositoryRef, route: string, body: T): T;
}
