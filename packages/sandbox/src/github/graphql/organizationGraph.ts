import { GraphQLError } from 'graphql';
import { TeamRecord, UserRecord, WorldState } from '../../world/records';
import { nodeId } from '../representations/renderContext';

/*
 * The part of GitHub's graph the portal reads: an organisation, its members with their roles,
 * its teams with their members, and people with the organisations they belong to — what
 * Backstage's github-org catalog provider asks for. Objects follow graphql-js's default
 * resolvers: a field is a value, or a function of the field's arguments. Node ids are the ones
 * the REST API gives (`node_id`), so a person is the same id over REST and GraphQL.
 */

const WEB = 'https://github.com';
const MAX_PAGE = 100;

interface ConnectionArgs {
  first?: number | null;
  last?: number | null;
  after?: string | null;
  before?: string | null;
}

/** A GitHub-shaped GraphQL error; `type` is what GitHub puts beside the message. */
export class GitHubGraphQLError extends GraphQLError {
  constructor(
    message: string,
    readonly type:
      | 'NOT_FOUND'
      | 'MISSING_PAGINATION_BOUNDARIES'
      | 'EXCESSIVE_PAGINATION',
  ) {
    super(message);
  }
}

const isSet = <T>(value: T | null | undefined): value is T =>
  value !== null && value !== undefined;

const cursorOf = (index: number) =>
  Buffer.from(`cursor:v2:${index}`).toString('base64');

function indexOf(cursor: string, connectionName: string): number {
  const match = /^cursor:v2:(\d+)$/.exec(
    Buffer.from(cursor, 'base64').toString('utf8'),
  );
  if (!match) {
    throw new GraphQLError(
      `\`${cursor}\` does not appear to be a valid cursor for the \`${connectionName}\` connection.`,
    );
  }
  return Number(match[1]);
}

/**
 * A Relay connection over `items`, paged the way GitHub pages (first/after, last/before, ≤ 100):
 * `node` makes an item's object, `edgeFields` what its edge carries besides (e.g. a role).
 */
function connection<T>(
  name: string,
  items: T[],
  args: ConnectionArgs,
  node: (item: T) => Record<string, unknown>,
  edgeFields: (item: T) => Record<string, unknown> = () => ({}),
) {
  const { first, last, after, before } = args;
  if (!isSet(first) && !isSet(last)) {
    throw new GitHubGraphQLError(
      `You must provide a \`first\` or \`last\` value to properly paginate the \`${name}\` connection.`,
      'MISSING_PAGINATION_BOUNDARIES',
    );
  }
  for (const [argument, value] of [
    ['first', first],
    ['last', last],
  ] as const) {
    if (isSet(value) && (value < 0 || value > MAX_PAGE)) {
      throw new GitHubGraphQLError(
        `Requesting ${value} records on the \`${name}\` connection exceeds the \`${argument}\` limit of ${MAX_PAGE} records.`,
        'EXCESSIVE_PAGINATION',
      );
    }
  }
  let start = after ? indexOf(after, name) + 1 : 0;
  let end = before ? indexOf(before, name) : items.length;
  end = Math.max(start, Math.min(end, items.length));
  if (isSet(first)) end = Math.min(end, start + first);
  if (isSet(last)) start = Math.max(start, end - last);
  const slice = items.slice(start, end);
  const nodes = slice.map(node);
  return {
    totalCount: items.length,
    nodes,
    edges: slice.map((item, i) => ({
      cursor: cursorOf(start + i),
      node: nodes[i],
      ...edgeFields(item),
    })),
    pageInfo: {
      hasNextPage: end < items.length,
      hasPreviousPage: start > 0,
      startCursor: slice.length ? cursorOf(start) : null,
      endCursor: slice.length ? cursorOf(end - 1) : null,
    },
  };
}

