import { Sandbox } from '@internal/sandbox';

/** The sandbox's OAuth app for the portal's GitHub sign-in (packages/sandbox oauthApps.ts). */
const PORTAL_APP = {
  clientId: 'sandbox-oauth-client-id',
  clientSecret: 'sandbox-oauth-client-secret',
  callbackUrl: 'http://localhost:7007/api/auth/github/handler/frame',
};

/**
 * A person's own GitHub token, as the portal's GitHub sign-in obtains it in the browser: the
 * person picks their account on the sandbox's authorize page, the portal exchanges the code.
 */
export async function gitHubUserToken(
  sandbox: Sandbox,
  login: string,
): Promise<string> {
  const chosen = await fetch(
    new URL('/login/oauth/authorize', sandbox.github.baseUrl),
    {
      method: 'POST',
      body: new URLSearchParams({
        client_id: PORTAL_APP.clientId,
        redirect_uri: PORTAL_APP.callbackUrl,
        state: 'state',
        scope: 'repo read:user',
        login,
      }),
      redirect: 'manual',
    },
  );
  const code = new URL(chosen.headers.get('location')!).searchParams.get(
    'code',
  );
  if (!code) throw new Error(`the sandbox gave ${login} no code`);
  const exchanged = await fetch(
    new URL('/login/oauth/access_token', sandbox.github.baseUrl),
    {
      method: 'POST',
      headers: { accept: 'application/json' },
      body: new URLSearchParams({
        client_id: PORTAL_APP.clientId,
        client_secret: PORTAL_APP.clientSecret,
        redirect_uri: PORTAL_APP.callbackUrl,
        code,
      }),
    },
  );
  const { access_token: token } = (await exchanged.json()) as {
    access_token?: string;
  };
  if (!token) throw new Error(`the sandbox issued ${login} no token`);
  return token;
}
