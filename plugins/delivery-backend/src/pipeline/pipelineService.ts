import {
  AuditorService,
  BackstageCredentials,
} from '@backstage/backend-plugin-api';
import {
  CompoundEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import {
  PipelineRunResponse,
  RerunResponse,
  RunHistoryResponse,
  deliveryPipelineRerunPermission,
} from '@internal/plugin-delivery-common';
import { AuditedRequest, withAuditorEvent } from '../access/auditorEvents';
import { EntityAccess } from '../access/entityAccess';
import { repositoryOfEntity } from '../access/entityRepository';
import { ResourceOwnership } from '../access/resourceOwnership';
import { ViewerAccesses } from '../access/viewerAccess';
import { fromGitHub, responseFreshness } from '../cache/freshness';
import { CachedGitHub } from '../github/cachedGitHub';
import { GitHubPipelines } from './githubPipelines';
import { rerunFailedJobs } from './rerunFailedJobs';

export interface PipelineServiceOptions {
  viewers: ViewerAccesses;
  access: EntityAccess;
  auditor: AuditorService;
  github: CachedGitHub;
  pipelines: GitHubPipelines;
  /** Re-runs act only on the repository an entity was read from. */
  ownership: ResourceOwnership;
  /** The integrations.github host the entities' repositories live on. */
  githubHost: string;
}

/**
 * An entity's pipeline runs with their gate chains, and re-runs of their failed jobs, independent
 * of HTTP: reads go through the viewer's access and GitHub's cache; re-runs ask afresh and are
 * audited.
 */
export class PipelineService {
  constructor(private readonly options: PipelineServiceOptions) {}

  async runs(
    entityRef: CompoundEntityRef,
    credentials: BackstageCredentials,
    query: { branch?: string; limit: number },
  ): Promise<RunHistoryResponse> {
    const access = await this.options.viewers.of(entityRef, credentials);
    const { pipelines } = this.options;
    const [repository, runs] = await Promise.all([
      pipelines.repository(access.repo),
      pipelines.listRuns(access.repo, query),
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
      freshness: responseFreshness(fromGitHub(repository, runs, pipelineRuns)),
    };
  }

  async run(
    entityRef: CompoundEntityRef,
    credentials: BackstageCredentials,
    runId: number,
  ): Promise<PipelineRunResponse> {
    const access = await this.options.viewers.of(entityRef, credentials);
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
      freshness: responseFreshness(fromGitHub(repository, run, pipelineRun)),
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
    request?: AuditedRequest,
  ): Promise<RerunResponse> {
    const { access, ownership, github, pipelines } = this.options;
    return withAuditorEvent(
      this.options.auditor,
      {
        eventId: 'pipeline-rerun',
        severityLevel: 'medium',
        request,
        meta: { entityRef: stringifyEntityRef(entityRef), runId },
      },
      async () => {
        const { entity } = await access.resolve(
          entityRef,
          credentials,
          deliveryPipelineRerunPermission,
        );
        const repo = repositoryOfEntity(entity, this.options.githubHost);
        ownership.assertRepositoryBound(entity, repo);
        const result = await rerunFailedJobs({
          github,
          pipelines,
          repo,
          runId,
        });
        return {
          value: result,
          meta: {
            repository: `${repo.owner}/${repo.name}`,
            runAttempt: result.runAttempt,
            jobs: result.jobs,
          },
        };
      },
    );
  }
}
