import { RepositoryRecord, WorldState } from '../../world/records';

/*
 * World records rendered as GitHub REST API JSON (api.github.com, version 2022-11-28), one file
 * per resource as routes/ has one file of routes per resource. API URLs point at the sandbox's
 * own base URL so clients that follow them stay local; html_url fields of the seeded repository
 * point at github.com as they would for the real repository.
 */

/** The repository a request is about: the seeded one or one created through the API. */
export interface RepositoryScope {
  id: number;
  owner: string;
  name: string;
  description: string | null;
  private: boolean;
  defaultBranch: string;
  /** `<api>/repos/<owner>/<name>`, where its REST resources live. */
  api: string;
  /** Its web address: github.com for the seeded repository, the sandbox for created ones. */
  web: string;
}

export interface RenderContext {
  state: WorldState;
  apiUrl: string;
  now: number;
  /** The repository being rendered; the seeded one when unset. */
  repository?: RepositoryScope;
}

export const WEB = 'https://github.com';

export function nodeId(prefix: string, id: number | string): string {
  return `${prefix}_${Buffer.from(`${prefix}:${id}`)
    .toString('base64')
    .replace(/=+$/, '')}`;
}

export function seededRepositoryScope(
  ctx: Pick<RenderContext, 'state' | 'apiUrl'>,
): RepositoryScope {
  return worldRepositoryScope(ctx, ctx.state.repository);
}

/** A repository the world holds records for (seeded or generated): its web address is github.com's. */
export function worldRepositoryScope(
  ctx: Pick<RenderContext, 'apiUrl'>,
  repo: RepositoryRecord,
): RepositoryScope {
  return {
    id: repo.id,
    owner: repo.owner,
    name: repo.name,
    description: repo.description,
    private: repo.private,
    defaultBranch: repo.defaultBranch,
    api: `${ctx.apiUrl}/repos/${repo.owner}/${repo.name}`,
    web: `${WEB}/${repo.owner}/${repo.name}`,
  };
}

export function repositoryOf(ctx: RenderContext): RepositoryScope {
  return ctx.repository ?? seededRepositoryScope(ctx);
}

export function repoApi(ctx: RenderContext): string {
  return repositoryOf(ctx).api;
}

export function repoWeb(ctx: RenderContext): string {
  return repositoryOf(ctx).web;
}
