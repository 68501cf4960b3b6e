import http from 'node:http';
import { readBody } from '../http/listen';
import { SandboxWorld } from '../world/sandboxWorld';
import { AppKeys } from './apps/appKeys';
import { RepositoryStore } from './hosting/repositoryStore';
import { configureAppHook, portalApp } from './appHookConfig';
import { renderAppHookConfig } from './representations/appRepresentations';
import { RateLimiter } from './rateLimit';
import { RequestCounter } from './requestCounter';
import { WorkflowRunner } from './runner/workflowRunner';

/*
 * The sandbox's own switches, outside GitHub's URL space (`/_sandbox/...`): request counts,
 * rate-limit modes, the world as a snapshot, a reset to the seed, and what the titanic-portal
 * App's owner sees in its settings on GitHub: its webhook configuration and its private key.
 */

export const ADMIN_PREFIX = '/_sandbox';

export interface SandboxAdminTargets {
  world: SandboxWorld;
  repositories: RepositoryStore;
  counter: RequestCounter;
  limiter: RateLimiter;
  /** Runs in progress stop when the sandbox goes back to its seed. */
  runner?: WorkflowRunner;
  appKeys: AppKeys;
}

/** Whether a path is one of the switches (signed downloads share the prefix but are API routes). */
export function isAdminPath(pathname: string): boolean {
  return (
    pathname.startsWith(ADMIN_PREFIX) &&
    !pathname.startsWith(`${ADMIN_PREFIX}/downloads/`)
  );
}

export async function handleAdminRequest(
  request: http.IncomingMessage,
  url: URL,
  response: http.ServerResponse,
  {
    world,
    repositories,
    counter,
    limiter,
    runner,
    appKeys,
  }: SandboxAdminTargets,
): Promise<void> {
  const path = url.pathname.slice(ADMIN_PREFIX.length);
  const body =
    request.method === 'POST' || request.method === 'PATCH'
      ? (await readBody(request)).toString('utf8')
      : '';
  const input = body ? JSON.parse(body) : {};
  const respond = (
    status: number,
    text: string,
    headers: Record<string, string> = {
      'content-type': 'application/json; charset=utf-8',
    },
  ) => {
    response.writeHead(status, headers);
    response.end(text);
  };
  const reply = (status: number, value: unknown) =>
    respond(status, JSON.stringify(value, null, 2));
  if (path === '/requests' && request.method === 'GET')
    return reply(200, counter.snapshot());
  if (path === '/requests' && request.method === 'DELETE') {
    counter.reset();
    return reply(200, counter.snapshot());
  }
  if (path === '/rate-limit' && request.method === 'GET')
    return reply(200, limiter.status());
  if (path === '/rate-limit' && request.method === 'POST') {
    // { "mode": "primary" | "secondary" | "normal", "status": 403|429, "retryAfterSeconds": n, "requests": n, "limit": n }
    if (input.limit !== undefined) limiter.setLimit(Number(input.limit));
    if (input.mode === 'primary')
      limiter.exhaustPrimary({ resetInSeconds: input.resetInSeconds });
    else if (input.mode === 'secondary') limiter.triggerSecondary(input);
    else if (input.mode === 'normal') limiter.reset();
    return reply(200, limiter.status());
  }
  if (path === '/snapshot' && request.method === 'GET') {
    return respond(200, world.toJSON());
  }
  if (path === '/reset' && request.method === 'POST') {
    await runner?.reset();
    world.reset();
    repositories.clear();
    counter.reset();
    limiter.reset();
    return reply(200, { reset: true });
  }
  // The titanic-portal App's private key, as its owner downloads it from the App's settings
  // ("Generate a private key"): a PEM file. It signs the JWTs GET /app and the installations'
  // routes want.
  if (path === '/app/private-key' && request.method === 'GET') {
    const app = portalApp(world);
    const day = new Date().toISOString().slice(0, 10);
    return respond(200, appKeys.privateKeyPem(app.id), {
      'content-type': 'application/x-pem-file',
      'content-disposition': `attachment; filename="${app.slug}.${day}.private-key.pem"`,
    });
  }
  // The titanic-portal App's webhook, in the shape of GitHub's GET/PATCH /app/hook/config (which
  // the App itself calls with its JWT; this needs none).
  if (path === '/app/hook/config' && request.method === 'GET')
    return reply(200, renderAppHookConfig(portalApp(world)));
  if (path === '/app/hook/config' && request.method === 'PATCH') {
    const problem = configureAppHook(portalApp(world), input);
    if (problem) return reply(422, { message: problem });
    return reply(200, renderAppHookConfig(portalApp(world)));
  }
  return reply(404, {
    message: 'Not Found',
    documentation_url: 'https://docs.github.com/rest',
  });
}
