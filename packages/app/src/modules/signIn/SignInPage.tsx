import { useEffect, useState } from 'react';
import { SignInPage, SignInProviderConfig } from '@backstage/core-components';
import {
  configApiRef,
  errorApiRef,
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

/**
 * Reads the configured sign-in methods; GitHub when nothing is configured. A refused sign-in's
 * reason replaces the GitHub card's message, so the card says why and what to do.
 */
export function signInProviders(
  configured: string[] | undefined,
  refusal?: string,
): ('guest' | SignInProviderConfig)[] {
  const names = configured?.length ? configured : ['github'];
  return names.map(name => {
    const provider = KNOWN_PROVIDERS[name];
    if (refusal && provider !== 'guest' && provider) {
      return { ...provider, message: `Sign-in refused. ${refusal}` };
    }
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

/** The innermost reason of a failed sign-in: the backend's refusal, not "Login failed". */
function reasonOf(error: Error): string {
  let reason: Error = error;
  while ((reason as { cause?: Error }).cause) {
    reason = (reason as { cause: Error }).cause;
  }
  return reason.message;
}

/**
 * The portal's sign-in page: GitHub in production, the guest only where the local configuration
 * says so. Which one is configuration, so that no build of the app can let a guest in. A refused
 * sign-in stays on the page, its card saying why (e.g. a GitHub account that is not in the catalog).
 */
export function TitanicSignInPage(props: SignInPageProps) {
  const config = useApi(configApiRef);
  const errorApi = useApi(errorApiRef);
  const [refusal, setRefusal] = useState<string>();
  useEffect(() => {
    const subscription = errorApi
      .error$()
      .subscribe(({ error }) => setRefusal(reasonOf(error as Error)));
    return () => subscription.unsubscribe();
  }, [errorApi]);
  const providers = signInProviders(
    config.getOptionalStringArray('titanic.signIn.providers'),
    refusal,
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
