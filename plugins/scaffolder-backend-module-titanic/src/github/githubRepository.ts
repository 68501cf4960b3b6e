import { InputError } from '@backstage/errors';
import {
  DefaultGithubCredentialsProvider,
  ScmIntegrationRegistry,
} from '@backstage/integration';
import { parseRepoUrl } from '@backstage/plugin-scaffolder-node';

/*
 * The REST API of the GitHub a template publishes to (github.com, an Enterprise server or the
 * sandbox), with the credentials of the portal's integration for that host — the same ones
 * publish:github used.
 */

export class GitHubRequestError extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
  }
}

export interface GitHubRepository {
  owner: string;
  repo: string;
  request<T>(method: string, path: string, body?: unknown): Promise<T>;
}

export async function githubRepository(
  repoUrl: string,
  integrations: ScmIntegrationRegistry,
): Promise<GitHubRepository> {
  const { host, owner, repo } = parseRepoUrl(repoUrl, integrations);
  if (!owner)
    throw new InputError(`repoUrl must name the repository owner: ${repoUrl}`);
  const integration = integrations.github.byHost(host);
  if (!integration) throw new InputError(`No GitHub integration for ${host}`);
  const { token } = await DefaultGithubCredentialsProvider.fromIntegrations(
    integrations,
  ).getCredentials({ url: `https://${host}/${owner}/${repo}` });
  const apiBaseUrl = integration.config.apiBaseUrl ?? 'https://api.github.com';
  return {
    owner,
    repo,
    async request<T>(method: string, path: string, body?: unknown) {
      const response = await fetch(`${apiBaseUrl}${path}`, {
        method,
        headers: {
          accept: 'application/vnd.github+json',
          'x-github-api-version': '2022-11-28',
          ...(token ? { authorization: `Bearer ${token}` } : {}),
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await response.text();
      if (!response.ok) {
        let message = text;
        try {
          message = JSON.parse(text).message ?? text;
        } catch {
          // Not JSON: keep the text.
        }
        throw new GitHubRequestError(
          response.status,
          `${method} ${path}: ${response.status} ${message}`,
        );
      }
      return (text ? JSON.parse(text) : undefined) as T;
    },
  };
}
