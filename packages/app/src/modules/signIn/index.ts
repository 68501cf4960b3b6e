import { createFrontendModule } from '@backstage/frontend-plugin-api';
import { SignInPageBlueprint } from '@backstage/plugin-app-react';

/** Replaces the app's default guest-only sign-in page with the configured sign-in methods. */
const signInPage = SignInPageBlueprint.make({
  params: {
    loader: async () =>
      import('./SignInPage').then(module => module.TitanicSignInPage),
  },
});

export const signInModule = createFrontendModule({
  pluginId: 'app',
  extensions: [signInPage],
});
