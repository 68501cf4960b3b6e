import { LoggerService } from '@backstage/backend-plugin-api';
import {
  DefaultGithubCredentialsProvider,
  GithubCredentialsProvider,
  GithubIntegrationConfig,
  ScmIntegrationRegistry,
} from '@backstage/integration';
import { retry } from '@octokit/plugin-retry';
import { throttling } from '@octokit/plugin-throttling';
import { Octokit } from '@octokit/rest';
import { RepositoryRef } from './types';

/** Octokit with throttling (never waits out a rate limit: the cache answers) and retry. */
const DeliveryOctokit: typeof Octokit = Octokit.plugin(throttling, retry);

export type GitHubOctokit = Octokit;

/**
 * Builds one Octokit per GitHub host and owner from `integrations.github`: the integration's
 * apiBaseUrl decides where calls go (github.com, GHE or the sandbox), and the credentials
 * provider supplies a token or a GitHub App installation token, refreshed before it expires.
 */
export class GitHubClients {
  private readonly clients = new Map<string, GitHubOctokit>();

  private readonly credentials: GithubCredentialsProvider;

  constructor(
    private readonly options: {
      integrations: ScmIntegrationRegistry;
      /** The host entities' `github.com/project-slug` annotations refer to. */
      defaultHost: string;
      logger: LoggerService;
    },
  ) {
    this.credentials = DefaultGithubCredentialsProvider.fromIntegrations(
      options.integrations,
    );
  }

  /** The host entities' `github.com/project-slug` annotations refer to. */
  get defaultHost(): string {
    return this.options.defaultHost;
  }

  integrationConfig(host: string): GithubIntegrationConfig {
    const integration = this.options.integrations.github.byHost(host);
    if (!integration) {
      throw new Error(
        `No integrations.github entry for host ${host}; add one to app-config`,
      );
    }
    return integration.config;
  }

  forRepository(repo: RepositoryRef): GitHubOctokit {
    const key = `${repo.host}/${repo.owner}`;
    let client = this.clients.get(key);
    if (!client) {
      client = this.create(repo);
      this.clients.set(key, client);
    }
    return client;
  }

  /**
   * A client acting as a person, with their own GitHub token, for one request: never cached,
   * never retried (a review must not be sent twice), and the token is kept nowhere else.
   */
  asPerson(host: string, token: string): GitHubOctokit {
    const config = this.integrationConfig(host);
    return new Octokit({
      baseUrl: config.apiBaseUrl ?? 'https://api.github.com',
      userAgent: 'backstage-plugin-delivery',
      auth: token,
      log: {
        debug: () => {},
        info: () => {},
        warn: (message: string) => this.options.logger.warn(message),
        error: (message: string) => this.options.logger.debug(message),
      },
    }) as GitHubOctokit;
  }

  private create(repo: RepositoryRef): GitHubOctokit {
    const { logger } = this.options;
    const credentials = this.credentials;
    const config = this.integrationConfig(repo.host);
    const octokit = new DeliveryOctokit({
      baseUrl: config.apiBaseUrl ?? 'https://api.github.com',
      userAgent: 'backstage-plugin-delivery',
      // Failed requests are handled (404 → clear errors, rate limits → stale data): log them
      // quietly rather than as errors.
      log: {
        debug: () => {},
        info: () => {},
        warn: (message: string) => logger.warn(message),
        error: (message: string) => logger.debug(message),
      },
      throttle: {
        // Waiting out a rate limit would hang page views for minutes: fail fast instead and
        // let the cache serve its last copy with its age.
        onRateLimit: (retryAfter: number, options: { url?: string }) => {
          logger.warn(
            `GitHub rate limit reached for ${options.url}; retry after ${retryAfter}s`,
          );
          return false;
        },
        onSecondaryRateLimit: (
          retryAfter: number,
          options: { url?: string },
        ) => {
          logger.warn(
            `GitHub secondary rate limit for ${options.url}; retry after ${retryAfter}s`,
          );
          return false;
        },
      },
      retry: {
        // Short: while GitHub is down, page views fall back to the cache instead of waiting.
        retries: 2,
        retryAfterBaseValue: 200,
        doNotRetry: [400, 401, 403, 404, 409, 410, 422, 429, 451],
      },
    });
    const url = `https://${repo.host}/${repo.owner}/${repo.name}`;
    // Resolved per request, so GitHub App installation tokens are refreshed as they expire.
    octokit.hook.before('request', async options => {
      const { headers } = await credentials.getCredentials({ url });
      Object.assign(options.headers, headers ?? {});
    });
    return octokit;
  }
}
