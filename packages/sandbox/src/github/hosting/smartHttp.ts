import { spawn } from 'node:child_process';
import http from 'node:http';
import { readBody } from '../../http/listen';
import { TokenRecord } from '../../world/records';
import { RepositoryStore } from './repositoryStore';

/*
 * Git's smart HTTP protocol for hosted repositories, answered by the real `git http-backend`
 * run as a CGI child process. Authentication is GitHub's: HTTP Basic with a token as the
 * password (any user name, e.g. `x-access-token`); without credentials a 401 with
 * `WWW-Authenticate: Basic realm="GitHub"` makes git and isomorphic-git retry with them.
 */

export type GitService = 'git-upload-pack' | 'git-receive-pack';

export interface GitRequest {
  owner: string;
  repo: string;
  /** What follows the repository in the URL. */
  action: 'info/refs' | GitService;
}

const GIT_PATH =
  /^\/([A-Za-z0-9-]+)\/([A-Za-z0-9._-]+?)(?:\.git)?\/(info\/refs|git-upload-pack|git-receive-pack)$/;

/** `/<owner>/<repo>(.git)/info/refs|git-upload-pack|git-receive-pack`, else null. */
export function matchGitRequest(pathname: string): GitRequest | null {
  const match = GIT_PATH.exec(pathname);
  if (!match) return null;
  return {
    owner: match[1],
    repo: match[2],
    action: match[3] as GitRequest['action'],
  };
}

/** Route template for the request counters. */
export function gitRouteKey(method: string, request: GitRequest): string {
  return `${method} /{owner}/{repo}.git/${request.action}`;
}

