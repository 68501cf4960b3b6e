import { WorldState } from '../../world/records';

/*
 * World records rendered as GitHub REST API JSON (api.github.com, version 2022-11-28), one file
 * per resource as routes/ has one file of routes per resource. API URLs point at the sandbox's
 * own base URL so clients that follow them stay local; html_url fields of the seeded repository
 * point at github.com as they would for the real repository.
 */

export interface RenderContext {
  state: WorldState;
  apiUrl: string;
  now: number;
}

export const WEB = 'https://github.com';

export function nodeId(prefix: string, id: number | string): string {
  return `${prefix}_${Buffer.from(`${prefix}:${id}`)
    .toString('base64')
    .replace(/=+$/, '')}`;
}

export function repoApi(ctx: RenderContext): string {
  const repo = ctx.state.repository;
  return `${ctx.apiUrl}/repos/${repo.owner}/${repo.name}`;
}

export function repoWeb(ctx: RenderContext): string {
  const repo = ctx.state.repository;
  return `${WEB}/${repo.owner}/${repo.name}`;
}
