import { appsOf } from '../../world/appSeed';
import { AppInstallationRecord, GitHubAppRecord } from '../../world/records';
import { configureAppHook } from '../appHookConfig';
import {
  grantablePermissions,
  issueInstallationToken,
} from '../apps/installationTokens';
import { GitHubError, invalidRequest } from '../errors';
import {
  renderApp,
  renderAppHookConfig,
  renderInstallation,
  renderInstallationToken,
} from '../representations/appRepresentations';
import {
  RequestContext,
  Route,
  integerParam,
  jsonBody,
  paginate,
  requireRepository,
} from '../routing';

/*
 * What a GitHub App does as itself, with its JWT (apiRequests.ts checks it; `app: true` routes
 * answer nothing else): itself, its installations — listed, by id, by the organisation, user or
 * repository they cover — installation access tokens for them, and its webhook configuration.
 */

const DOCS = 'https://docs.github.com/rest/apps/apps';

function authenticatedApp(ctx: RequestContext): GitHubAppRecord {
  if (!ctx.app)
    throw new GitHubError(401, 'A JSON web token could not be decoded');
  return ctx.app;
}

function installationsOf(ctx: RequestContext): AppInstallationRecord[] {
  const app = authenticatedApp(ctx);
  return appsOf(ctx.state).installations.filter(i => i.appId === app.id);
}

/** The App's installation on `account` (an organisation or a user); 404 when it has none. */
function installationOn(
  ctx: RequestContext,
  account: string,
  docs: string,
): AppInstallationRecord {
  const installation = installationsOf(ctx).find(
    i => i.accountLogin.toLowerCase() === account.toLowerCase(),
  );
  if (!installation) throw new GitHubError(404, 'Not Found', docs);
  return installation;
}

function installationById(ctx: RequestContext, docs: string) {
  const id = integerParam(ctx, 'installation_id');
  const installation = installationsOf(ctx).find(i => i.id === id);
  if (!installation) throw new GitHubError(404, 'Not Found', docs);
  return installation;
}

const showInstallation = (
  ctx: RequestContext,
  installation: AppInstallationRecord,
) => ({
  body: renderInstallation(ctx, installation, authenticatedApp(ctx)),
});

export const appRoutes: Route[] = [
  {
    method: 'GET',
    path: '/app',
    app: true,
    handler: ctx => ({
      body: renderApp(ctx, authenticatedApp(ctx), installationsOf(ctx).length),
    }),
  },
  {
    method: 'GET',
    path: '/app/installations',
    app: true,
    handler: ctx => {
      const since = ctx.query.get('since');
      const from = since ? Date.parse(since) : Number.NaN;
      const installations = installationsOf(ctx).filter(
        i => Number.isNaN(from) || Date.parse(i.createdAt) >= from,
      );
      const page = paginate(ctx, installations);
      return {
        body: page.items.map(i =>
          renderInstallation(ctx, i, authenticatedApp(ctx)),
        ),
        headers: page.headers,
      };
    },
  },
  {
    method: 'GET',
    path: '/app/installations/{installation_id}',
    app: true,
    handler: ctx =>
      showInstallation(
        ctx,
        installationById(
          ctx,
          `${DOCS}#get-an-installation-for-the-authenticated-app`,
        ),
      ),
  },
  {
    method: 'POST',
    path: '/app/installations/{installation_id}/access_tokens',
    app: true,
    handler: ctx => {
      const docs = `${DOCS}#create-an-installation-access-token-for-an-app`;
      const installation = installationById(ctx, docs);
      const app = authenticatedApp(ctx);
      const body = jsonBody(ctx, docs);
      if (body.repositories !== undefined || body.repository_ids !== undefined)
        throw new GitHubError(
          422,
          "The sandbox issues installation tokens for all of the installation's repositories: repositories and repository_ids are not supported.",
          docs,
        );
      const requested = body.permissions;
      if (
        requested !== undefined &&
        (requested === null ||
          typeof requested !== 'object' ||
          Array.isArray(requested))
      )
        throw invalidRequest(
          `For 'properties/permissions', ${JSON.stringify(
            requested,
          )} is not an object.`,
          docs,
        );
      const permissions = grantablePermissions(
        app.permissions,
        requested as Record<string, unknown> | undefined,
      );
      if (!permissions)
        throw new GitHubError(
          422,
          'The permissions requested are not granted to this installation.',
          docs,
        );
      const token = issueInstallationToken(
        ctx.state,
        app,
        installation,
        permissions,
        ctx.now,
      );
      return {
        status: 201,
        body: renderInstallationToken(token, permissions),
      };
    },
  },
  {
    method: 'GET',
    path: '/orgs/{org}/installation',
    app: true,
    handler: ctx =>
      showInstallation(
        ctx,
        installationOn(
          ctx,
          ctx.params.org,
          `${DOCS}#get-an-organization-installation-for-the-authenticated-app`,
        ),
      ),
  },
  {
    method: 'GET',
    path: '/users/{username}/installation',
    app: true,
    handler: ctx =>
      showInstallation(
        ctx,
        installationOn(
          ctx,
          ctx.params.username,
          `${DOCS}#get-a-user-installation-for-the-authenticated-app`,
        ),
      ),
  },
  {
    method: 'GET',
    path: '/repos/{owner}/{repo}/installation',
    app: true,
    handler: ctx => {
      const docs = `${DOCS}#get-a-repository-installation-for-the-authenticated-app`;
      const repository = requireRepository(ctx);
      return showInstallation(ctx, installationOn(ctx, repository.owner, docs));
    },
  },
  {
    method: 'GET',
    path: '/app/hook/config',
    app: true,
    handler: ctx => ({ body: renderAppHookConfig(authenticatedApp(ctx)) }),
  },
  {
    method: 'PATCH',
    path: '/app/hook/config',
    app: true,
    handler: ctx => {
      const docs =
        'https://docs.github.com/rest/apps/webhooks#update-a-webhook-configuration-for-an-app';
      const app = authenticatedApp(ctx);
      const problem = configureAppHook(app, jsonBody(ctx, docs));
      if (problem) throw invalidRequest(problem, docs);
      return { body: renderAppHookConfig(app) };
    },
  },
];
