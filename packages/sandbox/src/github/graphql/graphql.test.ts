import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { Entity } from '@backstage/catalog-model';
import { GithubMultiOrgEntityProvider } from '@backstage/plugin-catalog-backend-module-github';
import { graphql } from '@octokit/graphql';
import { Octokit } from '@octokit/rest';
import {
  GITHUB_PORTAL_BOT_TOKEN,
  GitHubSandbox,
  startGitHubServer,
} from '../../index';

/*
 * The sandbox's GraphQL API, as Backstage's github-org catalog provider uses it: the real
 * provider reads the acme-corp organisation into Users and Groups, and every query it sends is
 * validated and executed against GitHub's published schema.
 */

jest.setTimeout(60_000);

let github: GitHubSandbox;
let query: typeof graphql;

beforeAll(async () => {
  github = await startGitHubServer();
  query = graphql.defaults({
    baseUrl: github.baseUrl,
    headers: { authorization: `token ${GITHUB_PORTAL_BOT_TOKEN}` },
  });
});

afterAll(async () => {
  await github?.close();
});

/** Runs the github-org provider once against the sandbox and returns what it would write. */
async function readOrganisation(): Promise<Entity[]> {
  const host = `localhost:${new URL(github.baseUrl).port}`;
  const provider = GithubMultiOrgEntityProvider.fromConfig(
    new ConfigReader({
      integrations: {
        github: [
          { host, apiBaseUrl: github.baseUrl, token: GITHUB_PORTAL_BOT_TOKEN },
        ],
      },
    }),
    {
      id: 'sandbox',
      githubUrl: `http://${host}`,
      orgs: ['acme-corp'],
      alwaysUseDefaultNamespace: true,
      schedule: 'manual',
      logger: mockServices.logger.mock(),
    },
  );
  const written: Entity[] = [];
  await provider.connect({
    async applyMutation(mutation) {
      if (mutation.type === 'full') {
        written.push(...mutation.entities.map(({ entity }) => entity));
      }
    },
    async refresh() {},
  });
  await provider.read();
  return written;
}