/** The token of Basic (password, or the user name when the password is empty), Bearer or token credentials. */
function presentedToken(header: string | undefined): string | undefined {
  if (!header) return undefined;
  const [scheme, value = ''] = header.trim().split(/\s+/, 2);
  if (/^basic$/i.test(scheme)) {
    const decoded = Buffer.from(value, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    const user = colon < 0 ? decoded : decoded.slice(0, colon);
    const password = colon < 0 ? '' : decoded.slice(colon + 1);
    return password || user;
  }
  if (/^(bearer|token)$/i.test(scheme)) return value;
  return '';
}

export interface SmartHttpOptions {
  store: RepositoryStore;
  tokens(): readonly TokenRecord[];
}

function reply(
  response: http.ServerResponse,
  status: number,
  text: string,
  headers: Record<string, string> = {},
): void {
  response.writeHead(status, {
    'content-type': 'text/plain; charset=utf-8',
    ...headers,
  });
  response.end(text ? `${text}\n` : '');
}

const AUTHENTICATE = { 'www-authenticate': 'Basic realm="GitHub"' };

/** Answers one smart HTTP request; resolves when the response has ended. */
export async function serveGitRequest(
  request: http.IncomingMessage,
  response: http.ServerResponse,
  url: URL,
  gitRequest: GitRequest,
  options: SmartHttpOptions,
): Promise<void> {
  const method = request.method ?? 'GET';
  const service: string | null =
    gitRequest.action === 'info/refs'
      ? url.searchParams.get('service')
      : gitRequest.action;
  const expectedMethod = gitRequest.action === 'info/refs' ? 'GET' : 'POST';
  if (
    method !== expectedMethod ||
    (service !== 'git-upload-pack' && service !== 'git-receive-pack')
  ) {
    // GitHub serves only the smart protocol.
    reply(response, 403, 'Please upgrade your git client.');
    return;
  }

  const presented = presentedToken(request.headers.authorization);
  const token =
    presented === undefined
      ? undefined
      : options.tokens().find(t => t.token === presented) ?? null;
  if (token === null) {
    reply(
      response,
      401,
      'Invalid username or token. Password authentication is not supported for Git operations.',
      AUTHENTICATE,
    );
    return;
  }
  const record = options.store.find(gitRequest.owner, gitRequest.repo);
  const anonymousRead =
    record && !record.private && service === 'git-upload-pack';
  if (!token && !anonymousRead) {
    // Private or missing alike: GitHub asks for credentials before saying anything.
    reply(response, 401, '', AUTHENTICATE);
    return;
  }
  if (!record) {
    reply(response, 404, 'Repository not found.');
    return;
  }
  if (service === 'git-receive-pack' && token?.permission !== 'write') {
    reply(
      response,
      403,
      `Permission to ${record.owner}/${record.name}.git denied to ${
        token?.login ?? 'anonymous'
      }.`,
    );
    return;
  }

  const body = method === 'POST' ? await readBody(request) : Buffer.alloc(0);
  const pushing = method === 'POST' && service === 'git-receive-pack';
  const before = pushing
    ? await options.store.git(record).branches()
    : undefined;
  const pathInfo = `${options.store.projectPath(record)}/${gitRequest.action}`;
  await runHttpBackend(request, response, url, body, pathInfo, options.store, {
    user: token?.login,
    afterExit: async () => {
      if (before && token)
        await options.store.recordPush(record, before, token.login);
    },
  });
}

/** Runs `git http-backend` for the request and streams its CGI answer back. */
function runHttpBackend(
  request: http.IncomingMessage,
  response: http.ServerResponse,
  url: URL,
  body: Buffer,
  pathInfo: string,
  store: RepositoryStore,
  options: { user?: string; afterExit(): Promise<void> },
): Promise<void> {
  const header = (name: string) => {
    const value = request.headers[name];
    return Array.isArray(value) ? value.join(', ') : value ?? '';
  };
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_PROJECT_ROOT: store.projectRoot(),
    GIT_HTTP_EXPORT_ALL: '1',
    GATEWAY_INTERFACE: 'CGI/1.1',
    SERVER_PROTOCOL: 'HTTP/1.1',
    REQUEST_METHOD: request.method ?? 'GET',
    PATH_INFO: pathInfo,
    QUERY_STRING: url.search.replace(/^\?/, ''),
    CONTENT_TYPE: header('content-type'),
    CONTENT_LENGTH: String(body.length),
    REMOTE_ADDR: request.socket.remoteAddress ?? '127.0.0.1',
    HTTP_CONTENT_ENCODING: header('content-encoding'),
    GIT_PROTOCOL: header('git-protocol'),
    ...(options.user ? { REMOTE_USER: options.user } : {}),
  };
  return new Promise((resolve, reject) => {
    const child = spawn('git', ['http-backend'], {
      env,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let head = Buffer.alloc(0);
    let headersSent = false;
    const stderr: Buffer[] = [];
    child.stderr.on('data', chunk => stderr.push(chunk));
    child.stdout.on('data', (chunk: Buffer) => {
      if (headersSent) {
        response.write(chunk);
        return;
      }
      head = Buffer.concat([head, chunk]);
      const crlf = head.indexOf('\r\n\r\n');
      const lf = head.indexOf('\n\n');
      const end = crlf >= 0 ? crlf : lf;
      if (end < 0) return;
      const separator = crlf >= 0 ? 4 : 2;
      const headers: Record<string, string> = {};
      let status = 200;
      for (const line of head
        .subarray(0, end)
        .toString('latin1')
        .split(/\r?\n/)) {
        const colon = line.indexOf(':');
        if (colon < 0) continue;
        const name = line.slice(0, colon).trim().toLowerCase();
        const value = line.slice(colon + 1).trim();
        if (name === 'status') status = Number.parseInt(value, 10) || 200;
        else headers[name] = value;
      }
      response.writeHead(status, headers);
      headersSent = true;
      response.write(head.subarray(end + separator));
    });
    child.on('error', reject);
    child.on('close', code => {
      void (async () => {
        try {
          await options.afterExit();
        } catch (error) {
          process.stderr.write(`sandbox: recording a push failed: ${error}\n`);
        }
        if (!headersSent) {
          const message = Buffer.concat(stderr).toString('utf8');
          reply(
            response,
            500,
            `git http-backend exited with ${code}: ${message}`,
          );
        } else {
          response.end();
        }
        resolve();
      })();
    });
    child.stdin.on('error', () => {
      // http-backend may stop reading early (it reports why on stdout/stderr).
    });
    child.stdin.end(body);
  });
}
