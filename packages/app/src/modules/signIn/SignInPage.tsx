import { SignInPage, SignInProviderConfig } from '@backstage/core-components';
import {
  configApiRef,
  githubAuthApiRef,
  useApi,
} from '@backstage/core-plugin-api';
import { SignInPageProps } from '@backstage/plugin-app-react';

/** The sign-in methods the portal knows, by the name `titanic.signIn.providers` uses. */
const KNOWN_PROVIDERS: Record<string, 'guest' | SignInProviderConfig> = {
  github: {
    id: 'github-auth-provider',
    title: 'GitHub',
    message:
      'Sign in with your GitHub account. You need to be a member of the organisation.',
    apiRef: githubAuthApiRef,
  },
  guest: 'guest',
};

/** Reads the configured sign-in methods; GitHub when nothing is configured. */
export function signInProviders(
  configured: string[] | undefined,
): ('guest' | SignInProviderConfig)[] {
  const names = configured?.length ? configured : ['github'];
  return names.map(name => {
    const provider = KNOWN_PROVIDERS[name];
    if (!provider) {
      throw new Error(
        `titanic.signIn.providers: unknown sign-in method "${name}"; use ${Object.keys(
          KNOWN_PROVIDERS,
        ).join(' or ')}`,
      );
    }
    return provider;
  });
}

/**
 * The portal's sign-in page: GitHub in production, the guest only where the local configuration
 * says so. Which one is configuration, so that no build of the app can let a guest in.
 */
export function TitanicSignInPage(props: SignInPageProps) {
  const config = useApi(configApiRef);
  const providers = signInProviders(
    config.getOptionalStringArray('titanic.signIn.providers'),
  );
  return (
    <SignInPage
      {...props}
      title="Titanic Portal"
      align="center"
      providers={providers}
    />
  );
}
