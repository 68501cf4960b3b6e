import { GitHubError } from '../errors';
import { renderTeamFull } from '../representations/organizationRepresentations';
import { Route } from '../routing';

/* The organisation's teams, as the scaffolder looks a team up before naming it a reviewer. */
export const organizationRoutes: Route[] = [
  {
    method: 'GET',
    path: '/orgs/{org}/teams/{team_slug}',
    handler: ctx => {
      const organization = ctx.state.users.find(
        user =>
          user.type === 'Organization' &&
          user.login.toLowerCase() === ctx.params.org.toLowerCase(),
      );
      const team = ctx.state.teams.find(t => t.slug === ctx.params.team_slug);
      if (!organization || !team)
        throw new GitHubError(
          404,
          'Not Found',
          'https://docs.github.com/rest/teams/teams#get-a-team-by-name',
        );
      return { body: renderTeamFull(ctx, organization.login, team) };
    },
  },
];
