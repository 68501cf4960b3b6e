import { useEffect, useState } from 'react';
import {
  SignInPage,
  SignInProviderConfig,
  WarningPanel,
} from '@backstage/core-components';
import {
  configApiRef,
  errorApiRef,
  githubAuthApiRef,
  useApi,
} from '@backstage/core-plugin-api';
import { SignInPageProps } from '@backstage/plugin-app-react';
import Box from '@material-ui/core/Box';

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
 * sign-in stays on the page with its reason (e.g. a GitHub account that is not in the catalog).
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
  );
  return (
    <>
      {refusal && (
        <Box maxWidth={720} margin="24px auto 0" data-testid="sign-in-refused">
          <WarningPanel
            severity="error"
            title="Sign-in refused"
            defaultExpanded
          >
            {refusal}
          </WarningPanel>
        </Box>
      )}
      <SignInPage
        {...props}
        title="Titanic Portal"
        align="center"
        providers={providers}
      />
    </>
  );
}
