import http from 'node:http';
import { RepositoryStore } from './repositoryStore';

/*
 * The web side of a hosted repository, plain text: `html_url`, `…/tree/{ref}/{path}` list a
 * directory, `…/blob/{ref}/{path}` and `…/raw/{ref}/{path}` (the contents API's `download_url`)
 * give a file. Portal links such as "View source" land here; like a signed-in browser on
 * github.com, they need no token.
 */

export interface WebRequest {
  owner: string;
  repo: string;
  view: 'tree' | 'blob' | 'raw';
  /** Null for the repository's home page (its default branch). */
  ref: string | null;
  path: string;
}

const WEB_PATH =
  /^\/([A-Za-z0-9-]+)\/([A-Za-z0-9._-]+?)(?:\/(tree|blob|raw)\/([^/]+)(?:\/(.*))?)?\/?$/;

export function matchWebRequest(pathname: string): WebRequest | null {
  const match = WEB_PATH.exec(pathname);
  if (!match) return null;
  try {
    return {
      owner: match[1],
      repo: match[2],
      view: (match[3] as WebRequest['view'] | undefined) ?? 'tree',
      ref: match[4] ? decodeURIComponent(match[4]) : null,
      path: match[5] ? decodeURIComponent(match[5]) : '',
    };
  } catch {
    return null;
  }
}

function answer(
  response: http.ServerResponse,
  status: number,
  body: Buffer | string,
): void {
  response.writeHead(status, {
    'content-type': 'text/plain; charset=utf-8',
  });
  response.end(body);
}

/** Answers the page when `request` names a hosted repository; false leaves it to the API's 404. */
export async function serveWebPage(
  response: http.ServerResponse,
  request: WebRequest,
  store: RepositoryStore,
): Promise<boolean> {
  const record = store.find(request.owner, request.repo);
  if (!record) return false;
  const git = store.git(record);
  const ref = request.ref ?? record.defaultBranch;
  const sha = await git.resolveCommit(ref);
  if (!sha) {
    answer(
      response,
      request.ref ? 404 : 200,
      request.ref
        ? 'Not Found\n'
        : `${record.owner}/${record.name} is empty. Push to ${record.name}.git to fill it.\n`,
    );
    return true;
  }
  const entry = await git.entry(sha, request.path);
  if (!entry) {
    answer(response, 404, 'Not Found\n');
    return true;
  }
  if (entry.type === 'blob') {
    answer(response, 200, await git.blob(entry.sha));
    return true;
  }
  if (entry.type === 'tree') {
    const entries = await git.list(entry.sha, entry.path);
    const lines = entries.map(
      e => `${e.type === 'tree' ? `${e.name}/` : e.name}`,
    );
    answer(
      response,
      200,
      `${record.owner}/${record.name} @ ${ref}: /${entry.path}\n\n${lines.join(
        '\n',
      )}\n`,
    );
    return true;
  }
  answer(response, 404, 'Not Found\n');
  return true;
}