export function organizationGraph(state: WorldState, viewerLogin: string) {
  const org = state.users.find(user => user.type === 'Organization')!;
  const orgLogin = org.login;
  const isMember = (login: string) =>
    state.organizationMembers.some(member => member.login === login);
  const person = (login: string) =>
    state.users.find(user => user.login === login && user.type === 'User');

  function userNode(user: UserRecord): Record<string, unknown> {
    return {
      __typename: 'User',
      id: nodeId('U', user.id),
      databaseId: user.id,
      login: user.login,
      name: user.name,
      // GitHub's `email` is the public profile email, "" when there is none.
      email: user.email,
      bio: null,
      company: null,
      location: null,
      avatarUrl: () => `https://avatars.githubusercontent.com/u/${user.id}?v=4`,
      url: `${WEB}/${user.login}`,
      resourcePath: `/${user.login}`,
      isSiteAdmin: user.siteAdmin,
      suspendedAt: null,
      createdAt: '2026-09-01T08:00:00Z',
      updatedAt: '2026-09-01T08:00:00Z',
      // Emails on the organisation's verified domain (acme-corp.example), for its members only.
      organizationVerifiedDomainEmails: ({ login }: { login: string }) =>
        login === orgLogin &&
        isMember(user.login) &&
        user.email.endsWith(`@${orgLogin}.example`)
          ? [user.email]
          : [],
      organizations: (args: ConnectionArgs) =>
        connection(
          'organizations',
          isMember(user.login) ? [org] : [],
          args,
          () => organizationNode(),
        ),
    };
  }

  const membersOf = (team: TeamRecord) =>
    team.members.flatMap(login => {
      const user = person(login);
      return user ? [user] : [];
    });

  function teamNode(team: TeamRecord): Record<string, unknown> {
    return {
      __typename: 'Team',
      id: nodeId('T', team.id),
      databaseId: team.id,
      slug: team.slug,
      combinedSlug: `${orgLogin}/${team.slug}`,
      name: team.name,
      description: team.description,
      privacy: 'VISIBLE',
      avatarUrl: () => null,
      url: `${WEB}/orgs/${orgLogin}/teams/${team.slug}`,
      resourcePath: `/orgs/${orgLogin}/teams/${team.slug}`,
      editTeamUrl: `${WEB}/orgs/${orgLogin}/teams/${team.slug}/edit`,
      parentTeam: null,
      organization: () => organizationNode(),
      members: (args: ConnectionArgs & { query?: string | null }) =>
        connection(
          'members',
          membersOf(team).filter(
            user => !args.query || user.login.includes(args.query),
          ),
          args,
          userNode,
          () => ({ role: 'MEMBER' }),
        ),
    };
  }

  function organizationNode(): Record<string, unknown> {
    return {
      __typename: 'Organization',
      id: nodeId('O', org.id),
      databaseId: org.id,
      login: orgLogin,
      name: org.name,
      email: null,
      description: null,
      avatarUrl: () => `https://avatars.githubusercontent.com/u/${org.id}?v=4`,
      url: `${WEB}/${orgLogin}`,
      resourcePath: `/${orgLogin}`,
      viewerIsAMember: isMember(viewerLogin),
      membersWithRole: (args: ConnectionArgs) =>
        connection(
          'membersWithRole',
          state.organizationMembers.flatMap(member => {
            const user = person(member.login);
            return user ? [{ user, role: member.role }] : [];
          }),
          args,
          ({ user }) => userNode(user),
          ({ role }) => ({ role }),
        ),
      teams: (args: ConnectionArgs & { userLogins?: string[] | null }) =>
        connection('teams', teamsOf(args.userLogins), args, teamNode),
      team: ({ slug }: { slug: string }) => {
        const team = state.teams.find(candidate => candidate.slug === slug);
        return team ? teamNode(team) : null;
      },
    };
  }

  /** Teams having any of `userLogins` as a member; every team without the filter. */
  function teamsOf(userLogins?: string[] | null) {
    return state.teams.filter(
      team =>
        !userLogins?.length ||
        team.members.some(login => userLogins.includes(login)),
    );
  }

  const notFound = (kind: string, login: string) =>
    new GitHubGraphQLError(
      `Could not resolve to ${kind} with the login of '${login}'.`,
      'NOT_FOUND',
    );

  return {
    organization: ({ login }: { login: string }) => {
      if (login.toLowerCase() !== orgLogin.toLowerCase()) {
        throw notFound('an Organization', login);
      }
      return organizationNode();
    },
    user: ({ login }: { login: string }) => {
      const user = person(login);
      if (!user) throw notFound('a User', login);
      return userNode(user);
    },
    repositoryOwner: ({ login }: { login: string }) => {
      if (login.toLowerCase() === orgLogin.toLowerCase()) {
        return organizationNode();
      }
      const user = person(login);
      return user ? userNode(user) : null;
    },
    viewer: () => {
      const user = person(viewerLogin);
      if (!user) throw notFound('a User', viewerLogin);
      return userNode(user);
    },
  };
}
