import http from 'node:http';
import { readBody } from '../../http/listen';
import {
  OAuthApp,
  OAuthAuthority,
  parseScopes,
  redirectAllowed,
} from './oauthApps';

/*
 * The browser side of GitHub's OAuth web flow: the authorize page, where the sandbox lets you
 * pick which of its people you are (there are no passwords here), and the token exchange the
 * app's backend calls. Paths as on github.com: /login/oauth/authorize and
 * /login/oauth/access_token.
 */

export const AUTHORIZE_PATH = '/login/oauth/authorize';
export const ACCESS_TOKEN_PATH = '/login/oauth/access_token';

export function isOAuthPath(pathname: string): boolean {
  return pathname === AUTHORIZE_PATH || pathname === ACCESS_TOKEN_PATH;
}

const escape = (text: string) =>
  text.replace(
    /[&<>"']/g,
    c =>
      ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[
        c
      ]!),
  );

function page(
  response: http.ServerResponse,
  status: number,
  title: string,
  body: string,
): void {
  response.writeHead(status, {
    'content-type': 'text/html; charset=utf-8',
    'cache-control': 'no-store',
    'x-frame-options': 'deny',
  });
  response.end(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escape(title)}</title>
<style>
body{font:14px -apple-system,Segoe UI,Helvetica,Arial,sans-serif;background:#f6f8fa;color:#1f2328;margin:0}
main{max-width:440px;margin:48px auto;background:#fff;border:1px solid #d0d7de;border-radius:6px;padding:24px}
h1{font-size:20px;font-weight:400;margin:0 0 8px}
p{color:#59636e}
form{margin:8px 0}
button{width:100%;text-align:left;padding:10px 12px;border:1px solid #d0d7de;border-radius:6px;background:#f6f8fa;font:inherit;cursor:pointer}
button:hover{background:#eef1f4}
.error{border-color:#ff8182;background:#ffebe9}
small{display:block;color:#59636e;margin-top:16px}
</style></head><body><main>${body}</main></body></html>`);
}

function errorPage(
  response: http.ServerResponse,
  status: number,
  message: string,
): void {
  page(
    response,
    status,
    'GitHub · Authorization error',
    `<h1>Authorization error</h1><p class="error" role="alert">${escape(
      message,
    )}</p>`,
  );
}

interface AuthorizeRequest {
  app: OAuthApp;
  redirectUri: string;
  state: string;
  scope: string;
}

/** Checks the app and redirect_uri before anything is shown or issued. */
function authorizeRequest(
  params: URLSearchParams,
  authority: OAuthAuthority,
  response: http.ServerResponse,
): AuthorizeRequest | undefined {
  const app = authority.app(params.get('client_id'));
  if (!app) {
    errorPage(response, 404, 'No OAuth application has this client_id.');
    return undefined;
  }
  const redirectUri = params.get('redirect_uri') ?? app.callbackUrl;
  if (!redirectAllowed(app, redirectUri)) {
    errorPage(
      response,
      400,
      `The redirect_uri is not associated with ${app.name}: it must be ${app.callbackUrl} or below it.`,
    );
    return undefined;
  }
  return {
    app,
    redirectUri,
    state: params.get('state') ?? '',
    scope: params.get('scope') ?? '',
  };
}

function showAuthorizePage(
  response: http.ServerResponse,
  request: AuthorizeRequest,
  authority: OAuthAuthority,
): void {
  const hidden = (name: string, value: string) =>
    `<input type="hidden" name="${name}" value="${escape(value)}">`;
  const people = authority
    .people()
    .map(
      person => `<form method="post" action="${AUTHORIZE_PATH}">
${hidden('client_id', request.app.clientId)}${hidden(
        'redirect_uri',
        request.redirectUri,
      )}${hidden('state', request.state)}${hidden(
        'scope',
        request.scope,
      )}${hidden('login', person.login)}
<button type="submit">Continue as ${escape(person.login)} (${escape(
        person.name,
      )})</button></form>`,
    )
    .join('\n');
  const scopes = parseScopes(request.scope);
  page(
    response,
    200,
    `Authorize ${request.app.name}`,
    `<h1>Authorize ${escape(request.app.name)}</h1>
<p>${escape(request.app.name)} wants to know who you are on GitHub${
      scopes.length ? ` (scopes: ${escape(scopes.join(', '))})` : ''
    }. This is the sandbox GitHub: choose which of its people you are.</p>
${people}
<small>You will be sent back to ${escape(
      new URL(request.redirectUri).origin,
    )}.</small>`,
  );
}

export async function serveOAuthRequest(
  request: http.IncomingMessage,
  response: http.ServerResponse,
  url: URL,
  authority: OAuthAuthority,
): Promise<void> {
  const method = request.method ?? 'GET';
  if (url.pathname === AUTHORIZE_PATH && method === 'GET') {
    const authorize = authorizeRequest(url.searchParams, authority, response);
    if (authorize) showAuthorizePage(response, authorize, authority);
    return;
  }
  if (url.pathname === AUTHORIZE_PATH && method === 'POST') {
    const form = new URLSearchParams(
      (await readBody(request)).toString('utf8'),
    );
    const authorize = authorizeRequest(form, authority, response);
    if (!authorize) return;
    const login = form.get('login') ?? '';
    if (!authority.people().some(person => person.login === login)) {
      errorPage(response, 422, `There is no GitHub account "${login}" here.`);
      return;
    }
    const code = authority.authorize({
      app: authorize.app,
      redirectUri: authorize.redirectUri,
      login,
      scopes: parseScopes(authorize.scope),
    });
    const target = new URL(authorize.redirectUri);
    target.searchParams.set('code', code);
    if (authorize.state) target.searchParams.set('state', authorize.state);
    response.writeHead(302, { location: target.toString() });
    response.end();
    return;
  }
  if (url.pathname === ACCESS_TOKEN_PATH && method === 'POST') {
    const raw = (await readBody(request)).toString('utf8');
    const type = String(request.headers['content-type'] ?? '');
    const fields: Record<string, string | undefined> = /json/.test(type)
      ? JSON.parse(raw || '{}')
      : Object.fromEntries(new URLSearchParams(raw));
    // Client credentials may come as HTTP Basic instead of in the body.
    const basic = /^basic\s+(\S+)$/i.exec(
      String(request.headers.authorization ?? ''),
    );
    const [basicId, basicSecret] = basic
      ? Buffer.from(basic[1], 'base64').toString('utf8').split(':')
      : [];
    const result = authority.exchange({
      clientId: fields.client_id ?? basicId,
      clientSecret: fields.client_secret ?? basicSecret,
      code: fields.code,
      redirectUri: fields.redirect_uri,
      grantType: fields.grant_type,
    });
    // GitHub answers 200 either way; the body is JSON when asked for, a query string otherwise.
    const wantsJson = /json/.test(String(request.headers.accept ?? ''));
    response.writeHead(200, {
      'content-type': wantsJson
        ? 'application/json; charset=utf-8'
        : 'application/x-www-form-urlencoded; charset=utf-8',
      'cache-control': 'no-store',
    });
    response.end(
      wantsJson
        ? JSON.stringify(result)
        : new URLSearchParams(
            result as unknown as Record<string, string>,
          ).toString(),
    );
    return;
  }
  response.writeHead(404, { 'content-type': 'text/plain' });
  response.end('Not Found');
}
