import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { ConflictError, NotFoundError } from '@backstage/errors';
import { AuthResolverContext } from '@backstage/plugin-auth-node';
import { signInByGitHubLogin } from './gitHubLoginResolver';

function user(name: string, annotations: Record<string, string>): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'User',
    metadata: { name, namespace: 'default', annotations },
    spec: { memberOf: ['titanic-team'] },
  };
}

/** The part of the auth backend's resolver context the resolver uses, over a list of users. */
function contextOver(users: Entity[]) {
  const issued: unknown[] = [];
  const ctx = {
    async findCatalogUser(query: { annotations: Record<string, string> }) {
      const matches = users.filter(candidate =>
        Object.entries(query.annotations).every(
          ([key, value]) => candidate.metadata.annotations?.[key] === value,
        ),
      );
      if (matches.length > 1) throw new ConflictError('multiple matches');
      if (!matches.length) throw new NotFoundError('User not found');
      return { entity: matches[0] };
    },
    async resolveOwnershipEntityRefs(entity: Entity) {
      return {
        ownershipEntityRefs: [
          stringifyEntityRef(entity),
          'group:default/titanic-team',
        ],
      };
    },
    async issueToken(params: unknown) {
      issued.push(params);
      return { token: 'issued' };
    },
  } as unknown as AuthResolverContext;
  return { ctx, issued };
}

function signedInAs(username: string | undefined, nodeId?: string) {
  return {
    profile: {},
    result: {
      fullProfile: {
        id: '1',
        provider: 'github',
        displayName: '',
        username,
        nodeId,
      },
      session: { accessToken: 't', tokenType: 'bearer', scope: 'read:user' },
    },
  } as any;
}

const alice = user('alice', {
  'github.com/user-login': 'alice',
  'github.com/user-id': 'U_alice',
});

describe('signing a GitHub account in by its login annotation', () => {
  it('issues the identity of the catalog user with that login, with their ownership', async () => {
    const { ctx, issued } = contextOver([alice]);

    await signInByGitHubLogin(signedInAs('alice', 'U_alice'), ctx);

    expect(issued).toEqual([
      {
        claims: {
          sub: 'user:default/alice',
          ent: ['user:default/alice', 'group:default/titanic-team'],
        },
      },
    ]);
  });

  it('signs in a user whose entity records no account id, by login alone', async () => {
    const { ctx, issued } = contextOver([
      user('bob', { 'github.com/user-login': 'bob' }),
    ]);

    await signInByGitHubLogin(signedInAs('bob', 'U_bob'), ctx);

    expect(issued).toHaveLength(1);
  });

  it('refuses an account no catalog user claims, saying what to do', async () => {
    const { ctx, issued } = contextOver([alice]);

    await expect(
      signInByGitHubLogin(signedInAs('mallory', 'U_mallory'), ctx),
    ).rejects.toMatchObject({
      name: 'NotAllowedError',
      message: expect.stringContaining(
        'The GitHub account "mallory" is not a person of this portal',
      ),
    });
    expect(issued).toEqual([]);
  });

  it('refuses a login now held by another account than the one the catalog knows', async () => {
    const { ctx, issued } = contextOver([alice]);

    await expect(
      signInByGitHubLogin(signedInAs('alice', 'U_someone_else'), ctx),
    ).rejects.toThrow(/the login was renamed or reused/);
    expect(issued).toEqual([]);
  });

  it('refuses when two catalog users claim the same login', async () => {
    const { ctx } = contextOver([
      alice,
      user('alice-copy', { 'github.com/user-login': 'alice' }),
    ]);

    await expect(
      signInByGitHubLogin(signedInAs('alice', 'U_alice'), ctx),
    ).rejects.toThrow(/Several catalog users claim the GitHub login "alice"/);
  });

  it('refuses a profile without a login', async () => {
    const { ctx } = contextOver([alice]);

    await expect(
      signInByGitHubLogin(signedInAs(undefined), ctx),
    ).rejects.toThrow(/GitHub did not say which account signed in/);
  });
});
