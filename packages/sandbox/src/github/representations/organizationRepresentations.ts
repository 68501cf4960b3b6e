import { TeamRecord } from '../../world/records';
import { renderTeam } from './deploymentRepresentations';
import { RenderContext, WEB, nodeId } from './renderContext';
import { findUser } from './repositoryRepresentations';

/* The organisation and its teams (routes/organizationRoutes.ts). */

export function renderTeamOrganization(ctx: RenderContext, login: string) {
  const organization = findUser(ctx, login);
  const api = `${ctx.apiUrl}/orgs/${organization.login}`;
  return {
    login: organization.login,
    id: organization.id,
    node_id: nodeId('O', organization.id),
    url: api,
    repos_url: `${api}/repos`,
    events_url: `${api}/events`,
    hooks_url: `${api}/hooks`,
    issues_url: `${api}/issues`,
    members_url: `${api}/members{/member}`,
    public_members_url: `${api}/public_members{/member}`,
    avatar_url: `https://avatars.githubusercontent.com/u/${organization.id}?v=4`,
    description: organization.name,
    name: organization.name,
    html_url: `${WEB}/${organization.login}`,
    has_organization_projects: true,
    has_repository_projects: true,
    public_repos: 0,
    public_gists: 0,
    followers: 0,
    following: 0,
    type: 'Organization',
    created_at: '2026-09-01T08:00:00Z',
    updated_at: '2026-09-01T08:00:00Z',
    archived_at: null,
  };
}

export function renderTeamFull(
  ctx: RenderContext,
  organization: string,
  team: TeamRecord,
) {
  return {
    ...renderTeam(ctx, team),
    members_count: team.members.length,
    repos_count: 1,
    created_at: '2026-09-01T08:00:00Z',
    updated_at: '2026-09-01T08:00:00Z',
    organization: renderTeamOrganization(ctx, organization),
  };
}
