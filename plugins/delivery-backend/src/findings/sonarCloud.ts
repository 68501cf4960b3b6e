import { CacheService, LoggerService } from '@backstage/backend-plugin-api';
import { NotFoundError } from '@backstage/errors';
import { Entity } from '@backstage/catalog-model';
import { JsonValue } from '@backstage/types';
import {
  Finding,
  QualityGate,
  SonarCloudReport,
  SONAR_PROJECT_KEY_ANNOTATION,
  SonarMeasure,
  deliveryError,
} from '@internal/plugin-delivery-common';
import {
  DataFreshness,
  Fetched,
  freshNow,
  oldest,
  staleAfterFailure,
} from '../cache/freshness';
import { countFindings } from './findingCounts';
import {
  SUMMARY_METRICS,
  SonarIssue,
  SonarIssues,
  SonarMeasures,
  SonarStatus,
  measuresOf,
  normalizeSonarIssue,
  qualityGateOf,
} from './sonarCloudReport';

/*
 * SonarCloud's Web API read with a backend-held token, cached with the same freshness window as
 * GitHub and served stale when SonarCloud fails.
 */

/** The entity's SonarCloud project, from its sonarqube.org/project-key annotation. */
export function sonarProjectKey(entity: Entity): string | null {
  return entity.metadata.annotations?.[SONAR_PROJECT_KEY_ANNOTATION] ?? null;
}

interface CachedAnswer {
  data: JsonValue;
  validatedAt: number;
}

export interface SonarCloudOptions {
  baseUrl: string;
  token?: string;
  cache: CacheService;
  logger: LoggerService;
  freshSeconds: number;
  keepSeconds: number;
  fetch?: typeof fetch;
}

const ISSUE_PAGE_SIZE = 500;
/** SonarCloud refuses to page past 10 000 results. */
const ISSUE_LIMIT = 10_000;

export class SonarCloud {
  private readonly memory = new Map<string, CachedAnswer>();
  private readonly normalized = new WeakMap<object, Finding[]>();
  private readonly inFlight = new Map<string, Promise<Fetched<JsonValue>>>();

  constructor(private readonly options: SonarCloudOptions) {}

  get baseUrl(): string {
    return this.options.baseUrl;
  }

  /** Quality gate with its conditions and the summary measures (two calls). */
  async qualityGate(projectKey: string): Promise<
    Fetched<{
      qualityGate: QualityGate;
      measures: SonarMeasure[];
      dashboardUrl: string;
    }>
  > {
    // Only well-known metrics: one the server does not know fails the whole call.
    const [status, measures] = await Promise.all([
      this.get<SonarStatus>('/api/qualitygates/project_status', { projectKey }),
      this.get<SonarMeasures>('/api/measures/component', {
        component: projectKey,
        metricKeys: SUMMARY_METRICS.join(','),
        additionalFields: 'metrics',
      }),
    ]);
    return {
      data: {
        qualityGate: qualityGateOf(status.data, measures.data),
        measures: measuresOf(measures.data, SUMMARY_METRICS),
        dashboardUrl: `${
          this.options.baseUrl
        }/project/overview?id=${encodeURIComponent(projectKey)}`,
      },
      freshness: oldest(status.freshness, measures.freshness),
    };
  }

  /** Every open issue (500 per page, up to SonarCloud's 10 000 limit). */
  async openIssues(
    projectKey: string,
  ): Promise<Fetched<{ issues: Finding[]; total: number }>> {
    const issues: Finding[] = [];
    const freshnesses: DataFreshness[] = [];
    let total = 0;
    for (
      let page = 1;
      (page - 1) * ISSUE_PAGE_SIZE < Math.min(ISSUE_LIMIT, total || 1);
      page++
    ) {
      const answer = await this.get<SonarIssues>('/api/issues/search', {
        componentKeys: projectKey,
        resolved: 'false',
        ps: String(ISSUE_PAGE_SIZE),
        p: String(page),
      });
      freshnesses.push(answer.freshness);
      total = answer.data.paging?.total ?? answer.data.total;
      issues.push(...this.normalizedIssues(answer.data.issues, projectKey));
      if (answer.data.issues.length < ISSUE_PAGE_SIZE) break;
    }
    return { data: { issues, total }, freshness: oldest(...freshnesses) };
  }

