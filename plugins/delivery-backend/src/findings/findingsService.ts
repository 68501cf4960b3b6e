import { BackstageCredentials } from '@backstage/backend-plugin-api';
import { CompoundEntityRef } from '@backstage/catalog-model';
import {
  Finding,
  FindingsFilter,
  FindingsResponse,
  SonarCloudResponse,
  TrendResponse,
} from '@internal/plugin-delivery-common';
import { ViewerAccesses } from '../access/viewerAccess';
import {
  fromGitHub,
  fromSonarCloud,
  responseFreshness,
} from '../cache/freshness';
import { CachedGitHub } from '../github/cachedGitHub';
import { GitHubPipelines } from '../pipeline/githubPipelines';
import { codeScanningFindings } from './codeScanning';
import { countFindings, filterFindings, sortFindings } from './findingCounts';
import { findingsTrend } from './findingsTrend';
import { SonarCloud, sonarProjectKey } from './sonarCloud';

export interface FindingsServiceOptions {
  viewers: ViewerAccesses;
  github: CachedGitHub;
  pipelines: GitHubPipelines;
  sonarcloud: SonarCloud;
  /** Runs the trend covers when the caller names no number. */
  trendRuns: number;
}

/**
 * An entity's scan findings (code scanning and SonarCloud), SonarCloud's report and the trend of
 * open findings over the default branch's runs, independent of HTTP.
 */
export class FindingsService {
  constructor(private readonly options: FindingsServiceOptions) {}

  async findings(
    entityRef: CompoundEntityRef,
    credentials: BackstageCredentials,
    filter: FindingsFilter,
    page: { offset: number; limit?: number },
  ): Promise<FindingsResponse> {
    const access = await this.options.viewers.of(entityRef, credentials);
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
    const limit = page.limit ?? matching.length;
    return {
      repository: repository.data,
      filters: filter,
      findings: matching.slice(page.offset, page.offset + limit),
      totalCount: matching.length,
      counts: countFindings(inState),
      tools: [...new Set(all.map(f => f.tool))].sort((a, b) =>
        a.localeCompare(b),
      ),
      freshness: responseFreshness([
        ...fromGitHub(repository, codeScanning),
        ...fromSonarCloud(sonarIssues),
      ]),
    };
  }

  async sonarcloud(
    entityRef: CompoundEntityRef,
    credentials: BackstageCredentials,
  ): Promise<SonarCloudResponse> {
    const access = await this.options.viewers.of(entityRef, credentials);
    const projectKey = sonarProjectKey(access.entity);
    if (!projectKey) {
      return { report: null, freshness: responseFreshness([]) };
    }
    const report = await this.options.sonarcloud.report(projectKey);
    return {
      report: report.data,
      freshness: responseFreshness(fromSonarCloud(report)),
    };
  }

  async trend(
    entityRef: CompoundEntityRef,
    credentials: BackstageCredentials,
    query: { runs?: number },
  ): Promise<TrendResponse> {
    const access = await this.options.viewers.of(entityRef, credentials);
    const { pipelines } = this.options;
    const repository = await pipelines.repository(access.repo);
    const branch = repository.data.defaultBranch;
    const [runs, codeScanning] = await Promise.all([
      pipelines.listRuns(access.repo, {
        branch,
        limit: query.runs ?? this.options.trendRuns,
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
      freshness: responseFreshness(
        fromGitHub(repository, runs, codeScanning, pipelineRuns),
      ),
    };
  }
}
