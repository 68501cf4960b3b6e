import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { NotAllowedError, isError } from '@backstage/errors';
import { GithubProfile } from '@backstage/plugin-auth-backend-module-github-provider';
import {
  AuthResolverContext,
  OAuthAuthenticatorResult,
  SignInInfo,
} from '@backstage/plugin-auth-node';

/** Written on every User by the github-org catalog provider. */
export const GITHUB_USER_LOGIN_ANNOTATION = 'github.com/user-login';
export const GITHUB_USER_ID_ANNOTATION = 'github.com/user-id';

type GitHubSignIn = SignInInfo<OAuthAuthenticatorResult<GithubProfile>>;

/**
 * Signs a GitHub account in as the catalog User whose `github.com/user-login` annotation is its
 * login. Where the User also records the account's id (`github.com/user-id`, as the github-org
 * provider writes it), the ids must agree: a login renamed and then taken by someone else is not
 * the same person. Without a matching User nobody is let in, with a reason that says what to do.
 */
export async function signInByGitHubLogin(
  info: GitHubSignIn,
  ctx: AuthResolverContext,
) {
  const login = info.result.fullProfile.username;
  const accountId = info.result.fullProfile.nodeId;
  if (!login) {
    throw new NotAllowedError(
      'GitHub did not say which account signed in (no login in its profile); sign-in refused.',
    );
  }
  let entity: Entity;
  try {
    ({ entity } = await ctx.findCatalogUser({
      annotations: { [GITHUB_USER_LOGIN_ANNOTATION]: login },
    }));
  } catch (error) {
    if (isError(error) && error.name === 'NotFoundError') {
      throw new NotAllowedError(
        `The GitHub account "${login}" is not a person of this portal: no catalog user has ` +
          `${GITHUB_USER_LOGIN_ANNOTATION}: ${login}. People and teams come from the GitHub ` +
          'organisation; ask the platform team to add you to it.',
      );
    }
    if (isError(error) && error.name === 'ConflictError') {
      throw new NotAllowedError(
        `Several catalog users claim the GitHub login "${login}"; sign-in refused until the ` +
          'platform team removes the duplicate.',
      );
    }
    throw error;
  }
  const knownId = entity.metadata.annotations?.[GITHUB_USER_ID_ANNOTATION];
  if (knownId && knownId !== accountId) {
    throw new NotAllowedError(
      `The GitHub account signed in as "${login}" is not the account ${stringifyEntityRef(
        entity,
      )} belongs to (its id differs): the login was renamed or reused. Sign-in refused.`,
    );
  }
  const { ownershipEntityRefs } = await ctx.resolveOwnershipEntityRefs(entity);
  return ctx.issueToken({
    claims: { sub: stringifyEntityRef(entity), ent: ownershipEntityRefs },
  });
}