  async report(projectKey: string): Promise<Fetched<SonarCloudReport>> {
    const [gate, issues] = await Promise.all([
      this.qualityGate(projectKey),
      this.openIssues(projectKey),
    ]);
    return {
      data: {
        projectKey,
        dashboardUrl: gate.data.dashboardUrl,
        qualityGate: gate.data.qualityGate,
        measures: gate.data.measures,
        issues: issues.data.issues,
        issueCounts: countFindings(issues.data.issues).total,
        issueTotal: issues.data.total,
      },
      freshness: oldest(gate.freshness, issues.freshness),
    };
  }

  /** Normalized once per cached page: views re-normalize nothing. */
  private normalizedIssues(page: SonarIssue[], projectKey: string): Finding[] {
    let findings = this.normalized.get(page);
    if (!findings) {
      findings = page.map(issue =>
        normalizeSonarIssue(issue, {
          baseUrl: this.options.baseUrl,
          projectKey,
        }),
      );
      this.normalized.set(page, findings);
    }
    return findings;
  }

  private async get<T>(
    path: string,
    query: Record<string, string>,
  ): Promise<Fetched<T>> {
    const url = `${this.options.baseUrl}${path}?${new URLSearchParams(query)}`;
    const key = `sonar:${url}`;
    const cached =
      this.memory.get(key) ??
      (await this.options.cache.get<CachedAnswer & JsonValue>(key));
    const now = Date.now();
    if (cached && now - cached.validatedAt < this.options.freshSeconds * 1000) {
      return {
        data: cached.data as T,
        freshness: freshNow(cached.validatedAt),
      };
    }
    let pending = this.inFlight.get(key);
    if (!pending) {
      pending = this.request(url, key, cached ?? undefined);
      this.inFlight.set(key, pending);
      pending.finally(() => this.inFlight.delete(key)).catch(() => {});
    }
    return (await pending) as Fetched<T>;
  }

  private async request(
    url: string,
    key: string,
    cached: CachedAnswer | undefined,
  ): Promise<Fetched<JsonValue>> {
    const doFetch = this.options.fetch ?? fetch;
    let failure: string;
    try {
      const response = await doFetch(url, {
        headers: this.options.token
          ? { authorization: `Bearer ${this.options.token}` }
          : {},
        signal: AbortSignal.timeout(10_000),
      });
      if (response.ok) {
        const entry: CachedAnswer = {
          data: (await response.json()) as JsonValue,
          validatedAt: Date.now(),
        };
        this.memory.set(key, entry);
        await this.options.cache.set(key, entry as unknown as JsonValue, {
          ttl: this.options.keepSeconds * 1000,
        });
        return { data: entry.data, freshness: freshNow(entry.validatedAt) };
      }
      const body = await response.text();
      if (response.status === 404) {
        throw deliveryError(
          'unknown-repository',
          `SonarCloud has no ${
            new URL(url).searchParams.get('projectKey') ??
            new URL(url).searchParams.get('component') ??
            'such project'
          }: ${body.slice(0, 200)}`,
        );
      }
      failure = `${response.status}${body ? ` ${body.slice(0, 200)}` : ''}`;
    } catch (error) {
      if (error instanceof NotFoundError) throw error;
      failure = String(error);
    }
    this.options.logger.warn(`SonarCloud request ${url} failed: ${failure}`);
    if (cached) {
      return {
        data: cached.data,
        freshness: staleAfterFailure(
          'SonarCloud',
          cached.validatedAt,
          failure.split(' ')[0],
          Date.now(),
        ),
      };
    }
    throw deliveryError(
      'upstream-unavailable',
      `SonarCloud answered ${failure} for ${
        new URL(url).pathname
      } and nothing is cached`,
    );
  }
}