describe("the sandbox's GitHub GraphQL API", () => {
  it("gives Backstage's github-org provider the organisation's people and teams", async () => {
    const entities = await readOrganisation();
    const users = entities.filter(entity => entity.kind === 'User');
    const groups = entities.filter(entity => entity.kind === 'Group');

    expect(users.map(user => user.metadata.name).sort()).toEqual([
      'alice',
      'bob',
      'carol',
      'dave',
      'guest-acme',
      'octo-viewer',
      'titanic-portal-bot',
    ]);
    // An account outside the organisation never becomes a catalog user.
    expect(users.map(user => user.metadata.name)).not.toContain('mallory');
    expect(
      Object.fromEntries(
        groups.map(group => [group.metadata.name, group.spec?.members]),
      ),
    ).toEqual({
      'titanic-maintainers': ['default/alice', 'default/guest-acme'],
      'titanic-team': ['default/alice', 'default/bob', 'default/guest-acme'],
      'platform-team': ['default/carol'],
      'data-team': ['default/dave'],
    });
    const carol = users.find(user => user.metadata.name === 'carol')!;
    expect(carol.spec?.memberOf).toEqual(['platform-team']);
    expect(carol.spec?.profile).toMatchObject({
      displayName: 'Carol Chen',
      email: 'carol@acme-corp.example',
    });
  });

  it("annotates each user with the login and the account id the REST API's /user gives", async () => {
    const entities = await readOrganisation();
    const alice = entities.find(entity => entity.metadata.name === 'alice')!;
    const rest = new Octokit({
      baseUrl: github.baseUrl,
      auth: GITHUB_PORTAL_BOT_TOKEN,
    });
    const { data: bot } = await rest.rest.users.getAuthenticated();
    const botEntity = entities.find(
      entity => entity.metadata.name === 'titanic-portal-bot',
    )!;

    expect(alice.metadata.annotations).toMatchObject({
      'github.com/user-login': 'alice',
      'github.com/user-id': expect.stringMatching(/^U_/),
    });
    expect(botEntity.metadata.annotations?.['github.com/user-id']).toBe(
      bot.node_id,
    );
  });

  it('pages connections with cursors, at most 100 at a time', async () => {
    const page = `query ($cursor: String) {
      organization(login: "acme-corp") {
        membersWithRole(first: 4, after: $cursor) {
          totalCount
          pageInfo { hasNextPage endCursor }
          edges { role node { login } }
        }
      }
    }`;
    const first: any = await query(page);
    const second: any = await query(page, {
      cursor: first.organization.membersWithRole.pageInfo.endCursor,
    });

    expect(first.organization.membersWithRole).toMatchObject({
      totalCount: 7,
      pageInfo: { hasNextPage: true },
    });
    expect(first.organization.membersWithRole.edges).toHaveLength(4);
    expect(
      second.organization.membersWithRole.edges.map((e: any) => e.node.login),
    ).toEqual(['guest-acme', 'octo-viewer', 'titanic-portal-bot']);
    expect(second.organization.membersWithRole.pageInfo.hasNextPage).toBe(
      false,
    );
    await expect(
      query(
        `{ organization(login: "acme-corp") { teams(first: 101) { totalCount } } }`,
      ),
    ).rejects.toMatchObject({
      errors: [
        expect.objectContaining({
          type: 'EXCESSIVE_PAGINATION',
          message:
            'Requesting 101 records on the `teams` connection exceeds the `first` limit of 100 records.',
        }),
      ],
    });
  });

  it('filters teams by member logins, as the provider does for one person', async () => {
    const result: any = await query(
      `query ($logins: [String!]) {
        organization(login: "acme-corp") {
          teams(first: 10, userLogins: $logins) { nodes { slug combinedSlug } }
        }
      }`,
      { logins: ['alice'] },
    );

    expect(result.organization.teams.nodes).toEqual([
      {
        slug: 'titanic-maintainers',
        combinedSlug: 'acme-corp/titanic-maintainers',
      },
      { slug: 'titanic-team', combinedSlug: 'acme-corp/titanic-team' },
    ]);
  });

  it('refuses a query GitHub would refuse, and names what is wrong', async () => {
    await expect(
      query(
        `{ organization(login: "acme-corp") { membersWithRole(first: 1) { nodes { password } } } }`,
      ),
    ).rejects.toMatchObject({
      errors: [
        expect.objectContaining({
          message: 'Cannot query field "password" on type "User".',
        }),
      ],
    });
    await expect(
      query(
        `{ organization(login: "acme-corp") { membersWithRole { totalCount } } }`,
      ),
    ).rejects.toMatchObject({
      errors: [
        expect.objectContaining({ type: 'MISSING_PAGINATION_BOUNDARIES' }),
      ],
    });
  });

  it('answers an unknown organisation with NOT_FOUND and no data for it', async () => {
    await expect(
      query(`{ organization(login: "globex") { login } }`),
    ).rejects.toMatchObject({
      errors: [
        expect.objectContaining({
          type: 'NOT_FOUND',
          path: ['organization'],
          message:
            "Could not resolve to an Organization with the login of 'globex'.",
        }),
      ],
      data: { organization: null },
    });
  });

  it('needs a valid token, like GitHub', async () => {
    const anonymous = await fetch(`${github.baseUrl}/graphql`, {
      method: 'POST',
      body: JSON.stringify({ query: '{ viewer { login } }' }),
    });
    const forged = await fetch(`${github.baseUrl}/graphql`, {
      method: 'POST',
      headers: { authorization: 'bearer gho_forged' },
      body: JSON.stringify({ query: '{ viewer { login } }' }),
    });

    expect(anonymous.status).toBe(401);
    expect(await anonymous.json()).toMatchObject({
      message: 'This endpoint requires you to be authenticated.',
    });
    expect(forged.status).toBe(401);
    const viewer: any = await query('{ viewer { login } }');
    expect(viewer.viewer.login).toBe('titanic-portal-bot');
  });
});
