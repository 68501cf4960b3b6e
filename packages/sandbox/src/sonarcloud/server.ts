import http from 'node:http';
import { listen } from '../http/listen';
import { SandboxWorld } from '../world/sandboxWorld';
import { issuesSearch } from './issues';
import { measures } from './measures';
import { projectStatus } from './qualityGates';
import { SonarError } from './sonarError';

/*
 * The SonarCloud Web API subset the portal needs to explain a quality gate:
 * api/qualitygates/project_status, api/measures/component and api/issues/search.
 */

export interface SonarServerOptions {
  host?: string;
  port?: number;
  world?: SandboxWorld;
}

export interface SonarSandbox {
  /** Use as the SonarCloud base URL (instead of https://sonarcloud.io). */
  baseUrl: string;
  world: SandboxWorld;
  close(): Promise<void>;
}

const ENDPOINTS: Record<
  string,
  (world: SandboxWorld, query: URLSearchParams) => unknown
> = {
  '/api/qualitygates/project_status': projectStatus,
  '/api/measures/component': measures,
  '/api/issues/search': issuesSearch,
  '/api/authentication/validate': () => ({ valid: true }),
};

export async function startSonarServer(
  options: SonarServerOptions = {},
): Promise<SonarSandbox> {
  const world = options.world ?? SandboxWorld.seeded();
  const handler: http.RequestListener = (request, response) => {
    const url = new URL(request.url ?? '/', 'http://sandbox');
    const reply = (status: number, body: unknown) => {
      response.writeHead(status, { 'content-type': 'application/json' });
      response.end(JSON.stringify(body));
    };
    try {
      const header = request.headers.authorization ?? '';
      let token: string | null = null;
      const bearer = /^Bearer\s+(\S+)$/i.exec(header);
      const basic = /^Basic\s+(\S+)$/i.exec(header);
      if (bearer) token = bearer[1];
      else if (basic)
        token = Buffer.from(basic[1], 'base64').toString('utf8').split(':')[0];
      if (!token || !world.state.sonarTokens.includes(token)) {
        // SonarCloud answers an unauthenticated request for a private project with 401 and no body.
        response.writeHead(401, {
          'www-authenticate': 'Bearer realm="sonarcloud"',
        });
        response.end();
        return;
      }
      if (request.method !== 'GET')
        throw new SonarError(
          405,
          `HTTP method ${request.method} is not supported`,
        );
      const endpoint = ENDPOINTS[url.pathname];
      if (!endpoint) throw new SonarError(404, `Unknown url : ${url.pathname}`);
      reply(200, endpoint(world, url.searchParams));
    } catch (error) {
      if (error instanceof SonarError) {
        reply(error.status, { errors: [{ msg: error.message }] });
      } else {
        reply(500, { errors: [{ msg: String(error) }] });
      }
    }
  };
  const server = await listen(handler, {
    host: options.host ?? '127.0.0.1',
    port: options.port ?? 0,
  });
  return { baseUrl: server.url, world, close: () => server.close() };
}
