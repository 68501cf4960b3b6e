import {
  AuditorService,
  BackstageCredentials,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import {
  CompoundEntityRef,
  Entity,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { NotAllowedError, NotFoundError } from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  AuthorizeResult,
  ResourcePermission,
} from '@backstage/plugin-permission-common';
import {
  DashboardResponse,
  Finding,
  FindingsFilter,
  FindingsResponse,
  PipelineRunResponse,
  RerunResponse,
  RunHistoryResponse,
  SonarCloudResponse,
  SonarCloudSummary,
  TrendResponse,
  deliveryPipelineRerunPermission,
  deliveryReadPermission,
} from '@internal/plugin-delivery-common';
import type { Request } from 'express';
import { CachedGitHub, Fetched, Freshness } from './cachedGitHub';
import { codeScanningFindings } from './codeScanning';
import { loadEntity, repositoryOfEntity } from './entityRepository';
import { ResourceOwnership } from './resourceOwnership';
import { countFindings, filterFindings, sortFindings } from './findingCounts';
import { findingsTrend } from './findingsTrend';
import { RepositoryRef } from './githubClient';
import { GitHubPipelines, toRunSummary } from './githubPipelines';
import { rerunFailedJobs } from './pipelineRerun';
import { SourcedFreshness, responseFreshness } from './responseFreshness';
import { SONAR_PROJECT_KEY_ANNOTATION, SonarCloud } from './sonarCloud';

export interface DeliveryServiceOptions {
  catalog: CatalogService;
  permissions: PermissionsService;
  auditor: AuditorService;
  github: CachedGitHub;
  pipelines: GitHubPipelines;
  sonarcloud: SonarCloud;
  /** The integrations.github host the entities' repositories live on. */
  githubHost: string;
  /** Re-runs act only on the repository an entity was read from. */
  ownership: ResourceOwnership;
  trendRuns: number;
  /** Seconds a caller's entity lookup and read decision are reused (default 5; 0: never). */
  accessSeconds?: number;
}

/** Who is asking, for per-caller memoization. */
function principalKey(credentials: BackstageCredentials): string {
  const principal = credentials.principal as {
    type?: string;
    userEntityRef?: string;
    subject?: string;
  };
  return `${principal.type}:${
    principal.userEntityRef ?? principal.subject ?? ''
  }`;
}

interface EntityAccess {
  entity: Entity;
  entityRef: string;
  repo: RepositoryRef;
  canRerun: boolean;
}

function sonarProjectKey(entity: Entity): string | null {
  return entity.metadata.annotations?.[SONAR_PROJECT_KEY_ANNOTATION] ?? null;
}

function clamp(
  value: number | undefined,
  fallback: number,
  max: number,
): number {
  if (value === undefined || !Number.isFinite(value)) return fallback;
  return Math.max(1, Math.min(max, Math.floor(value)));
}

/**
 * What the delivery API answers, independent of HTTP: each method resolves the entity with
 * the caller's credentials, checks the delivery permission on it, then reads GitHub and
 * SonarCloud through the caches.
 */
export class DeliveryService {
  private readonly accesses = new Map<
    string,
    { access: Promise<EntityAccess>; until: number }
  >();

  constructor(private readonly options: DeliveryServiceOptions) {}

  async dashboard(
    entityRef: CompoundEntityRef,
    credentials: BackstageCredentials,
    query: { runs?: number } = {},
  ): Promise<DashboardResponse> {
    const access = await this.access(entityRef, credentials, true);
    const { pipelines } = this.options;
    const recent = clamp(query.runs, 10, 50);
    const projectKey = sonarProjectKey(access.entity);
    const [repository, runs, codeScanning, sonar] = await Promise.all([
      pipelines.repository(access.repo),
      pipelines.listRuns(access.repo, { limit: Math.max(recent, 20) }),
      codeScanningFindings(this.options.github, access.repo),
      this.sonarSummary(projectKey),
    ]);
    const defaultBranch = repository.data.defaultBranch;
    const latest =
      runs.data.runs.find(run => run.head_branch === defaultBranch) ??
      (
        await pipelines.listRuns(access.repo, {
          branch: defaultBranch,
          limit: 1,
        })
      ).data.runs[0];
    const latestRun = latest
      ? await pipelines.pipelineRun(access.repo, latest)
      : null;
    const openFindings = [
      ...codeScanning.data.filter(f => f.state === 'open'),
      ...(sonar.issues ?? []),
    ];
    return {
      entityRef: access.entityRef,
      repository: repository.data,
      latestRun: latestRun?.data ?? null,
      recentRuns: runs.data.runs.slice(0, recent).map(toRunSummary),
      findingCounts: countFindings(openFindings),
      sonarcloud: sonar.summary,
      canRerun: access.canRerun,
      freshness: responseFreshness([
        { source: 'github', freshness: repository.freshness },
        { source: 'github', freshness: runs.freshness },
        { source: 'github', freshness: codeScanning.freshness },
        ...(latestRun
          ? [{ source: 'github' as const, freshness: latestRun.freshness }]
          : []),
        ...sonar.freshness,
      ]),
    };
  }

  async runs(
    entityRef: CompoundEntityRef,
    credentials: BackstageCredentials,
    query: { branch?: string; limit?: number } = {},
  ): Promise<RunHistoryResponse> {
    const access = await this.access(entityRef, credentials, true);
    const { pipelines } = this.options;
    const [repository, runs] = await Promise.all([
      pipelines.repository(access.repo),
      pipelines.listRuns(access.repo, {
        branch: query.branch,
        limit: clamp(query.limit, 20, 100),
      }),
    ]);
    const pipelineRuns = await pipelines.pipelineRuns(
      access.repo,
      runs.data.runs,
    );
    return {
      repository: repository.data,
      branch: query.branch ?? null,
      runs: pipelineRuns.data,
      totalCount: runs.data.totalCount,
      canRerun: access.canRerun,
      freshness: responseFreshness([
        { source: 'github', freshness: repository.freshness },
        { source: 'github', freshness: runs.freshness },
        { source: 'github', freshness: pipelineRuns.freshness },
      ]),
    };
  }

  async run(
    entityRef: CompoundEntityRef,
    credentials: BackstageCredentials,
    runId: number,
  ): Promise<PipelineRunResponse> {
    const access = await this.access(entityRef, credentials, true);
    const { pipelines } = this.options;
    const [repository, run] = await Promise.all([
      pipelines.repository(access.repo),
      pipelines.getRun(access.repo, runId),
    ]);
    const pipelineRun = await pipelines.pipelineRun(access.repo, run.data);
    return {
      repository: repository.data,
      run: pipelineRun.data,
      canRerun: access.canRerun,
      freshness: responseFreshness([
        { source: 'github', freshness: repository.freshness },
        { source: 'github', freshness: run.freshness },
        { source: 'github', freshness: pipelineRun.freshness },
      ]),
    };
  }

  /**
   * Re-runs the failed jobs of a run. Every attempt is audited — denied, refused (e.g. the
   * run is still going) or failed at GitHub as much as succeeded.
   */
  async rerunFailedJobs(
    entityRef: CompoundEntityRef,
    credentials: BackstageCredentials,
    runId: number,
    request?: Request,
  ): Promise<RerunResponse> {
    const event = await this.options.auditor.createEvent({
      eventId: 'pipeline-rerun',
      severityLevel: 'medium',
      request,
      meta: { entityRef: stringifyEntityRef(entityRef), runId },
    });
    try {
      const entity = await loadEntity(
        this.options.catalog,
        entityRef,
        credentials,
      );
      const ref = stringifyEntityRef(entity);
      await this.authorize(ref, credentials, deliveryPipelineRerunPermission);
      const repo = repositoryOfEntity(entity, this.options.githubHost);
      this.options.ownership.assertRepositoryBound(entity, repo);
      const result = await rerunFailedJobs({
        github: this.options.github,
        pipelines: this.options.pipelines,
        repo,
        runId,
      });
      await event.success({
        meta: {
          repository: `${repo.owner}/${repo.name}`,
          runAttempt: result.runAttempt,
          jobs: result.jobs,
        },
      });
      return result;
    } catch (error) {
      await event.fail({ error: error as Error });
      throw error;
    }
  }

  async findings(
    entityRef: CompoundEntityRef,
    credentials: BackstageCredentials,
    filter: FindingsFilter,
    page: { offset?: number; limit?: number } = {},
  ): Promise<FindingsResponse> {
    const access = await this.access(entityRef, credentials, false);
    const projectKey = sonarProjectKey(access.entity);
    const wantsSonar = !filter.source || filter.source.includes('sonarcloud');
    const wantsCodeScanning =
      !filter.source || filter.source.includes('code-scanning');
    const [repository, codeScanning, sonarIssues] = await Promise.all([
      this.options.pipelines.repository(access.repo),
      wantsCodeScanning
        ? codeScanningFindings(this.options.github, access.repo)
        : Promise.resolve(undefined),
      wantsSonar && projectKey
        ? this.options.sonarcloud.openIssues(projectKey)
        : Promise.resolve(undefined),
    ]);
    const all: Finding[] = [
      ...(codeScanning?.data ?? []),
      ...(sonarIssues?.data.issues ?? []),
    ];
    const inState = filterFindings(all, {
      state: filter.state,
      source: filter.source,
    });
    const matching = sortFindings(filterFindings(inState, filter));
    const offset = Math.max(0, Math.floor(page.offset ?? 0));
    const limit =
      page.limit === undefined
        ? matching.length
        : clamp(page.limit, 100, 10_000);
    return {
      repository: repository.data,
      filters: filter,
      findings: matching.slice(offset, offset + limit),
      totalCount: matching.length,
      counts: countFindings(inState),
      tools: [...new Set(all.map(f => f.tool))].sort((a, b) =>
        a.localeCompare(b),
      ),
      freshness: responseFreshness([
        { source: 'github', freshness: repository.freshness },
        ...(codeScanning
          ? [{ source: 'github' as const, freshness: codeScanning.freshness }]
          : []),
        ...(sonarIssues
          ? [
              {
                source: 'sonarcloud' as const,
                freshness: sonarIssues.freshness,
              },
            ]
          : []),
      ]),
    };
  }

  async sonarcloud(
    entityRef: CompoundEntityRef,
    credentials: BackstageCredentials,
  ): Promise<SonarCloudResponse> {
    const access = await this.access(entityRef, credentials, false);
    const projectKey = sonarProjectKey(access.entity);
    if (!projectKey) {
      return { report: null, freshness: responseFreshness([]) };
    }
    const report = await this.options.sonarcloud.report(projectKey);
    return {
      report: report.data,
      freshness: responseFreshness([
        { source: 'sonarcloud', freshness: report.freshness },
      ]),
    };
  }

  async trend(
    entityRef: CompoundEntityRef,
    credentials: BackstageCredentials,
    query: { runs?: number } = {},
  ): Promise<TrendResponse> {
    const access = await this.access(entityRef, credentials, false);
    const { pipelines } = this.options;
    const repository = await pipelines.repository(access.repo);
    const branch = repository.data.defaultBranch;
    const [runs, codeScanning] = await Promise.all([
      pipelines.listRuns(access.repo, {
        branch,
        limit: clamp(query.runs, this.options.trendRuns, 50),
      }),
      codeScanningFindings(this.options.github, access.repo),
    ]);
    const pipelineRuns = await pipelines.pipelineRuns(
      access.repo,
      runs.data.runs,
    );
    return {
      repository: repository.data,
      branch,
      points: findingsTrend(pipelineRuns.data, codeScanning.data),
      freshness: responseFreshness([
        { source: 'github', freshness: repository.freshness },
        { source: 'github', freshness: runs.freshness },
        { source: 'github', freshness: codeScanning.freshness },
        { source: 'github', freshness: pipelineRuns.freshness },
      ]),
    };
  }

  /** The quality gate, measures and open issues for the dashboard; failures leave it out. */
  private async sonarSummary(projectKey: string | null): Promise<{
    summary: SonarCloudSummary | null;
    issues: Finding[] | null;
    freshness: SourcedFreshness[];
  }> {
    if (!projectKey) {
      return { summary: null, issues: null, freshness: [] };
    }
    try {
      const [gate, issues]: [
        Fetched<Omit<SonarCloudSummary, 'projectKey'>>,
        Fetched<{ issues: Finding[] }>,
      ] = await Promise.all([
        this.options.sonarcloud.qualityGate(projectKey),
        this.options.sonarcloud.openIssues(projectKey),
      ]);
      return {
        summary: { projectKey, ...gate.data },
        issues: issues.data.issues,
        freshness: [
          { source: 'sonarcloud', freshness: gate.freshness },
          { source: 'sonarcloud', freshness: issues.freshness },
        ],
      };
    } catch (error) {
      // A project SonarCloud has not analysed yet (a new service) has no gate: nothing is stale.
      if (error instanceof NotFoundError) {
        return { summary: null, issues: null, freshness: [] };
      }
      const failed: Freshness = {
        validatedAt: Date.now(),
        stale: true,
        staleReason: `SonarCloud unavailable: ${(error as Error).message}`,
      };
      return {
        summary: null,
        issues: null,
        freshness: [{ source: 'sonarcloud', freshness: failed }],
      };
    }
  }

  /**
   * The entity as the caller sees it and what they may do with it. Catalog lookup and
   * permission check run side by side, and their answer is reused for `accessSeconds` per
   * caller and entity, so a page's parallel requests and a busy page cost one round of each.
   * Writes never use this: a re-run always asks afresh.
   */
  private async access(
    entityRef: CompoundEntityRef,
    credentials: BackstageCredentials,
    withRerun: boolean,
  ): Promise<EntityAccess> {
    const ref = stringifyEntityRef(entityRef).toLocaleLowerCase('en-US');
    const key = `${principalKey(credentials)}|${ref}`;
    const now = Date.now();
    const known = this.accesses.get(key);
    if (known && known.until > now) {
      return known.access;
    }
    const access = this.checkAccess(entityRef, ref, credentials);
    const ttl = (this.options.accessSeconds ?? 5) * 1000;
    if (ttl > 0) {
      this.accesses.set(key, { access, until: now + ttl });
      access.catch(() => this.accesses.delete(key));
      if (this.accesses.size > 5000) {
        for (const [k, v] of this.accesses)
          if (v.until <= now) this.accesses.delete(k);
      }
    }
    const result = await access;
    return withRerun ? result : { ...result, canRerun: false };
  }

  private async checkAccess(
    entityRef: CompoundEntityRef,
    ref: string,
    credentials: BackstageCredentials,
  ): Promise<EntityAccess> {
    const [entity, decisions] = await Promise.all([
      loadEntity(this.options.catalog, entityRef, credentials),
      this.options.permissions.authorize(
        [deliveryReadPermission, deliveryPipelineRerunPermission].map(
          permission => ({
            permission,
            resourceRef: ref,
          }),
        ),
        { credentials },
      ),
    ]);
    const entityRefString = stringifyEntityRef(entity);
    if (decisions[0].result !== AuthorizeResult.ALLOW) {
      throw new NotAllowedError(
        `You may not see the delivery data of ${entityRefString}`,
      );
    }
    return {
      entity,
      entityRef: entityRefString,
      repo: repositoryOfEntity(entity, this.options.githubHost),
      canRerun: decisions[1]?.result === AuthorizeResult.ALLOW,
    };
  }

  private async authorize(
    ref: string,
    credentials: BackstageCredentials,
    permission: ResourcePermission,
  ): Promise<void> {
    const [decision] = await this.options.permissions.authorize(
      [{ permission, resourceRef: ref }],
      { credentials },
    );
    if (decision.result !== AuthorizeResult.ALLOW) {
      throw new NotAllowedError(`You may not ${permission.name} on ${ref}`);
    }
  }
}
