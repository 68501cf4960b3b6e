import { HookRecord } from '../../world/records';
import { GitHubError, validationFailed } from '../errors';
import {
  RequestContext,
  Route,
  integerParam,
  jsonBody,
  paginate,
  requireRepository,
} from '../routing';
import {
  pingEvent,
  renderHook,
  repositoryContext,
} from '../webhooks/webhookPayloads';
import { DeliveryRecord } from '../webhooks/webhookSender';
import { hookEventNames } from '../webhooks/webhookSchemas';

/*
 * Webhooks of a repository (/repos/{owner}/{repo}/hooks) and of an organisation
 * (/orgs/{org}/hooks), as GitHub's REST API manages them: create (a ping follows), list, get,
 * change, delete, ping, and the recent deliveries with what was sent and answered. Only the
 * organisation's owners may see or manage them (others get GitHub's 404); a secret is never
 * shown back.
 */

const REPO_DOCS = 'https://docs.github.com/rest/repos/webhooks';
const ORG_DOCS = 'https://docs.github.com/rest/orgs/webhooks';

type Scope =
  | { kind: 'repository'; repositoryId: number; owner: string; base: string }
  | { kind: 'organization'; login: string; base: string };

function iso(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** The owner of `organization` the caller must be; GitHub answers 404 to anyone else. */
function requireOwner(ctx: RequestContext, organization: string, docs: string) {
  const owner = ctx.state.organizationMembers.some(
    member =>
      member.role === 'ADMIN' &&
      member.login === ctx.user?.login &&
      ctx.state.users.some(
        user =>
          user.type === 'Organization' &&
          user.login.toLowerCase() === organization.toLowerCase(),
      ),
  );
  if (!owner) throw new GitHubError(404, 'Not Found', docs);
}

function repositoryScope(ctx: RequestContext): Scope {
  const repository = requireRepository(ctx);
  requireOwner(ctx, repository.owner, REPO_DOCS);
  return {
    kind: 'repository',
    repositoryId: repository.id,
    owner: repository.owner,
    base: repository.api,
  };
}

function organizationScope(ctx: RequestContext): Scope {
  const organization = ctx.state.users.find(
    user =>
      user.type === 'Organization' &&
      user.login.toLowerCase() === ctx.params.org.toLowerCase(),
  );
  if (!organization) throw new GitHubError(404, 'Not Found', ORG_DOCS);
  requireOwner(ctx, organization.login, ORG_DOCS);
  return {
    kind: 'organization',
    login: organization.login,
    base: `${ctx.apiUrl}/orgs/${organization.login}`,
  };
}

function hooksOf(ctx: RequestContext, scope: Scope): HookRecord[] {
  return ctx.state.hooks.filter(hook =>
    scope.kind === 'repository'
      ? 'repositoryId' in hook.scope &&
        hook.scope.repositoryId === scope.repositoryId
      : 'organization' in hook.scope && hook.scope.organization === scope.login,
  );
}

function findHook(ctx: RequestContext, scope: Scope): HookRecord {
  const id = integerParam(ctx, 'hook_id');
  const hook = hooksOf(ctx, scope).find(h => h.id === id);
  if (!hook) throw new GitHubError(404, 'Not Found');
  return hook;
}

const KNOWN_EVENTS = new Set(hookEventNames());

/** The hook fields a create or update body sets, checked as GitHub checks them. */
function hookFields(
  body: Record<string, unknown>,
  creating: boolean,
  docs: string,
): Partial<HookRecord> & { config?: Record<string, unknown> } {
  const problems: Array<{
    resource: string;
    field: string;
    code: string;
    message?: string;
  }> = [];
  const fields: Partial<HookRecord> = {};
  if (body.name !== undefined && body.name !== 'web') {
    problems.push({
      resource: 'Hook',
      field: 'name',
      code: 'invalid',
      message: 'Name must be "web"',
    });
  }
  const config = body.config as Record<string, unknown> | undefined;
  if (
    config !== undefined &&
    (typeof config !== 'object' || config === null || Array.isArray(config))
  ) {
    problems.push({ resource: 'Hook', field: 'config', code: 'invalid' });
  } else if (config) {
    if (config.url !== undefined) {
      let valid = typeof config.url === 'string';
      try {
        valid =
          valid &&
          ['http:', 'https:'].includes(new URL(config.url as string).protocol);
      } catch {
        valid = false;
      }
      if (!valid) {
        problems.push({
          resource: 'Hook',
          field: 'url',
          code: 'custom',
          message: 'url is not a supported protocol',
        });
      } else fields.url = config.url as string;
    }
    if (config.content_type !== undefined) {
      if (config.content_type !== 'json' && config.content_type !== 'form') {
        problems.push({
          resource: 'Hook',
          field: 'content_type',
          code: 'invalid',
        });
      } else fields.contentType = config.content_type;
    }
    if (config.secret !== undefined) {
      if (typeof config.secret !== 'string') {
        problems.push({ resource: 'Hook', field: 'secret', code: 'invalid' });
      } else fields.secret = config.secret || null;
    }
    if (config.insecure_ssl !== undefined) {
      const value = String(config.insecure_ssl);
      if (value !== '0' && value !== '1') {
        problems.push({
          resource: 'Hook',
          field: 'insecure_ssl',
          code: 'invalid',
        });
      } else fields.insecureSsl = value;
    }
  }
  if (
    creating &&
    fields.url === undefined &&
    !problems.some(p => p.field === 'url')
  ) {
    problems.push({
      resource: 'Hook',
      field: 'url',
      code: 'custom',
      message: 'Config must contain a URL',
    });
  }
  if (body.events !== undefined) {
    const events = body.events;
    if (!Array.isArray(events) || events.some(e => typeof e !== 'string')) {
      problems.push({ resource: 'Hook', field: 'events', code: 'invalid' });
    } else {
      const unknown = events.filter(e => e !== '*' && !KNOWN_EVENTS.has(e));
      if (unknown.length > 0) {
        problems.push({
          resource: 'Hook',
          field: 'events',
          code: 'invalid',
          message: `Events are not supported: ${unknown.join(', ')}`,
        });
      } else fields.events = [...new Set(events as string[])];
    }
  }
  if (body.active !== undefined) {
    if (typeof body.active !== 'boolean') {
      problems.push({ resource: 'Hook', field: 'active', code: 'invalid' });
    } else fields.active = body.active;
  }
  if (problems.length > 0) throw validationFailed(problems, docs);
  return fields;
}

function ping(ctx: RequestContext, scope: Scope, hook: HookRecord): void {
  const rendered = renderHook(hook, scope.base);
  const base = {
    state: ctx.state,
    apiUrl: ctx.apiUrl,
    now: ctx.now,
    repositories: ctx.repositories,
  };
  const scoped =
    scope.kind === 'repository'
      ? repositoryContext(base, scope.repositoryId)
      : undefined;
  ctx.webhooks.sender.send(
    hook,
    pingEvent(
      scoped,
      scope.kind === 'organization' ? { ctx, login: scope.login } : undefined,
      hook,
      rendered,
      ctx.user?.login ?? 'ghost',
    ),
  );
}

function renderDelivery(
  delivery: DeliveryRecord,
  detailed: boolean,
  url: string,
) {
  const item = {
    id: delivery.id,
    guid: delivery.guid,
    delivered_at: delivery.deliveredAt,
    redelivery: false,
    duration: delivery.duration,
    status: delivery.status,
    status_code: delivery.statusCode,
    event: delivery.event,
    action: delivery.action,
    installation_id: null,
    repository_id: delivery.repositoryId,
    throttled_at: null,
  };
  if (!detailed) return item;
  return {
    ...item,
    url,
    request: delivery.request,
    response: delivery.response,
  };
}

/** The six routes of one kind of hook, at `prefix` (`/repos/{owner}/{repo}` or `/orgs/{org}`). */
function hookRoutesAt(
  prefix: string,
  scopeOf: (ctx: RequestContext) => Scope,
  docs: string,
): Route[] {
  return [
    {
      method: 'GET',
      path: `${prefix}/hooks`,
      handler: ctx => {
        const scope = scopeOf(ctx);
        const page = paginate(ctx, hooksOf(ctx, scope));
        return {
          body: page.items.map(hook => renderHook(hook, scope.base)),
          headers: page.headers,
        };
      },
    },
    {
      method: 'POST',
      path: `${prefix}/hooks`,
      write: true,
      handler: ctx => {
        const scope = scopeOf(ctx);
        const body = jsonBody(ctx, docs);
        if (scope.kind === 'organization' && body.name !== 'web') {
          throw validationFailed(
            [{ resource: 'Hook', field: 'name', code: 'missing_field' }],
            docs,
          );
        }
        const fields = hookFields(body, true, docs);
        const duplicate = hooksOf(ctx, scope).some(
          hook => hook.url === fields.url,
        );
        if (duplicate) {
          throw validationFailed(
            [
              {
                resource: 'Hook',
                field: '',
                code: 'custom',
                message: `Hook already exists on this ${scope.kind}`,
              },
            ],
            docs,
          );
        }
        const now = iso(ctx.now);
        const hook: HookRecord = {
          id: (ctx.state.sequences.hook += 1),
          scope:
            scope.kind === 'repository'
              ? { repositoryId: scope.repositoryId }
              : { organization: scope.login },
          events: fields.events ?? ['push'],
          active: fields.active ?? true,
          url: fields.url!,
          contentType: fields.contentType ?? 'form',
          secret: fields.secret ?? null,
          insecureSsl: fields.insecureSsl ?? '0',
          lastResponse: { code: null, status: 'unused', message: null },
          createdAt: now,
          updatedAt: now,
        };
        ctx.state.hooks.push(hook);
        ctx.webhooks.hookshot.hookChanged(hook);
        ping(ctx, scope, hook);
        return { status: 201, body: renderHook(hook, scope.base) };
      },
    },
    {
      method: 'GET',
      path: `${prefix}/hooks/{hook_id}`,
      handler: ctx => {
        const scope = scopeOf(ctx);
        return {
          body: renderHook(findHook(ctx, scope), scope.base),
        };
      },
    },
    {
      method: 'PATCH',
      path: `${prefix}/hooks/{hook_id}`,
      write: true,
      handler: ctx => {
        const scope = scopeOf(ctx);
        const hook = findHook(ctx, scope);
        const body = jsonBody(ctx, docs);
        const fields = hookFields(body, false, docs);
        if (
          Array.isArray(body.add_events) ||
          Array.isArray(body.remove_events)
        ) {
          const added =
            hookFields({ events: body.add_events ?? [] }, false, docs).events ??
            [];
          const removed = new Set(
            (body.remove_events as string[] | undefined) ?? [],
          );
          fields.events = [
            ...new Set([...(fields.events ?? hook.events), ...added]),
          ].filter(event => !removed.has(event));
        }
        Object.assign(hook, fields, { updatedAt: iso(ctx.now) });
        ctx.webhooks.hookshot.hookChanged(hook);
        return { body: renderHook(hook, scope.base) };
      },
    },
    {
      method: 'DELETE',
      path: `${prefix}/hooks/{hook_id}`,
      write: true,
      handler: ctx => {
        const hook = findHook(ctx, scopeOf(ctx));
        ctx.state.hooks.splice(ctx.state.hooks.indexOf(hook), 1);
        ctx.webhooks.sender.forget(hook.id);
        return { status: 204 };
      },
    },
    {
      method: 'POST',
      path: `${prefix}/hooks/{hook_id}/pings`,
      write: true,
      handler: ctx => {
        const scope = scopeOf(ctx);
        ping(ctx, scope, findHook(ctx, scope));
        return { status: 204 };
      },
    },
    {
      method: 'GET',
      path: `${prefix}/hooks/{hook_id}/deliveries`,
      handler: ctx => {
        const scope = scopeOf(ctx);
        const hook = findHook(ctx, scope);
        const page = paginate(ctx, ctx.webhooks.sender.recent(hook.id));
        return {
          body: page.items.map(delivery => renderDelivery(delivery, false, '')),
          headers: page.headers,
        };
      },
    },
    {
      method: 'GET',
      path: `${prefix}/hooks/{hook_id}/deliveries/{delivery_id}`,
      handler: ctx => {
        const scope = scopeOf(ctx);
        const hook = findHook(ctx, scope);
        const id = integerParam(ctx, 'delivery_id');
        const delivery = ctx.webhooks.sender
          .recent(hook.id)
          .find(d => d.id === id);
        if (!delivery) throw new GitHubError(404, 'Not Found', docs);
        return {
          body: renderDelivery(
            delivery,
            true,
            `${scope.base}/hooks/${hook.id}/deliveries/${id}`,
          ),
        };
      },
    },
  ];
}

export const hookRoutes: Route[] = [
  ...hookRoutesAt('/repos/{owner}/{repo}', repositoryScope, REPO_DOCS),
  ...hookRoutesAt('/orgs/{org}', organizationScope, ORG_DOCS),
];
