import { createBackendModule } from '@backstage/backend-plugin-api';
import {
  githubAuthenticator,
  githubSignInResolvers,
} from '@backstage/plugin-auth-backend-module-github-provider';
import {
  authProvidersExtensionPoint,
  commonSignInResolvers,
  createOAuthProviderFactory,
} from '@backstage/plugin-auth-node';
import { signInByGitHubLogin } from './gitHubLoginResolver';

/**
 * The `github` sign-in provider: Backstage's own GitHub authenticator, signing people in with
 * `signInByGitHubLogin` unless the configuration names one of the upstream resolvers
 * (`signIn.resolvers`, which keeps its upstream schema). Installed instead of
 * `@backstage/plugin-auth-backend-module-github-provider`'s module (both would claim `github`).
 */
export const authModuleTitanicGitHubProvider = createBackendModule({
  pluginId: 'auth',
  moduleId: 'titanic-github-provider',
  register(reg) {
    reg.registerInit({
      deps: { providers: authProvidersExtensionPoint },
      async init({ providers }) {
        providers.registerProvider({
          providerId: 'github',
          factory: createOAuthProviderFactory({
            authenticator: githubAuthenticator,
            signInResolver: signInByGitHubLogin,
            signInResolverFactories: {
              ...githubSignInResolvers,
              ...commonSignInResolvers,
            },
          }),
        });
      },
    });
  },
});
